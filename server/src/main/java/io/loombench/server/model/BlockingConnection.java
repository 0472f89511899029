package io.loombench.server.model;

import io.loombench.server.ErrorKind;
import io.loombench.server.protocol.Next;
import io.loombench.server.protocol.ProtocolSession;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * Drives one connection with blocking I/O on a thread of its own, a virtual thread or a pool
 * thread: the same code for both, so the two models differ only in the thread that runs it.
 *
 * <p>Reads use the channel's socket adaptor so they can time out: before each read the socket
 * timeout is set to the session's deadline. The protocol's simulated downstream wait is a
 * {@link Thread#sleep}, which parks a virtual thread and blocks a pool thread, as it would for a
 * real blocking call.
 */
final class BlockingConnection implements Runnable {
    private final SocketChannel channel;
    private final ModelContext context;
    private final Consumer<BlockingConnection> onClosed;
    /**
     * Set while the thread is about to read, or reading, with nothing owed to the client. The
     * shutdown's {@link #closeIfIdle} and this thread each write their flag before reading the
     * other's (both volatile), so at least one of them sees the other and the read is not missed.
     */
    private volatile boolean idleRead;

    /** @param onClosed told once, from the connection's thread, when the connection has closed */
    BlockingConnection(SocketChannel channel, ModelContext context, Consumer<BlockingConnection> onClosed) {
        this.channel = channel;
        this.context = context;
        this.onClosed = onClosed;
    }

    @Override
    public void run() {
        ProtocolSession session = context.sessions().newSession();
        int bufferSize = context.config().bufferSize();
        ByteBuffer in = ByteBuffer.allocate(bufferSize).flip();
        ByteBuffer out = ByteBuffer.allocate(bufferSize);
        try {
            Socket socket = channel.socket();
            InputStream input = socket.getInputStream();
            loop:
            while (true) {
                Next next = session.process(in, out, System.nanoTime());
                flush(out);
                switch (next) {
                    case FLUSH -> {
                    }
                    case WAIT -> Thread.sleep(session.waitMillis());
                    case CLOSE -> {
                        break loop;
                    }
                    case NEED_INPUT -> {
                        ReadResult result = read(session, socket, input, in);
                        if (result == ReadResult.TIMED_OUT) {
                            session.timeout(out);
                            flush(out);
                        }
                        if (result != ReadResult.DATA) {
                            break loop;
                        }
                    }
                }
            }
        } catch (IOException e) {
            if (channel.isOpen()) {
                context.counters().error(ErrorKind.IO);
            }
        } catch (InterruptedException e) {
            // Forced shutdown: the connection closes below.
        } finally {
            abandon();
        }
    }

    private enum ReadResult {
        /** New bytes are in the input buffer. */
        DATA,
        /** The session's deadline passed first. */
        TIMED_OUT,
        /** The peer closed its side, or the server is draining and this connection is idle. */
        ENDED
    }

    /** Reads more input, waiting at most until the session's deadline. */
    private ReadResult read(ProtocolSession session, Socket socket, InputStream input, ByteBuffer in) throws IOException {
        idleRead = session.idle();
        try {
            if (idleRead && context.shutdown().draining() && input.available() == 0) {
                return ReadResult.ENDED;
            }
            long waitNanos = session.deadlineNanos() - System.nanoTime();
            if (waitNanos <= 0) {
                return ReadResult.TIMED_OUT;
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, (waitNanos + 999_999) / 1_000_000)));
            in.compact();
            try {
                int n = input.read(in.array(), in.arrayOffset() + in.position(), in.remaining());
                if (n < 0) {
                    return ReadResult.ENDED;
                }
                in.position(in.position() + n);
                context.counters().bytesRead(n);
                return ReadResult.DATA;
            } catch (SocketTimeoutException e) {
                return ReadResult.TIMED_OUT;
            } finally {
                in.flip();
            }
        } finally {
            idleRead = false;
        }
    }

    private void flush(ByteBuffer out) throws IOException {
        out.flip();
        while (out.hasRemaining()) {
            context.counters().bytesWritten(channel.write(out));
        }
        out.clear();
    }

    /** For graceful shutdown: ends the connection now if it is waiting for a request. */
    void closeIfIdle() {
        if (idleRead) {
            try {
                channel.shutdownInput();
            } catch (IOException ignored) {
                // Already closed: nothing to wake.
            }
        }
    }

    /** Closes a connection whose thread will not run, or has finished: the owner is told. */
    void abandon() {
        close();
        onClosed.accept(this);
    }

    void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing left to do for a socket that fails to close.
        }
    }
}

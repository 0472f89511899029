package io.loombench.server.model;

import io.loombench.server.ErrorKind;
import io.loombench.server.protocol.Next;
import io.loombench.server.protocol.ProtocolSession;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * Drives one non-blocking connection from its {@link EventLoop}: read when readable, process,
 * write what the session produced, and never block. Owned by the loop thread.
 *
 * <p>The protocol's simulated downstream wait ({@link Next#WAIT}) stops reading and arms a loop
 * timer instead of sleeping, so the loop keeps serving its other connections. When the socket's
 * send buffer is full, the connection waits for OP_WRITE and remembers what the session asked
 * for, acting on it once the output is out.
 */
final class NioConnection implements EventLoop.Handler {
    private final SocketChannel channel;
    private final ProtocolSession session;
    private final EventLoop loop;
    private final NioConnections owner;
    private final ModelContext context;
    private final ByteBuffer in;
    private final ByteBuffer out;
    private final Runnable resumeAfterWait = this::drive;

    private SelectionKey key;
    private int interestOps;
    /** What the session asked for before the output filled the socket; acted on once flushed. */
    private Next afterFlush;
    /** Parked on {@link Next#NEED_INPUT}: the only state in which deadlines and draining apply. */
    private boolean awaitingInput;
    private boolean closed;
    /** Position in the owner's list, for O(1) removal. */
    int index = -1;

    NioConnection(SocketChannel channel, EventLoop loop, NioConnections owner, ModelContext context) {
        this.channel = channel;
        this.session = context.sessions().newSession();
        this.loop = loop;
        this.owner = owner;
        this.context = context;
        int bufferSize = context.config().bufferSize();
        this.in = ByteBuffer.allocate(bufferSize).flip();
        this.out = ByteBuffer.allocate(bufferSize);
    }

    /** Registers with the loop's selector and runs the session once, on the loop thread. */
    void start() {
        try {
            channel.configureBlocking(false);
            key = channel.register(loop.selector(), 0, this);
            owner.add(this);
            drive();
        } catch (IOException e) {
            fail(e);
        }
    }

    @Override
    public void onReady(SelectionKey readyKey) {
        try {
            if (readyKey.isWritable()) {
                onWritable();
            } else if (readyKey.isReadable()) {
                onReadable();
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    private void onReadable() throws IOException {
        awaitingInput = false;
        if (readSome() < 0) {
            close();
            return;
        }
        drive();
    }

    /** One non-blocking read into the input buffer; returns what the channel returned. */
    private int readSome() throws IOException {
        in.compact();
        int n = channel.read(in);
        in.flip();
        if (n > 0) {
            context.counters().bytesRead(n);
        }
        return n;
    }

    private void onWritable() throws IOException {
        if (!flush()) {
            return;
        }
        Next next = afterFlush;
        afterFlush = null;
        if (act(next)) {
            drive();
        }
    }

    /** Runs the session until it needs input, a timer, a writable socket, or the end. */
    private void drive() {
        try {
            while (!closed) {
                Next next = session.process(in, out, loop.now());
                if (!flush()) {
                    afterFlush = next;
                    setInterest(SelectionKey.OP_WRITE);
                    return;
                }
                if (!act(next)) {
                    return;
                }
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    /** Acts on the session's request once output is flushed; true to process again at once. */
    private boolean act(Next next) throws IOException {
        switch (next) {
            case FLUSH -> {
                return true;
            }
            case NEED_INPUT -> {
                if (context.shutdown().draining() && session.idle()) {
                    return readOrCloseWhileDraining();
                }
                awaitingInput = true;
                setInterest(SelectionKey.OP_READ);
            }
            case WAIT -> {
                setInterest(0);
                loop.schedule(TimeUnit.MILLISECONDS.toNanos(session.waitMillis()), resumeAfterWait);
            }
            case CLOSE -> close();
        }
        return false;
    }

    /** Writes pending output without blocking; true when all of it is out. */
    private boolean flush() throws IOException {
        if (out.position() == 0) {
            return true;
        }
        out.flip();
        int n = channel.write(out);
        context.counters().bytesWritten(n);
        boolean done = !out.hasRemaining();
        out.compact();
        return done;
    }

    private void setInterest(int ops) {
        if (ops != interestOps) {
            interestOps = ops;
            key.interestOps(ops);
        }
    }

    /** Called by the periodic sweep: closes the connection if its deadline has passed. */
    void checkDeadline(long now) {
        if (awaitingInput && now - session.deadlineNanos() >= 0) {
            session.timeout(out);
            try {
                flush();
            } catch (IOException e) {
                // The client is gone or not reading; the connection closes either way.
            }
            close();
        }
    }

    /**
     * For graceful shutdown: closes the connection now if that loses nothing. Bytes already in
     * the kernel are a request the client sent before the drain, so they are read first, as the
     * blocking models do: with none, the connection closes at once; with a request, it closes after
     * answering it.
     */
    void closeIfIdle() {
        if (awaitingInput && session.idle()) {
            awaitingInput = false;
            try {
                if (readOrCloseWhileDraining()) {
                    drive();
                }
            } catch (IOException e) {
                fail(e);
            }
        }
    }

    /** Draining and idle: true if a request had already arrived and is to be served, else closes. */
    private boolean readOrCloseWhileDraining() throws IOException {
        if (readSome() > 0) {
            return true;
        }
        close();
        return false;
    }

    private void fail(IOException e) {
        if (!closed && !(e instanceof ClosedChannelException)) {
            context.counters().error(ErrorKind.IO);
        }
        close();
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        owner.remove(this);
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing left to do for a socket that fails to close.
        }
        context.counters().finished();
    }
}

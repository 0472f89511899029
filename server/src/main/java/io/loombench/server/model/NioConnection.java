package io.loombench.server.model;

import io.loombench.server.ServerError;
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
 * <p>Buffers: the connection reads into and the session writes into the loop's {@link IoBuffers},
 * which every connection of the loop uses in turn and which are empty whenever the loop moves on.
 * What must outlive the turn goes into the connection's own {@link PendingBytes}: the unconsumed
 * start of a request, and output the socket did not take. An idle connection holds neither.
 *
 * <p>The protocol's simulated downstream wait ({@link Next#WAIT}) stops reading and arms a loop
 * timer instead of sleeping, so the loop keeps serving its other connections. When the socket's
 * send buffer is full, the connection waits for OP_WRITE and remembers what the session asked
 * for, acting on it once the output is out. A connection whose output makes no progress for
 * {@code --write-timeout} (no write took a byte since the socket last filled up) is closed by the
 * deadline sweep and counted as {@link ServerError#WRITE_TIMEOUT}; a write that takes everything
 * costs nothing more.
 */
final class NioConnection implements EventLoop.Handler {
    private final SocketChannel channel;
    /** Made in {@link #start()}, on the loop thread, where a factory that throws is caught. */
    private ProtocolSession session;
    private final EventLoop loop;
    private final IoBuffers buffers;
    private final NioConnections owner;
    private final ModelContext context;
    private final PendingBytes pendingInput = new PendingBytes();
    private final PendingBytes pendingOutput = new PendingBytes();
    private final Runnable resumeAfterWait = () -> proceed(Next.FLUSH, takeInput());
    private final long writeTimeoutNanos;

    private SelectionKey key;
    private int interestOps;
    /** What the session asked for before the output filled the socket; acted on once flushed. */
    private Next afterFlush;
    /** Parked on {@link Next#NEED_INPUT}: the only state in which deadlines and draining apply. */
    private boolean awaitingInput;
    /** When the output last made progress, while some is pending: the write deadline runs from it. */
    private long writeProgressNanos;
    private boolean closed;
    /** Position in the owner's list, for O(1) removal. */
    int index = -1;

    /** @param buffers the loop's buffers, shared by all its connections */
    NioConnection(SocketChannel channel, EventLoop loop, IoBuffers buffers, NioConnections owner, ModelContext context) {
        this.channel = channel;
        this.loop = loop;
        this.buffers = buffers;
        this.owner = owner;
        this.context = context;
        this.writeTimeoutNanos = context.config().writeTimeout().toNanos();
    }

    /** Registers with the loop's selector and runs the session once, on the loop thread. */
    void start() {
        try {
            session = context.sessions().newSession();
        } catch (RuntimeException e) {
            bug(e);
            return;
        }
        try {
            channel.configureBlocking(false);
            key = channel.register(loop.selector(), 0, this);
            owner.add(this);
        } catch (IOException e) {
            fail(e);
            return;
        }
        proceed(Next.FLUSH, takeInput());
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
        } catch (RuntimeException e) {
            bug(e);
        }
    }

    private void onReadable() throws IOException {
        awaitingInput = false;
        ByteBuffer in = takeInput();
        if (readMore(in) < 0) {
            close();
            return;
        }
        proceed(Next.FLUSH, in);
    }

    private void onWritable() throws IOException {
        int n = pendingOutput.writeTo(channel);
        context.counters().bytesWritten(n);
        if (!pendingOutput.isEmpty()) {
            if (n > 0) {
                writeProgressNanos = loop.now();
            }
            return;
        }
        Next next = afterFlush;
        afterFlush = null;
        proceed(next, takeInput());
    }

    /** The loop's input buffer, in read mode, holding this connection's unconsumed input. */
    private ByteBuffer takeInput() {
        ByteBuffer in = buffers.in().clear();
        pendingInput.moveTo(in);
        return in.flip();
    }

    /** One non-blocking read appended to {@code in} (read mode); returns what the channel returned. */
    private int readMore(ByteBuffer in) throws IOException {
        in.compact();
        int n;
        try {
            n = channel.read(in);
        } finally {
            in.flip();
        }
        if (n > 0) {
            context.counters().bytesRead(n);
        }
        return n;
    }

    /**
     * Acts on {@code next} (whatever output came with it is out), then runs the session until it
     * needs input, a timer, a writable socket, or the end; then keeps what is left of the input,
     * since the loop's buffers go to the next connection.
     */
    private void proceed(Next next, ByteBuffer in) {
        ByteBuffer out = buffers.out().clear();
        try {
            while (act(next, in)) {
                next = session.process(in, out, loop.now());
                if (!flush(out)) {
                    afterFlush = next;
                    setInterest(SelectionKey.OP_WRITE);
                    break;
                }
            }
        } catch (IOException e) {
            fail(e);
        } catch (RuntimeException e) {
            bug(e);
        }
        if (!closed) {
            pendingInput.keep(in);
        }
    }

    /**
     * Acts on the session's request once output is flushed; true to process again at once (the
     * answer to {@link Next#FLUSH}, and to input a draining connection found already received).
     */
    private boolean act(Next next, ByteBuffer in) throws IOException {
        switch (next) {
            case FLUSH -> {
                return true;
            }
            case NEED_INPUT -> {
                if (context.shutdown().draining() && session.idle()) {
                    return readOrCloseWhileDraining(in);
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

    /**
     * Writes the session's output without blocking; true when all of it is out. What the socket
     * does not take is kept, and the loop's buffer is left empty either way.
     */
    private boolean flush(ByteBuffer out) throws IOException {
        if (out.position() == 0) {
            return true;
        }
        out.flip();
        try {
            context.counters().bytesWritten(channel.write(out));
            pendingOutput.keep(out);
        } finally {
            out.clear();
        }
        if (!pendingOutput.isEmpty()) {
            writeProgressNanos = loop.now();
            return false;
        }
        return true;
    }

    private void setInterest(int ops) {
        if (ops != interestOps) {
            interestOps = ops;
            key.interestOps(ops);
        }
    }

    /**
     * Called by the periodic sweep: closes the connection if the session's deadline has passed
     * while it waits for input, or the write deadline while its output waits for the socket.
     */
    void checkDeadline(long now) {
        if (!pendingOutput.isEmpty() && now - writeProgressNanos - writeTimeoutNanos >= 0) {
            context.counters().error(ServerError.WRITE_TIMEOUT);
            close();
            return;
        }
        try {
            if (awaitingInput && now - session.deadlineNanos() >= 0) {
                ByteBuffer out = buffers.out().clear();
                session.timeout(out);
                try {
                    flush(out);
                } catch (IOException e) {
                    // The client is gone or not reading; the connection closes either way.
                }
                close();
            }
        } catch (RuntimeException e) {
            bug(e);
        }
    }

    /**
     * For graceful shutdown: closes the connection now if that loses nothing. Bytes already in
     * the kernel are a request the client sent before the drain, so they are read first, as the
     * blocking models do: with none, the connection closes at once; with a request, it closes after
     * answering it.
     */
    void closeIfIdle() {
        try {
            if (awaitingInput && session.idle()) {
                awaitingInput = false;
                proceed(Next.NEED_INPUT, takeInput());
            }
        } catch (RuntimeException e) {
            bug(e);
        }
    }

    /** Draining and idle: true if a request had already arrived and is to be served, else closes. */
    private boolean readOrCloseWhileDraining(ByteBuffer in) throws IOException {
        if (readMore(in) > 0) {
            return true;
        }
        close();
        return false;
    }

    /** Bytes of memory this connection holds for pending input and output; 0 when idle. */
    int heldBytes() {
        return pendingInput.heldBytes() + pendingOutput.heldBytes();
    }

    private void fail(IOException e) {
        if (!closed && !(e instanceof ClosedChannelException)) {
            context.counters().error(ServerError.IO);
        }
        close();
    }

    /**
     * A bug in the session or here: counted and printed, and the end of this connection only,
     * not of the loop's others. Every entry point from the loop catches it.
     */
    private void bug(RuntimeException e) {
        String client;
        try {
            client = String.valueOf(channel.getRemoteAddress());
        } catch (IOException closedAlready) {
            client = "a closed socket";
        }
        context.counters().handlerBug(Thread.currentThread().getName() + ", connection from " + client, e);
        close();
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        pendingInput.clear();
        pendingOutput.clear();
        owner.remove(this);
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing left to do for a socket that fails to close.
        }
        context.counters().finished();
    }
}

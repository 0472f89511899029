package io.loombench.server.model;

import io.loombench.server.ServerError;
import io.loombench.server.protocol.Next;
import io.loombench.server.protocol.ProtocolSession;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * Drives one connection with blocking I/O on a thread of its own, a virtual thread or a pool
 * thread: the same code for both, so the two models differ only in the thread that runs it.
 *
 * <p>Buffers: the thread works in a pair of full-size {@link IoBuffers} from the model's
 * {@link BufferPool}, taken when bytes arrive and given back whenever both are empty before it
 * blocks, waiting for the next request or sleeping through a simulated wait. A connection waiting
 * for its next request blocks reading into a small landing buffer of its own
 * ({@value #LANDING_BYTES} bytes: a typical request fits), whose bytes then move to a pair's input
 * buffer. So an idle connection holds {@value #LANDING_BYTES} bytes, a busy one a pair.
 *
 * <p>Reads are plain blocking channel reads, without a socket timeout: with one, the JDK makes
 * each timed read a switch to non-blocking mode, a poll and a switch back (four fcntl calls and a
 * poll per request on a platform thread, measured), and a virtual thread's timed park schedules a
 * timer. Instead, before each read the connection publishes the session's deadline,
 * and the model's sweep ({@link #expireIfOverdue}), run as often as the NIO model's, ends a read
 * that outlives it by shutting the socket's input down. Writes are plain blocking writes the same
 * way: before each one the connection publishes a write deadline ({@code --write-timeout} from
 * now), and the sweep closes the channel of a write that outlives it, which ends the write with
 * an exception and counts {@link ServerError#WRITE_TIMEOUT}. Each write that returns has made
 * progress, so the clock restarts with the next one: a virtual thread's write returns whatever the
 * socket took, a platform thread's only once the socket has taken the whole buffer (at most
 * {@code --buffer-size} bytes), so on a pool thread the deadline is for a buffer's worth of output.
 * The fast path pays a clock read, a volatile write and a compare-and-set per write, as reads
 * already do. The protocol's simulated downstream wait is
 * a {@link Thread#sleep}, which parks a virtual thread and blocks a pool thread, as it would for a
 * real blocking call.
 */
final class BlockingConnection implements Runnable {
    /** Bytes an idle connection waits for its next request in; see the class comment. */
    static final int LANDING_BYTES = 256;

    private final SocketChannel channel;
    private final ModelContext context;
    private final BufferPool pool;
    private final Consumer<BlockingConnection> onClosed;
    private final long writeTimeoutNanos;
    /** The pair this connection works in, or null while it holds none; its own thread only. */
    private IoBuffers buffers;
    /**
     * Set while the thread is about to read, or reading, with nothing owed to the client. The
     * shutdown's {@link #closeIfIdle} and this thread each write their flag before reading the
     * other's (both volatile), so at least one of them sees the other and the read is not missed.
     */
    private volatile boolean idleRead;
    /**
     * The deadline of the read in progress, or {@link #NOT_READING}, or {@link #EXPIRED} once the
     * sweep has ended that read. Moved out of a deadline only by compare-and-set, so the reading
     * thread and the sweep agree on whether a read finished in time. (A new read with the same
     * deadline as the one the sweep saw is overdue too, so that case needs no version number.)
     */
    private volatile long readDeadline = NOT_READING;
    /**
     * The deadline of the write in progress, or {@link #NOT_WRITING}, or {@link #EXPIRED} once the
     * sweep has closed the channel under it; moved out of a deadline only by compare-and-set, as
     * {@link #readDeadline} is. A field of its own, so a sweep that saw a write's deadline cannot
     * mistake the read that follows it for that write.
     */
    private volatile long writeDeadline = NOT_WRITING;
    private static final long NOT_READING = Long.MIN_VALUE;
    /** The same value as {@link #NOT_READING}, so {@link #overdue} tells either slot's deadline apart. */
    private static final long NOT_WRITING = Long.MIN_VALUE;
    private static final long EXPIRED = Long.MIN_VALUE + 1;
    private static final VarHandle READ_DEADLINE;
    private static final VarHandle WRITE_DEADLINE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            READ_DEADLINE = lookup.findVarHandle(BlockingConnection.class, "readDeadline", long.class);
            WRITE_DEADLINE = lookup.findVarHandle(BlockingConnection.class, "writeDeadline", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** @param onClosed told once, from the connection's thread, when the connection has closed */
    BlockingConnection(SocketChannel channel, ModelContext context, BufferPool pool, Consumer<BlockingConnection> onClosed) {
        this.channel = channel;
        this.context = context;
        this.pool = pool;
        this.onClosed = onClosed;
        this.writeTimeoutNanos = context.config().writeTimeout().toNanos();
    }

    @Override
    public void run() {
        ByteBuffer landing = ByteBuffer.allocate(LANDING_BYTES);
        try {
            ProtocolSession session = context.sessions().newSession();
            loop:
            while (true) {
                IoBuffers work = buffers();
                Next next = session.process(work.in(), work.out(), System.nanoTime());
                flush(work.out());
                switch (next) {
                    case FLUSH -> {
                    }
                    case WAIT -> {
                        releaseIfEmpty();
                        Thread.sleep(session.waitMillis());
                    }
                    case CLOSE -> {
                        break loop;
                    }
                    case NEED_INPUT -> {
                        ReadResult result = read(session, landing);
                        if (result == ReadResult.TIMED_OUT) {
                            ByteBuffer out = buffers().out();
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
                context.counters().error(ServerError.IO);
            }
        } catch (InterruptedException e) {
            // Forced shutdown: the connection closes below.
        } catch (RuntimeException e) {
            // A bug in the protocol or here: loud, and the end of this connection only. Left to
            // the executor it would print and vanish uncounted (a pool would replace its thread).
            context.counters().handlerBug(describe(), e);
        } finally {
            if (buffers != null) {
                pool.give(buffers);
                buffers = null;
            }
            abandon();
        }
    }

    /** This connection, for a bug report: its thread and its client. */
    private String describe() {
        String client;
        try {
            client = String.valueOf(channel.getRemoteAddress());
        } catch (IOException e) {
            client = "a closed socket";
        }
        // The thread itself, not its name: virtual threads are unnamed, and its id tells them apart.
        return Thread.currentThread() + ", connection from " + client;
    }

    /** The pair to work in, taken from the pool if this connection holds none. */
    private IoBuffers buffers() {
        if (buffers == null) {
            buffers = pool.take();
        }
        return buffers;
    }

    /** Gives the pair back if it holds nothing, before the thread blocks. */
    private void releaseIfEmpty() {
        if (buffers != null && buffers.empty()) {
            pool.give(buffers);
            buffers = null;
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

    /**
     * Reads more input, waiting at most until the session's deadline (and one sweep period): into
     * the pair's input buffer behind a partial request, else into the landing buffer, with the
     * pair given back meanwhile.
     */
    private ReadResult read(ProtocolSession session, ByteBuffer landing) throws IOException {
        idleRead = session.idle();
        try {
            if (idleRead && context.shutdown().draining() && channel.socket().getInputStream().available() == 0) {
                return ReadResult.ENDED;
            }
            long deadline = session.deadlineNanos();
            if (deadline - System.nanoTime() <= 0) {
                return ReadResult.TIMED_OUT;
            }
            releaseIfEmpty();
            ByteBuffer target = buffers == null ? landing.clear() : buffers.in().compact();
            readDeadline = deadline;
            int n;
            try {
                n = channel.read(target);
            } finally {
                target.flip();
            }
            if (!READ_DEADLINE.compareAndSet(this, deadline, NOT_READING)) {
                return ReadResult.TIMED_OUT;
            }
            if (n < 0) {
                return ReadResult.ENDED;
            }
            context.counters().bytesRead(n);
            if (target == landing) {
                buffers().in().compact().put(landing).flip();
            }
            return ReadResult.DATA;
        } finally {
            readDeadline = NOT_READING;
            idleRead = false;
        }
    }

    /**
     * Called by the model's deadline sweep: if this connection's thread is reading past the
     * session's deadline, ends the read, which then reports a timeout; if it is writing past the
     * write deadline, closes the connection, counted as a write timeout.
     */
    void expireIfOverdue(long nowNanos) {
        long read = readDeadline;
        if (overdue(read, nowNanos) && READ_DEADLINE.compareAndSet(this, read, EXPIRED)) {
            shutdownInput();
        }
        long write = writeDeadline;
        if (overdue(write, nowNanos) && WRITE_DEADLINE.compareAndSet(this, write, EXPIRED)) {
            context.counters().error(ServerError.WRITE_TIMEOUT);
            close();
        }
    }

    /** True for a published deadline (not an empty slot, not already expired) that has passed. */
    private static boolean overdue(long deadline, long nowNanos) {
        return deadline != NOT_READING && deadline != EXPIRED && nowNanos - deadline >= 0;
    }

    /**
     * Writes all of {@code out} with blocking writes, each under a write deadline.
     *
     * @throws AsynchronousCloseException if the sweep closed the channel for a write past its deadline
     */
    private void flush(ByteBuffer out) throws IOException {
        out.flip();
        while (out.hasRemaining()) {
            long deadline = System.nanoTime() + writeTimeoutNanos;
            writeDeadline = deadline;
            int n;
            boolean inTime;
            try {
                n = channel.write(out);
            } finally {
                // Also after a failed write, so the sweep cannot count a dead write as a timeout.
                inTime = WRITE_DEADLINE.compareAndSet(this, deadline, NOT_WRITING);
            }
            if (!inTime) {
                // The write returned just as the sweep closed the channel for it.
                throw new AsynchronousCloseException();
            }
            context.counters().bytesWritten(n);
        }
        out.clear();
    }

    /** For graceful shutdown: ends the connection now if it is waiting for a request. */
    void closeIfIdle() {
        if (idleRead) {
            shutdownInput();
        }
    }

    /** Wakes a thread blocked reading this connection: its read returns the end of input. */
    private void shutdownInput() {
        try {
            channel.shutdownInput();
        } catch (IOException ignored) {
            // Already closed: nothing to wake.
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

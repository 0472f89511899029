package io.loombench.server.model;

import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Blocking I/O with a thread per connection, the thread coming from the given executor: the
 * VIRTUAL model passes a thread-per-task virtual-thread executor, the POOL model a fixed pool of
 * platform threads, whose queue holds the connections waiting for a thread. That queueing is the
 * behaviour under study.
 *
 * <p>Idle and read timeouts: one platform thread sweeps the connections for reads past their
 * deadline, as often as the NIO model's loops sweep theirs; see {@link BlockingConnection}.
 *
 * <p>Buffers: a connection at work holds a pair from the model's {@link BufferPool}, an idle one
 * only a small landing buffer; see {@link BlockingConnection}. The pool keeps
 * {@value #RETAINED_PAIRS_PER_PROCESSOR} free pairs per processor: more than the connections the
 * processors can work on at once, so a pair is rarely made under steady load.
 */
public final class BlockingModel implements ConcurrencyModel {
    static final int RETAINED_PAIRS_PER_PROCESSOR = 8;

    private final ModelContext context;
    private final ExecutorService executor;
    private final BufferPool buffers;
    private final Set<BlockingConnection> connections = ConcurrentHashMap.newKeySet();
    /** One instance for every connection: {@code this::closed} written at each accept would be an object per connection. */
    private final Consumer<BlockingConnection> onClosed = this::closed;
    private final Thread deadlineSweep;
    private volatile boolean closing;

    /** @param executor runs each connection's whole life; owned by this model from now on */
    public BlockingModel(ModelContext context, ExecutorService executor) {
        this.context = context;
        this.executor = executor;
        this.buffers = new BufferPool(context.config().bufferSize(),
                RETAINED_PAIRS_PER_PROCESSOR * Runtime.getRuntime().availableProcessors());
        // A plain thread rather than a scheduled executor, so close() can join it: an executor's
        // awaitTermination returns just before its last thread has ended.
        this.deadlineSweep = Thread.ofPlatform().name("loombench-deadlines").daemon().start(this::sweepDeadlines);
    }

    private void sweepDeadlines() {
        long period = context.deadlineSweepNanos();
        while (!closing) {
            LockSupport.parkNanos(this, period);
            long now = System.nanoTime();
            for (BlockingConnection connection : connections) {
                connection.expireIfOverdue(now);
            }
        }
    }

    @Override
    public void serve(SocketChannel channel) {
        BlockingConnection connection = new BlockingConnection(channel, context, buffers, onClosed);
        connections.add(connection);
        try {
            executor.execute(connection);
        } catch (RejectedExecutionException e) {
            connection.abandon();
        }
    }

    private void closed(BlockingConnection connection) {
        connections.remove(connection);
        context.counters().finished();
    }

    @Override
    public void drain() {
        for (BlockingConnection connection : connections) {
            connection.closeIfIdle();
        }
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        LockSupport.unpark(deadlineSweep);
        for (Runnable neverStarted : executor.shutdownNow()) {
            if (neverStarted instanceof BlockingConnection connection) {
                connection.abandon();
            }
        }
        for (BlockingConnection connection : connections) {
            connection.close();
        }
        if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("connection threads still running 10 s after their sockets closed");
        }
        deadlineSweep.join();
    }

    /** Buffer pairs held by connections now; for tests, which show an idle connection holds none. */
    int buffersInUse() {
        return buffers.inUse();
    }
}

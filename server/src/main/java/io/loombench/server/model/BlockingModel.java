package io.loombench.server.model;

import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Blocking I/O with a thread per connection, the thread coming from the given executor: the
 * VIRTUAL model passes a thread-per-task virtual-thread executor, the POOL model a fixed pool of
 * platform threads, whose queue holds the connections waiting for a thread. That queueing is the
 * behaviour under study.
 *
 * <p>Idle and read timeouts: one platform thread sweeps the connections for reads past their
 * deadline, as often as the NIO model's loops sweep theirs; see {@link BlockingConnection}.
 *
 * <p>UDP: one event loop receives datagrams and the executor's threads answer them.
 */
public final class BlockingModel implements ConcurrencyModel {
    private final ModelContext context;
    private final ExecutorService executor;
    private final Set<BlockingConnection> connections = ConcurrentHashMap.newKeySet();
    private final Thread deadlineSweep;
    private volatile boolean closing;
    private EventLoop udpLoop;
    private UdpEcho udp;

    /** @param executor runs each connection's whole life; owned by this model from now on */
    public BlockingModel(ModelContext context, ExecutorService executor) {
        this.context = context;
        this.executor = executor;
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
        BlockingConnection connection = new BlockingConnection(channel, context, this::closed);
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
    public void serve(DatagramChannel channel) {
        udpLoop = new EventLoop("loombench-udp", TimeUnit.SECONDS.toNanos(1), now -> { });
        udpLoop.start();
        udp = new UdpEcho(channel, udpLoop, context, new DatagramHandling.OnExecutor(executor));
        udp.start();
    }

    @Override
    public void drain() {
        for (BlockingConnection connection : connections) {
            connection.closeIfIdle();
        }
        if (udp != null) {
            udp.stopReceiving();
        }
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        LockSupport.unpark(deadlineSweep);
        if (udp != null) {
            udp.close();
            udpLoop.stop();
            udpLoop.join();
        }
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
}

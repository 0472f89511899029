package io.loombench.server.model;

import io.loombench.server.ServerConfig;

import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The NIO model: {@code eventLoops} selector threads, each owning the non-blocking connections the
 * acceptor hands it round-robin. A loop never blocks: the protocol's simulated wait is a loop
 * timer, and idle and read timeouts are enforced by a sweep of the loop's connections.
 *
 * <p>UDP uses one loop, which answers each datagram inline (or from a timer, with a think time).
 */
public final class EventLoopModel implements ConcurrencyModel {
    private final ModelContext context;
    private final List<EventLoop> loops = new ArrayList<>();
    private final List<NioConnections> connections = new ArrayList<>();
    private UdpEcho udp;
    private int next;

    public EventLoopModel(ModelContext context) {
        this.context = context;
        long sweepNanos = sweepPeriodNanos(context.config());
        for (int i = 0; i < context.config().eventLoops(); i++) {
            NioConnections owned = new NioConnections();
            EventLoop loop = new EventLoop("loombench-loop-" + i, sweepNanos, owned::checkDeadlines);
            loops.add(loop);
            connections.add(owned);
            loop.start();
        }
    }

    /**
     * A tenth of the shorter timeout, between 10 ms and 1 s: a connection times out at most 10%
     * late, and a loop with 10,000 connections spends a few microseconds per sweep.
     */
    private static long sweepPeriodNanos(ServerConfig config) {
        long shorter = Math.min(config.idleTimeout().toNanos(), config.readTimeout().toNanos());
        return Math.clamp(shorter / 10, TimeUnit.MILLISECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(1));
    }

    @Override
    public void serve(SocketChannel channel) {
        int i = next;
        next = (next + 1) % loops.size();
        EventLoop loop = loops.get(i);
        NioConnections owner = connections.get(i);
        loop.execute(() -> new NioConnection(channel, loop, owner, context).start());
    }

    @Override
    public void serve(DatagramChannel channel) {
        udp = new UdpEcho(channel, loops.get(0), context, new DatagramHandling.Inline());
        udp.start();
    }

    @Override
    public void drain() {
        for (int i = 0; i < loops.size(); i++) {
            NioConnections owned = connections.get(i);
            loops.get(i).execute(owned::closeIdle);
        }
        if (udp != null) {
            udp.stopReceiving();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (udp != null) {
            udp.close();
        }
        for (int i = 0; i < loops.size(); i++) {
            NioConnections owned = connections.get(i);
            EventLoop loop = loops.get(i);
            loop.execute(owned::closeAll);
            loop.stop();
        }
        for (EventLoop loop : loops) {
            loop.join();
        }
    }
}

package io.loombench.server.model;

import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The NIO model: selector threads, each owning the non-blocking connections the
 * acceptor hands it round-robin. A loop never blocks: the protocol's simulated wait is a loop
 * timer, and idle and read timeouts are enforced by a sweep of the loop's connections.
 */
public final class EventLoopModel implements ConcurrencyModel {
    private final ModelContext context;
    private final List<EventLoop> loops = new ArrayList<>();
    private final List<NioConnections> connections = new ArrayList<>();
    private int next;

    /** @param loopCount selector threads to start */
    public EventLoopModel(ModelContext context, int loopCount) {
        this.context = context;
        long sweepNanos = context.deadlineSweepNanos();
        for (int i = 0; i < loopCount; i++) {
            NioConnections owned = new NioConnections();
            EventLoop loop = new EventLoop("loombench-loop-" + i, sweepNanos, owned::checkDeadlines);
            loops.add(loop);
            connections.add(owned);
            loop.start();
        }
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
    public void drain() {
        for (int i = 0; i < loops.size(); i++) {
            NioConnections owned = connections.get(i);
            loops.get(i).execute(owned::closeIdle);
        }
    }

    @Override
    public void close() throws InterruptedException {
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

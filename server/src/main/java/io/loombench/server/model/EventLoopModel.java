package io.loombench.server.model;

import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The NIO model: selector threads, each owning the non-blocking connections the acceptor hands it
 * round-robin. A loop never blocks: the protocol's simulated wait is a loop timer, and idle and
 * read timeouts are enforced by a sweep of the loop's connections.
 *
 * <p>Each loop owns one pair of {@link IoBuffers} that its connections read and write through in
 * turn; a connection keeps bytes of its own only while a request is partly received or the socket
 * has not taken all its output, so an idle connection holds no buffer.
 */
public final class EventLoopModel implements ConcurrencyModel {
    private final ModelContext context;
    private final List<EventLoop> loops = new ArrayList<>();
    private final List<NioConnections> connections = new ArrayList<>();
    private final List<IoBuffers> buffers = new ArrayList<>();
    private int next;

    /** @param loopCount selector threads to start */
    public EventLoopModel(ModelContext context, int loopCount) {
        this.context = context;
        long sweepNanos = context.deadlineSweepNanos();
        for (int i = 0; i < loopCount; i++) {
            NioConnections owned = new NioConnections();
            EventLoop loop = new EventLoop("loombench-loop-" + i, sweepNanos, owned::checkDeadlines, context.counters()::handlerBug);
            loops.add(loop);
            connections.add(owned);
            buffers.add(IoBuffers.allocate(context.config().bufferSize()));
            loop.start();
        }
    }

    @Override
    public void serve(SocketChannel channel) {
        int i = next;
        next = (next + 1) % loops.size();
        EventLoop loop = loops.get(i);
        NioConnections owner = connections.get(i);
        IoBuffers loopBuffers = buffers.get(i);
        loop.execute(() -> new NioConnection(channel, loop, loopBuffers, owner, context).start());
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

    /**
     * Bytes the connections of every loop hold of their own (pending input and output), read on
     * each loop's thread; for tests, which show an idle connection holds none.
     */
    long heldBytes() throws InterruptedException, ExecutionException, TimeoutException {
        long sum = 0;
        for (int i = 0; i < loops.size(); i++) {
            NioConnections owned = connections.get(i);
            CompletableFuture<Long> held = new CompletableFuture<>();
            loops.get(i).execute(() -> held.complete(owned.heldBytes()));
            sum += held.get(10, TimeUnit.SECONDS);
        }
        return sum;
    }
}

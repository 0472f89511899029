package io.loombench.server.model;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Buffer pairs for the blocking models: a connection's thread takes a pair when bytes arrive and
 * gives it back before it blocks with both buffers empty (waiting for the next request, or
 * sleeping through a simulated wait), so only connections at work hold one. Thread-safe.
 *
 * <p>Keeps up to {@code retained} free pairs and makes a new one when none is free; a pair given
 * back to a full pool is left to the garbage collector. Taking and giving back lock briefly
 * (a {@link java.util.concurrent.locks.ReentrantLock}, which a virtual thread waits on without
 * pinning its carrier).
 */
final class BufferPool {
    private final int bufferSize;
    private final ArrayBlockingQueue<IoBuffers> free;
    private final AtomicInteger made = new AtomicInteger();
    private final AtomicInteger discarded = new AtomicInteger();

    /**
     * @param bufferSize bytes of each buffer
     * @param retained   free pairs kept for reuse, at least 1
     */
    BufferPool(int bufferSize, int retained) {
        this.bufferSize = bufferSize;
        this.free = new ArrayBlockingQueue<>(retained);
    }

    /** An empty pair: {@code in} in read mode with nothing to read, {@code out} cleared. */
    IoBuffers take() {
        IoBuffers pair = free.poll();
        if (pair == null) {
            made.incrementAndGet();
            pair = IoBuffers.allocate(bufferSize);
        }
        return pair;
    }

    /** Gives a pair back, forgetting anything still in it; the caller must not touch it again. */
    void give(IoBuffers pair) {
        pair.clear();
        if (!free.offer(pair)) {
            discarded.incrementAndGet();
        }
    }

    /** Pairs taken and not given back; for tests, which show an idle connection holds none. */
    int inUse() {
        return made.get() - discarded.get() - free.size();
    }
}

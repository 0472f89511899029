package io.loombench.loadgen.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Shared by a run's workers: one flag that ends the run early (fail-fast, or the caller gave up),
 * and the run-wide count of open connections with its high-water mark. The count changes only
 * when a connection opens or closes, never per request, so sharing it costs the hot path nothing.
 */
final class RunControl {
    private volatile boolean stopped;
    private volatile long stoppedAtNanos;
    private final AtomicLong open = new AtomicLong();
    private final AtomicLong peakOpen = new AtomicLong();

    void stop() {
        if (!stopped) {
            stoppedAtNanos = System.nanoTime();
            stopped = true;
        }
    }

    /** When {@link #stop()} was first called, on the {@link System#nanoTime()} clock; valid once {@link #stopped()}. */
    long stoppedAtNanos() {
        return stoppedAtNanos;
    }

    boolean stopped() {
        return stopped;
    }

    void opened() {
        peakOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
    }

    void closed() {
        open.decrementAndGet();
    }

    /** Connections open now. */
    long open() {
        return open.get();
    }

    /** The most connections the run had open at the same moment. */
    long peakOpen() {
        return peakOpen.get();
    }
}

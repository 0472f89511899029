package io.loombench.loadgen.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The run-wide count of open connections and its high-water mark. It changes only when a
 * connection opens or closes, never per request, so sharing it between workers costs the hot path
 * nothing.
 */
final class OpenGauge {
    private final AtomicLong open = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong intervalPeak = new AtomicLong();

    void opened() {
        long now = open.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
        intervalPeak.accumulateAndGet(now, Math::max);
    }

    void closed() {
        open.decrementAndGet();
    }

    /** Connections open now. */
    long open() {
        return open.get();
    }

    /**
     * The most connections open at the same moment since the last call (the reporter's last
     * interval); the next interval's mark starts from the connections open now.
     */
    long takeIntervalPeak() {
        return Math.max(intervalPeak.getAndSet(open.get()), open.get());
    }

    /** The most connections the run had open at the same moment. */
    long peak() {
        return peak.get();
    }
}

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

    void opened() {
        peak.accumulateAndGet(open.incrementAndGet(), Math::max);
    }

    void closed() {
        open.decrementAndGet();
    }

    /** Connections open now. */
    long open() {
        return open.get();
    }

    /** The most connections the run had open at the same moment. */
    long peak() {
        return peak.get();
    }
}

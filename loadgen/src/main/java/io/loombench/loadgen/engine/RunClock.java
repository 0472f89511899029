package io.loombench.loadgen.engine;

import io.loombench.loadgen.LoadSpec;

import java.util.concurrent.TimeUnit;

/**
 * The phases of a run on the {@link System#nanoTime()} clock: opening connections (from
 * {@code start}), warm-up (from {@code openedBy}), the measured period
 * {@code [measureStart, measureEnd)}, then a drain of at most two timeouts: one in which requests
 * that came due but waited for a free pipeline slot may still be sent, one for their answers.
 *
 * <p>A request belongs to the period its <em>intended</em> send time falls in: an answer that
 * arrives after {@code measureEnd} still counts if its request was due before.
 *
 * @param start               when the run began
 * @param openIntervalNanos   gap between consecutive first connection attempts
 * @param openedBy            when the last first attempt is made; warm-up starts here
 * @param measureStart        start of the measured period
 * @param measureEnd          end of the measured period; no request due after it is sent
 * @param timeoutNanos        the request timeout
 */
record RunClock(long start, long openIntervalNanos, long openedBy, long measureStart, long measureEnd, long timeoutNanos) {

    static RunClock of(LoadSpec spec, long start) {
        long pacedOpening = spec.connections() * TimeUnit.SECONDS.toNanos(1) / spec.connectRate();
        long opening = Math.max(spec.rampUp().toNanos(), pacedOpening);
        long openedBy = start + opening;
        long measureStart = openedBy + spec.warmup().toNanos();
        return new RunClock(start, opening / spec.connections(), openedBy, measureStart,
                measureStart + spec.duration().toNanos(), spec.timeout().toNanos());
    }

    /** When the connection with this index in the run makes its first attempt. */
    long connectAt(int globalIndex) {
        return start + globalIndex * openIntervalNanos;
    }

    boolean measured(long intendedNanos) {
        return intendedNanos - measureStart >= 0 && intendedNanos - measureEnd < 0;
    }
}

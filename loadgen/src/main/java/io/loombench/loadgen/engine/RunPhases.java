package io.loombench.loadgen.engine;

import io.loombench.loadgen.LoadSpec;
import io.loombench.loadgen.Phase;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The phases of a run, and the one place that decides them, on the {@link System#nanoTime()}
 * clock: {@link Phase#OPENING} from the start until every connection has opened once, then
 * {@link Phase#WARMUP} for the spec's warm-up, then the measured period
 * {@code [measureStart, measureEnd)} of the spec's duration, then {@link Phase#DRAINING}, in which
 * outstanding requests get their timeouts. {@link #stop()} ends the measured period early, and
 * {@link #abort()} ends the run at once.
 *
 * <p>A request belongs to the period its <em>intended</em> send time falls in: an answer that
 * arrives after {@code measureEnd} still counts if its request was due before.
 *
 * <p>How long the opening takes is known only when it ends, so until then the measured period
 * lies far in the future. The opening ends early, with some connections never opened, when it is
 * past its paced length ({@code connections / connectRate}, or the ramp-up) and no connection has
 * opened for the first time in twice the connect timeout, and at the latest {@link #OPENING_SLACK}
 * after its paced length: a target that refuses every connection cannot hold the run in its
 * opening.
 *
 * <p>Thread-safe: workers report first opens and read the boundaries on their hot path (volatile
 * reads); the reporting thread and callers of {@link #stop()} use it too.
 */
final class RunPhases {
    /** The longest the opening may take beyond its paced length. */
    static final long OPENING_SLACK = TimeUnit.SECONDS.toNanos(30);
    /** Far enough ahead of any instant of a run to stand for "not yet known", near enough not to overflow. */
    private static final long FAR = Long.MAX_VALUE / 4;
    private static final long NOT_YET = Long.MIN_VALUE;

    private final long start;
    private final int connections;
    private final long rampIntervalNanos;
    private final long pacedOpeningEnd;
    private final long openingDeadline;
    private final long progressTimeoutNanos;
    private final long warmupNanos;
    private final long durationNanos;
    private final AtomicInteger firstOpens = new AtomicInteger();
    private final AtomicLong openedAt = new AtomicLong(NOT_YET);
    private volatile long lastFirstOpen;
    private volatile long measureStart;
    private volatile long measureEnd;
    private volatile boolean stopped;
    private volatile long stoppedAt;
    private volatile boolean aborted;
    /** Run once the opening ends, by the thread that ended it: wakes the workers so they see the new boundaries. */
    private volatile Runnable onOpened = () -> { };

    RunPhases(LoadSpec spec, long start) {
        this.start = start;
        this.connections = spec.connections();
        this.rampIntervalNanos = spec.rampUp().toNanos() / spec.connections();
        long paced = Math.max(spec.rampUp().toNanos(), spec.connections() * TimeUnit.SECONDS.toNanos(1) / spec.connectRate());
        this.pacedOpeningEnd = start + paced;
        this.openingDeadline = pacedOpeningEnd + OPENING_SLACK;
        this.progressTimeoutNanos = 2 * spec.connectTimeout().toNanos();
        this.warmupNanos = spec.warmup().toNanos();
        this.durationNanos = spec.duration().toNanos();
        this.lastFirstOpen = start;
        this.measureStart = start + FAR;
        this.measureEnd = start + FAR;
    }

    /** Sets what runs once when the opening ends (the run wakes its workers). */
    void onOpened(Runnable action) {
        onOpened = action;
    }

    long start() {
        return start;
    }

    /** When the run's {@code globalIndex}-th connection may make its first attempt: spread over the ramp-up, else at once. */
    long connectAt(int globalIndex) {
        return start + globalIndex * rampIntervalNanos;
    }

    /** A connection opened for the first time; the last one ends the opening. */
    void firstOpen(long now) {
        lastFirstOpen = now;
        if (firstOpens.incrementAndGet() == connections) {
            endOpening(now);
        }
    }

    /** Ends an opening that has gone on too long; called periodically by the workers and the reporter. */
    void poll(long now) {
        if (opening() && (now - openingDeadline >= 0
                || (now - pacedOpeningEnd >= 0 && now - lastFirstOpen - progressTimeoutNanos >= 0))) {
            endOpening(now);
        }
    }

    private void endOpening(long now) {
        if (openedAt.compareAndSet(NOT_YET, now)) {
            measureEnd = now + warmupNanos + durationNanos;
            measureStart = now + warmupNanos;
            onOpened.run();
        }
    }

    boolean opening() {
        return openedAt.get() == NOT_YET;
    }

    /** How long the opening took; valid once it ended. */
    long openingNanos() {
        return openedAt.get() - start;
    }

    /** Connections that have opened at least once. */
    int firstOpens() {
        return firstOpens.get();
    }

    /** Start of the measured period; far in the future while the opening goes on. */
    long measureStart() {
        return measureStart;
    }

    /** End of the measured period: no request due after it is sent. Far in the future while the opening goes on. */
    long measureEnd() {
        return measureEnd;
    }

    boolean measured(long intendedNanos) {
        return intendedNanos - measureStart >= 0 && intendedNanos - measureEnd < 0;
    }

    /** Ends the measured period now, if it has not ended: no new requests, outstanding ones get their timeout. */
    void stop() {
        if (!stopped) {
            long now = System.nanoTime();
            stoppedAt = now;
            stopped = true;
            endOpening(now);
        }
    }

    boolean stopped() {
        return stopped;
    }

    /** Ends the run at once, without draining: it failed, and nothing it measured will be used. */
    void abort() {
        aborted = true;
        stop();
    }

    boolean aborted() {
        return aborted;
    }

    /** When {@link #stop()} was first called; valid once {@link #stopped()}. */
    long stoppedAt() {
        return stoppedAt;
    }

    /** When requests stop coming due: the end of the measured period, or the stop if that came first. */
    long issuingEnd() {
        return stopped && stoppedAt - measureEnd < 0 ? stoppedAt : measureEnd;
    }

    /** Where the measured period ends for a worker that stopped issuing at {@code stoppedIssuingAt} (its request budget can end it early). */
    long measuredUntil(long stoppedIssuingAt) {
        return stoppedIssuingAt - measureEnd < 0 ? stoppedIssuingAt : measureEnd;
    }

    /** True when {@link #stop()} came before the measured period's end: the figures cover only part of it. */
    boolean stoppedEarly() {
        return stopped && stoppedAt - measureEnd < 0;
    }

    Phase phaseAt(long nanos) {
        long opened = openedAt.get();
        if (opened == NOT_YET || nanos - opened < 0) {
            return Phase.OPENING;
        }
        if (nanos - measureStart < 0) {
            return Phase.WARMUP;
        }
        return nanos - issuingEnd() < 0 ? Phase.MEASURING : Phase.DRAINING;
    }
}

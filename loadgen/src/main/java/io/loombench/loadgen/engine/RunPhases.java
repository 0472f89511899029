package io.loombench.loadgen.engine;

import io.loombench.loadgen.LoadSpec;
import io.loombench.loadgen.Phase;
import io.loombench.loadgen.Start;

import java.time.Duration;
import java.time.Instant;
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
 * <p>With a fixed start ({@link Start.At}) the warm-up begins at that instant whatever the opening
 * does, so that shards on several hosts measure the same period: the measured period is known
 * from the outset, the schedules are anchored at the instant, the connections start opening
 * {@link #openingLead} before it, and a connection first opened after it is late
 * ({@link #lateNanos}); its sends due since the measured period began still count, from their
 * intended times.
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
    /** When the schedules' first sends are due: the run's start, or the fixed start. */
    private final long anchor;
    /** True when the warm-up begins at a fixed instant rather than once the connections are open. */
    private final boolean fixedStart;
    /** When the first connection may make its first attempt. */
    private final long connectFrom;
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
    /** When the last connection first opened, or {@link #NOT_YET}. */
    private volatile long allOpenedAt = NOT_YET;
    private volatile long measureStart;
    private volatile long measureEnd;
    private volatile boolean stopped;
    private volatile long stoppedAt;
    private volatile boolean aborted;
    /** Run once the opening ends, by the thread that ended it: wakes the workers so they see the new boundaries. */
    private volatile Runnable onOpened = () -> { };

    /**
     * @param start the run's start on the {@link System#nanoTime()} clock
     * @param now   the wall-clock instant of {@code start}, to place a fixed start on that clock
     */
    RunPhases(LoadSpec spec, long start, Instant now) {
        this.start = start;
        this.connections = spec.localConnections();
        // Spread over the ramp-up by global index, so that a shard's connections keep their places in the whole run's ramp.
        this.rampIntervalNanos = spec.rampUp().toNanos() / spec.connections();
        this.warmupNanos = spec.warmup().toNanos();
        this.durationNanos = spec.duration().toNanos();
        this.progressTimeoutNanos = 2 * spec.connectTimeout().toNanos();
        this.lastFirstOpen = start;
        switch (spec.start()) {
            case Start.WhenOpen whenOpen -> {
                this.fixedStart = false;
                this.anchor = start;
                this.connectFrom = start;
                this.measureStart = start + FAR;
                this.measureEnd = start + FAR;
            }
            case Start.At at -> {
                this.fixedStart = true;
                this.anchor = start + Duration.between(now, at.instant()).toNanos();
                this.connectFrom = Math.max(start, anchor - openingLead(spec));
                this.measureStart = anchor + warmupNanos;
                this.measureEnd = measureStart + durationNanos;
            }
        }
        long paced = Math.max(spec.rampUp().toNanos(), connections * TimeUnit.SECONDS.toNanos(1) / spec.connectRate());
        this.pacedOpeningEnd = connectFrom + paced;
        this.openingDeadline = pacedOpeningEnd + OPENING_SLACK;
    }

    /**
     * How long before a fixed start the connections begin to open: the ramp-up, plus the time the
     * connect pace takes at its slowest start ({@link ConnectGate#INITIAL_RATE}, before it has
     * doubled once), plus a second. Opening much earlier would leave the connections idle long
     * enough for a server's keep-alive timeout to close them.
     */
    static long openingLead(LoadSpec spec) {
        double pace = Math.min(spec.connectRate(), ConnectGate.INITIAL_RATE);
        return spec.rampUp().toNanos() + (long) (spec.localConnections() / pace * TimeUnit.SECONDS.toNanos(1))
                + TimeUnit.SECONDS.toNanos(1);
    }

    /** Sets what runs once when the opening ends (the run wakes its workers). */
    void onOpened(Runnable action) {
        onOpened = action;
    }

    long start() {
        return start;
    }

    /** When the schedules' first sends are due: the run's start, or its fixed start. */
    long anchor() {
        return anchor;
    }

    /** When the run's {@code globalIndex}-th connection may make its first attempt: spread over the ramp-up, else at once. */
    long connectAt(int globalIndex) {
        return connectFrom + globalIndex * rampIntervalNanos;
    }

    /** A connection opened for the first time; the last one ends the opening, unless the start is fixed. */
    void firstOpen(long now) {
        lastFirstOpen = now;
        if (firstOpens.incrementAndGet() == connections) {
            allOpenedAt = now;
            if (!fixedStart) {
                endOpening(now);
            }
        }
    }

    /**
     * Ends the opening at a fixed start once it has come, or an opening that has gone on too
     * long; called periodically by the workers and the reporter.
     */
    void poll(long now) {
        if (!opening()) {
            return;
        }
        if (fixedStart) {
            if (now - anchor >= 0) {
                endOpening(anchor);
            }
        } else if (now - openingDeadline >= 0 || (now - pacedOpeningEnd >= 0 && now - lastFirstOpen - progressTimeoutNanos >= 0)) {
            endOpening(now);
        }
    }

    /** With a fixed start the measured period was set at the outset; otherwise it starts a warm-up after {@code at}. */
    private void endOpening(long at) {
        if (openedAt.compareAndSet(NOT_YET, at)) {
            if (!fixedStart) {
                measureEnd = at + warmupNanos + durationNanos;
                measureStart = at + warmupNanos;
            }
            onOpened.run();
        }
    }

    /**
     * With a fixed start, how long after it the last connection first opened, or, while some
     * never has, how long after it {@code now} is; 0 when it came in time, and always 0 without a
     * fixed start.
     */
    long lateNanos(long now) {
        if (!fixedStart) {
            return 0;
        }
        long opened = allOpenedAt;
        return Math.max(0, (opened == NOT_YET ? now : opened) - anchor);
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

package io.loombench.loadgen.engine;

import java.util.concurrent.TimeUnit;

/**
 * Decides, for all of a run's workers, when a connection attempt may start, so that opening
 * thousands of connections does not overrun what the target accepts.
 *
 * <p>Why: a listening socket queues the connections its server has not accepted yet, up to its
 * backlog (1,024 for loombench's server, capped by the kernel's somaxconn). Once that queue is
 * full, the target's kernel drops new SYNs, and the client's kernel sends a dropped one again only
 * after a second, then after three more. A generator that opens at a fixed pace faster than the
 * server accepts fills the queue; from then on most of its attempts stall, time out and are
 * retried together, into a queue that is full again.
 *
 * <p>How: attempts start at a pace, a token bucket refilled at {@code rate} per second with a
 * burst of {@link #BURST_NANOS}' worth. Its size is a compromise between two facts. A worker asks
 * the gate once per turn of its loop, and a turn that serves thousands of open connections lasts
 * milliseconds to tens of them, so a worker gets at most one burst per turn: with a millisecond's
 * worth (10 attempts at 10,000/s), opening 10,000 connections flat out against loombench's
 * {@code nio} took 7.2 to 9.8 s, with ten milliseconds' 3.6 to 5.0 s. And a burst arrives at the
 * target at once, where its listen queue must hold it: 100 attempts at the default 10,000/s still
 * fit the common backlog of 128. The pace starts at {@link #INITIAL_RATE} (or the spec's connect
 * rate, if lower) and doubles every stall time while connections are served (a connection is
 * served when its first answer arrives: a server that accepts connections only to close them is
 * not serving them), up to the connect rate. A failed attempt (refused, closed before any answer,
 * stalled, out of local ports or files) halves it, at most once per stall time, down to
 * {@link #MIN_RATE}; after the first failure the pace grows back by a tenth of the connect rate per
 * second while connections are served. An attempt pending longer than the stall time is presumed
 * lost: its connection abandons it and tries again later, through this gate, rather than waiting
 * for the kernel's retransmission. So at most {@code rate × stall time} attempts are in flight,
 * sized by what the target has been accepting.
 *
 * <p>The stall time is TCP's retransmission timeout applied to connects: the smoothed connect
 * time plus four of its mean deviations, at least {@link #MIN_STALL_NANOS} (loopback connects take
 * microseconds; the floor is for a loaded machine whose generator is slow to notice them) and at
 * most the connect timeout. A connection whose attempts stall in a row doubles it for each next
 * attempt (see {@link Connection}), in case the target is simply farther away.
 *
 * <p>Thread-safe; workers call it once per attempt, which is rare next to requests.
 */
final class ConnectGate {
    static final double INITIAL_RATE = 1_000;
    static final double MIN_RATE = 1;
    static final long MIN_STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** The bucket holds this long's worth of attempts at the current pace (see the class comment). */
    static final long BURST_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final double SECOND = 1e9;

    private final double maxRate;
    private final long maxStallNanos;
    private double rate;
    private boolean slowStart = true;
    private double tokens = 1;
    private long refilledAt;
    private long grownAt;
    private long cutAt;
    /** Smoothed connect time and its mean deviation, as TCP smooths round trips; negative until the first success. */
    private double smoothedNanos = -1;
    private double deviationNanos;
    private long stallNanos;

    /**
     * @param maxRate             attempts per second at most (the spec's connect rate)
     * @param connectTimeoutNanos the longest an attempt may be waited for
     * @param now                 when the run starts
     */
    ConnectGate(double maxRate, long connectTimeoutNanos, long now) {
        this.maxRate = maxRate;
        this.maxStallNanos = connectTimeoutNanos;
        this.rate = Math.min(INITIAL_RATE, maxRate);
        this.stallNanos = Math.min(MIN_STALL_NANOS, connectTimeoutNanos);
        this.refilledAt = now;
        this.grownAt = now;
        this.cutAt = now - stallNanos;
    }

    /** Takes the right to start one attempt now; false when the pace allows none yet (then see {@link #nextAt}). */
    synchronized boolean tryAcquire(long now) {
        refill(now);
        if (tokens < 1) {
            return false;
        }
        tokens--;
        return true;
    }

    /** When the pace next allows an attempt, for a worker that was refused one at {@code now}. */
    synchronized long nextAt(long now) {
        refill(now);
        return tokens >= 1 ? now : now + (long) Math.ceil((1 - tokens) * SECOND / rate);
    }

    /** How long a first attempt may be pending before it is presumed lost. */
    synchronized long stallNanos() {
        return stallNanos;
    }

    /** The current pace, attempts per second. */
    synchronized double rate() {
        return rate;
    }

    /** An attempt completed after {@code connectNanos}: the stall time follows. */
    synchronized void connected(long connectNanos) {
        if (smoothedNanos < 0) {
            smoothedNanos = connectNanos;
            deviationNanos = connectNanos / 2.0;
        } else {
            deviationNanos += (Math.abs(smoothedNanos - connectNanos) - deviationNanos) / 4;
            smoothedNanos += (connectNanos - smoothedNanos) / 8;
        }
        stallNanos = Math.clamp((long) (smoothedNanos + 4 * deviationNanos), Math.min(MIN_STALL_NANOS, maxStallNanos), maxStallNanos);
    }

    /** A connection got its first answer since it opened: the target serves what it accepts, so the pace grows. */
    synchronized void served(long now) {
        refill(now);
        long elapsed = now - grownAt;
        rate = Math.min(maxRate, slowStart ? rate * Math.pow(2, (double) elapsed / stallNanos) : rate + maxRate / 10 * elapsed / SECOND);
        grownAt = now;
    }

    /** An attempt failed: refused, closed before any answer, stalled, or out of local ports or files. */
    synchronized void failed(long now) {
        refill(now);
        if (now - cutAt - stallNanos >= 0) {
            rate = Math.max(MIN_RATE, rate / 2);
            cutAt = now;
        }
        slowStart = false;
        grownAt = now;
    }

    private void refill(long now) {
        double burst = Math.max(1, rate * BURST_NANOS / SECOND);
        tokens = Math.min(burst, tokens + (now - refilledAt) * rate / SECOND);
        refilledAt = now;
    }
}

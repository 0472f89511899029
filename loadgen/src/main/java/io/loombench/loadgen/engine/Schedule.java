package io.loombench.loadgen.engine;

import java.util.SplittableRandom;

/**
 * The intended send times of one connection in the open model.
 *
 * <p>With total rate R over C connections, each connection sends every {@code C/R} seconds, and
 * connection {@code c} is offset by {@code c/R} so the aggregate is evenly spaced: the generator
 * offers load as a steady stream, not in bursts of C. Uniform times are computed from the start,
 * not accumulated, so they do not drift: send {@code k} of connection {@code c} is send
 * {@code n = c + k*C} of the run, due at {@code anchor + n/R}, rounded once. (Rounding the offset
 * and the period separately would put times up to 2 ns from where they belong, and aggregate gaps
 * off by as much.) Poisson times add exponential gaps with the same mean, from a per-connection
 * random stream derived from the seed.
 *
 * <p>Latency is measured from these intended times, not from when a request actually left: a
 * stalled server delays the requests queued behind it, and each of them shows that delay
 * (coordinated omission, avoided).
 */
final class Schedule {
    private final long anchorNanos;
    private final int connections;
    private final double ratePerSecond;
    /** {@code C/R} in nanoseconds: each connection's period, and its mean Poisson gap. */
    private final double periodNanos;
    private final SplittableRandom poisson;
    /** Uniform: the run-wide index of the next send. */
    private long index;
    /** Poisson: the next send's offset from the anchor. */
    private double poissonOffsetNanos;
    private long next;
    /** Poisson skips longer than this many sends are counted by their expected number; see {@link #skipUntil}. */
    private static final double POISSON_STEP_LIMIT = 1_000_000;

    /**
     * @param anchorNanos     when the first connection's first request is due
     * @param connectionIndex this connection's index among all of the run's connections
     * @param connections     connections in the run
     * @param ratePerSecond   total rate of the run
     * @param poissonSeed     seed of the exponential gaps, or null for uniform spacing
     */
    Schedule(long anchorNanos, int connectionIndex, int connections, double ratePerSecond, Long poissonSeed) {
        this.anchorNanos = anchorNanos;
        this.connections = connections;
        this.ratePerSecond = ratePerSecond;
        this.periodNanos = connections * 1e9 / ratePerSecond;
        this.poisson = poissonSeed == null ? null : new SplittableRandom(poissonSeed ^ (0x9E3779B97F4A7C15L * (connectionIndex + 1)));
        this.index = connectionIndex;
        this.poissonOffsetNanos = connectionIndex * 1e9 / ratePerSecond;
        this.next = anchorNanos + (long) poissonOffsetNanos;
        if (poisson != null) {
            advance();
        }
    }

    /** The next intended send time. */
    long next() {
        return next;
    }

    /**
     * Moves past every send time before {@code limitNanos} and returns how many it passed, without
     * stepping through each (a stalled run at a high rate can leave millions behind). Uniform:
     * computed, in constant time. Poisson: stepped through, up to a million; beyond that, the count is its
     * expected value and the times restart at the limit, which a Poisson process allows (it has no
     * memory), at the cost of the seed's exact sequence after the skip.
     */
    long skipUntil(long limitNanos) {
        long skipped = 0;
        if (poisson == null && next - limitNanos < 0) {
            // The run-wide send number due at the limit, a little low so that rounding cannot
            // make the jump overshoot; the loop below walks the last few steps.
            long target = (long) Math.floor((limitNanos - anchorNanos) * ratePerSecond / 1e9) - connections;
            long steps = Math.max(0, (target - index) / connections);
            index += steps * connections;
            next = anchorNanos + (long) (index * 1e9 / ratePerSecond);
            skipped = steps;
        } else if (poisson != null && (limitNanos - next) / periodNanos > POISSON_STEP_LIMIT) {
            skipped = Math.round((limitNanos - next) / periodNanos);
            poissonOffsetNanos = limitNanos - anchorNanos;
            advance();
        }
        while (next - limitNanos < 0) {
            advance();
            skipped++;
        }
        return skipped;
    }

    /** Moves to the following send time. */
    void advance() {
        if (poisson == null) {
            index += connections;
            next = anchorNanos + (long) (index * 1e9 / ratePerSecond);
        } else {
            poissonOffsetNanos += -Math.log(1.0 - poisson.nextDouble()) * periodNanos;
            next = anchorNanos + (long) poissonOffsetNanos;
        }
    }
}

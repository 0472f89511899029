package io.loombench.loadgen.engine;

import io.loombench.loadgen.Arrivals;
import io.loombench.loadgen.LoadSpec;

import java.util.SplittableRandom;

/**
 * When one connection intends to send its requests: as soon as it can (the closed model), or at
 * times fixed in advance (the open model), evenly spaced or as a Poisson process.
 *
 * <p>Open model: with total rate R over C connections, each connection sends every {@code C/R}
 * seconds on average, and connection {@code c} is offset by {@code c/R}, so the generator offers
 * load as a steady stream, not in bursts of C. Latency is measured from these intended times, not
 * from when a request actually left: a stalled server delays the requests queued behind it, and
 * each of them shows that delay (coordinated omission, avoided).
 */
sealed interface Schedule permits Schedule.Closed, Schedule.Uniform, Schedule.Poisson {

    /** The closed model's schedule: it holds no state, so every connection shares it. */
    Schedule CLOSED = new Closed();

    /** The schedule of the run's {@code connectionIndex}-th connection, anchored at {@code anchorNanos}. */
    static Schedule of(LoadSpec spec, long anchorNanos, int connectionIndex) {
        if (spec.closedModel()) {
            return CLOSED;
        }
        return spec.arrivals() == Arrivals.POISSON
                ? new Poisson(anchorNanos, connectionIndex, spec.connections(), spec.rate(), spec.seed())
                : new Uniform(anchorNanos, connectionIndex, spec.connections(), spec.rate());
    }

    /**
     * The intended send time of the next request, for a connection that could send it at
     * {@code now}: {@code now} itself in the closed model.
     */
    long next(long now);

    /** Moves past the time {@link #next} gave, once its request went out. */
    void advance();

    /**
     * Moves past every send time before {@code limitNanos} and returns how many it passed,
     * without stepping through each (a stalled run at a high rate can leave millions behind).
     */
    long skipUntil(long limitNanos);

    /** Closed model: each request is intended the moment the connection can send it. */
    record Closed() implements Schedule {
        @Override
        public long next(long now) {
            return now;
        }

        @Override
        public void advance() {
            // Nothing is planned, so nothing moves.
        }

        @Override
        public long skipUntil(long limitNanos) {
            return 0;
        }
    }

    /**
     * Evenly spaced times, computed from the start, not accumulated, so they do not drift: send
     * {@code k} of connection {@code c} is send {@code n = c + k*C} of the run, due at
     * {@code anchor + n/R}, rounded once. (Rounding the offset and the period separately would put
     * times up to 2 ns from where they belong, and aggregate gaps off by as much.)
     */
    final class Uniform implements Schedule {
        private final long anchorNanos;
        private final int connections;
        private final double ratePerSecond;
        /** The run-wide index of the next send. */
        private long index;
        private long next;

        /**
         * @param anchorNanos     when the first connection's first request is due
         * @param connectionIndex this connection's index among all of the run's connections
         * @param connections     connections in the run
         * @param ratePerSecond   total rate of the run
         */
        Uniform(long anchorNanos, int connectionIndex, int connections, double ratePerSecond) {
            this.anchorNanos = anchorNanos;
            this.connections = connections;
            this.ratePerSecond = ratePerSecond;
            this.index = connectionIndex;
            this.next = timeOf(index);
        }

        @Override
        public long next(long now) {
            return next;
        }

        @Override
        public void advance() {
            index += connections;
            next = timeOf(index);
        }

        /** In constant time: the send number due at the limit is computed, not stepped to. */
        @Override
        public long skipUntil(long limitNanos) {
            long skipped = 0;
            if (next - limitNanos < 0) {
                // The run-wide send number due at the limit, a little low so that rounding cannot
                // make the jump overshoot; the loop below walks the last few steps.
                long target = (long) Math.floor((limitNanos - anchorNanos) * ratePerSecond / 1e9) - connections;
                long steps = Math.max(0, (target - index) / connections);
                index += steps * connections;
                next = timeOf(index);
                skipped = steps;
            }
            while (next - limitNanos < 0) {
                advance();
                skipped++;
            }
            return skipped;
        }

        private long timeOf(long runWideIndex) {
            return anchorNanos + (long) (runWideIndex * 1e9 / ratePerSecond);
        }
    }

    /**
     * Exponential gaps with the open model's mean, from a per-connection random stream derived
     * from the seed, so a run can be repeated.
     */
    final class Poisson implements Schedule {
        /** Skips longer than this many sends are counted by their expected number; see {@link #skipUntil}. */
        private static final double STEP_LIMIT = 1_000_000;

        private final long anchorNanos;
        /** {@code C/R} in nanoseconds: the mean gap. */
        private final double periodNanos;
        private final SplittableRandom random;
        /** The next send's offset from the anchor. */
        private double offsetNanos;
        private long next;

        /**
         * @param anchorNanos     when the first connection's first request would be due if uniform
         * @param connectionIndex this connection's index among all of the run's connections
         * @param connections     connections in the run
         * @param ratePerSecond   total rate of the run
         * @param seed            the run's seed
         */
        Poisson(long anchorNanos, int connectionIndex, int connections, double ratePerSecond, long seed) {
            this.anchorNanos = anchorNanos;
            this.periodNanos = connections * 1e9 / ratePerSecond;
            this.random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (connectionIndex + 1)));
            this.offsetNanos = connectionIndex * 1e9 / ratePerSecond;
            advance();
        }

        @Override
        public long next(long now) {
            return next;
        }

        @Override
        public void advance() {
            offsetNanos += -Math.log(1.0 - random.nextDouble()) * periodNanos;
            next = anchorNanos + (long) offsetNanos;
        }

        /**
         * Stepped through, up to a million sends; beyond that, the count is its expected value and
         * the times restart at the limit, which a Poisson process allows (it has no memory), at
         * the cost of the seed's exact sequence after the skip.
         */
        @Override
        public long skipUntil(long limitNanos) {
            long skipped = 0;
            if ((limitNanos - next) / periodNanos > STEP_LIMIT) {
                skipped = Math.round((limitNanos - next) / periodNanos);
                offsetNanos = limitNanos - anchorNanos;
                advance();
            }
            while (next - limitNanos < 0) {
                advance();
                skipped++;
            }
            return skipped;
        }
    }
}

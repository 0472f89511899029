package io.loombench.loadgen.engine;

import io.loombench.loadgen.Arrivals;
import io.loombench.loadgen.LoadProtocol;
import io.loombench.loadgen.LoadSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link Schedule}'s open-model variants: uniform times are exact (the aggregate of all connections is evenly spaced at
 * 1/R, each time within 1 ns of the exact one, with no drift however far the schedule runs);
 * Poisson times are reproducible per (seed, connection), differ between connections, and have the
 * right mean gap.
 */
class ScheduleTest {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /**
     * Send {@code n} of the run (connection {@code n % C}, its send {@code n / C}) is due at
     * {@code anchor + n * 10^9 / R} exactly; the schedule may round that to either neighbouring
     * nanosecond, never further. Checked for every send up to 10^6 sends per connection, with
     * anchors on both sides of the {@code nanoTime} wrap-around.
     */
    @ParameterizedTest(name = "{0} connections at {1}/s from {2}")
    @CsvSource({
        "1, 1000, 0",
        "3, 7, 123456789",
        "7, 3, -5000000000",
        "10, 1000000, 9223372036854775000",
        "13, 999983, -9223372036854775000",
        "64, 3000000, 9223372036854775807",
        "5, 333333, 42",
    })
    void uniformTimesAreExactToTheNanosecond(int connections, long rate, long anchor) {
        int sends = 1_000_000;
        // The first, second, middle and last connection: enough to see every offset pattern, and fast.
        for (int c : IntStream.of(0, 1, connections / 2, connections - 1).filter(i -> i < connections)
                .distinct().toArray()) {
            Schedule schedule = new Schedule.Uniform(anchor, c, connections, rate);
            for (long k = 0; k < sends; k++) {
                long n = c + k * connections;
                long exactFloor = Math.multiplyExact(n, NANOS_PER_SECOND) / rate;
                boolean integral = Math.multiplyExact(n, NANOS_PER_SECOND) % rate == 0;
                long offset = schedule.next(0) - anchor;
                if (offset != exactFloor && (integral || offset != exactFloor + 1)) {
                    throw new AssertionError("connection " + c + " send " + k + " (run-wide " + n + ") is due "
                            + offset + " ns after the anchor, exactly " + n + " * 10^9 / " + rate + " = " + exactFloor
                            + (integral ? "" : ".." + (exactFloor + 1)));
                }
                schedule.advance();
            }
        }
    }

    /** The aggregate of all connections, merged, is strictly increasing with gaps of 1/R rounded either way. */
    @Test
    void aggregateIsEvenlySpaced() {
        int connections = 7;
        long rate = 300_000;   // 3333.33 ns apart
        int perConnection = 10_000;
        long anchor = Long.MAX_VALUE - 10_000_000L;   // wraps during the run
        long[] times = new long[connections * perConnection];
        int t = 0;
        for (int c = 0; c < connections; c++) {
            Schedule schedule = new Schedule.Uniform(anchor, c, connections, rate);
            for (int k = 0; k < perConnection; k++) {
                times[t++] = schedule.next(0) - anchor;
                schedule.advance();
            }
        }
        Arrays.sort(times);
        for (int i = 1; i < times.length; i++) {
            assertThat(times[i] - times[i - 1]).as("gap %d", i).isBetween(3333L, 3334L);
        }
        assertThat(times[times.length - 1]).isEqualTo((times.length - 1) * NANOS_PER_SECOND / rate);
    }

    @Test
    void fractionalRatesDoNotDrift() {
        // A quarter of a request per second over 2 connections: each connection every 8 s.
        Schedule schedule = new Schedule.Uniform(0, 1, 2, 0.25);
        for (int k = 0; k < 1_000_000; k++) {
            schedule.advance();
        }
        assertThat(schedule.next(0)).isEqualTo((1 + 1_000_000L * 2) * 4 * NANOS_PER_SECOND);
    }

    @Test
    void poissonIsReproducibleFromTheSeed() {
        long[] first = poissonTimes(17L, 3, 8, 10_000, 10_000);
        long[] second = poissonTimes(17L, 3, 8, 10_000, 10_000);
        assertThat(first).isEqualTo(second);
    }

    @Test
    void poissonStreamsDifferBetweenConnectionsAndSeeds() {
        long[] gaps0 = gaps(poissonTimes(17L, 0, 8, 10_000, 1_000));
        long[] gaps1 = gaps(poissonTimes(17L, 1, 8, 10_000, 1_000));
        long[] otherSeed = gaps(poissonTimes(18L, 0, 8, 10_000, 1_000));
        assertThat(gaps0).isNotEqualTo(gaps1).isNotEqualTo(otherSeed);
        // Not merely shifted: hardly any gap coincides.
        assertThat(coinciding(gaps0, gaps1)).isLessThan(10);
        assertThat(coinciding(gaps0, otherSeed)).isLessThan(10);
    }

    /**
     * Exponential gaps of mean m = C/R: over N = 10^6 gaps the sample mean has a standard error of
     * m / 1000, so 1% is ten standard errors; the standard deviation of an exponential equals its
     * mean, and a gap exceeds the mean with probability 1/e.
     */
    @Test
    void poissonGapsHaveTheRightDistribution() {
        int connections = 4;
        double rate = 40_000;   // mean gap per connection: 100 us
        double mean = connections * 1e9 / rate;
        int n = 1_000_000;
        long[] gaps = gaps(poissonTimes(7L, 2, connections, rate, n + 1));
        double sum = 0;
        double sumSquares = 0;
        long above = 0;
        for (long gap : gaps) {
            assertThat(gap).isNotNegative();
            sum += gap;
            sumSquares += (double) gap * gap;
            if (gap > mean) {
                above++;
            }
        }
        double sampleMean = sum / n;
        double sampleDeviation = Math.sqrt(sumSquares / n - sampleMean * sampleMean);
        assertThat(sampleMean).isCloseTo(mean, within(0.01 * mean));
        assertThat(sampleDeviation).isCloseTo(mean, within(0.02 * mean));
        assertThat((double) above / n).isCloseTo(Math.exp(-1), within(0.005));
    }

    @Test
    void poissonTimesNeverGoBackwardsWithTinyGaps() {
        // A mean gap of 2 ns: truncation to whole nanoseconds must still never go backwards.
        long[] gaps = gaps(poissonTimes(99L, 0, 1, 5e8, 100_000));
        assertThat(Arrays.stream(gaps).min().orElseThrow()).isNotNegative();
    }

    @Test
    void poissonStartsAfterTheConnectionsOffset() {
        long anchor = Long.MAX_VALUE - 5;
        Schedule schedule = new Schedule.Poisson(anchor, 3, 4, 1000, 1L);
        assertThat(schedule.next(0) - (anchor + 3 * NANOS_PER_SECOND / 1000)).isNotNegative();
    }

    /** Skipping lands where stepping lands, and counts what stepping counts, for any limit. */
    @ParameterizedTest(name = "{0} connections at {1}/s from {2}")
    @CsvSource({
        "1, 1000, 0",
        "3, 7, 123456789",
        "64, 3000000, 9223372036854775807",
        "13, 999983, -9223372036854775000",
    })
    void uniformSkipMatchesStepping(int connections, long rate, long anchor) {
        SplittableRandom random = new SplittableRandom(rate);
        for (int c : IntStream.of(0, connections - 1).distinct().toArray()) {
            Schedule skipping = new Schedule.Uniform(anchor, c, connections, rate);
            Schedule stepping = new Schedule.Uniform(anchor, c, connections, rate);
            long limit = anchor;
            for (int round = 0; round < 200; round++) {
                limit += random.nextLong(0, 20_000L * NANOS_PER_SECOND * connections / rate + 2);
                long stepped = 0;
                while (stepping.next(0) - limit < 0) {
                    stepping.advance();
                    stepped++;
                }
                assertThat(skipping.skipUntil(limit)).as("skipped before %d", limit).isEqualTo(stepped);
                assertThat(skipping.next(0)).isEqualTo(stepping.next(0));
            }
        }
    }

    @Test
    void poissonSkipStepsThroughShortSkipsExactly() {
        Schedule skipping = new Schedule.Poisson(0, 2, 5, 1000, 42L);
        Schedule stepping = new Schedule.Poisson(0, 2, 5, 1000, 42L);
        long limit = 3 * NANOS_PER_SECOND;
        long stepped = 0;
        while (stepping.next(0) - limit < 0) {
            stepping.advance();
            stepped++;
        }
        assertThat(skipping.skipUntil(limit)).isEqualTo(stepped);
        assertThat(skipping.next(0)).isEqualTo(stepping.next(0));
    }

    @Test
    void hugeSkipsTakeNoTimeAndCountWhatWasDue() {
        long hour = 3600 * NANOS_PER_SECOND;
        Schedule uniform = new Schedule.Uniform(0, 0, 1, 1e8);
        assertThat(uniform.skipUntil(hour)).isEqualTo(360_000_000_000L);
        assertThat(uniform.next(0)).isEqualTo(hour);

        Schedule poisson = new Schedule.Poisson(0, 0, 1, 1e8, 7L);
        assertThat((double) poisson.skipUntil(hour)).isCloseTo(3.6e11, within(1e6));
        assertThat(poisson.next(0)).isGreaterThanOrEqualTo(hour);
    }

    private static long[] poissonTimes(long seed, int connection, int connections, double rate, int count) {
        Schedule schedule = new Schedule.Poisson(Long.MAX_VALUE - 1_000_000L, connection, connections, rate, seed);
        long[] times = new long[count];
        for (int i = 0; i < count; i++) {
            times[i] = schedule.next(0);
            schedule.advance();
        }
        return times;
    }

    private static long[] gaps(long[] times) {
        long[] gaps = new long[times.length - 1];
        for (int i = 1; i < times.length; i++) {
            gaps[i - 1] = times[i] - times[i - 1];
        }
        return gaps;
    }

    private static int coinciding(long[] a, long[] b) {
        int same = 0;
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            if (a[i] == b[i]) {
                same++;
            }
        }
        return same;
    }
    /** The closed model plans nothing: each request is intended when it can go, and nothing is ever skipped. */
    @Test
    void theClosedScheduleIntendsEachRequestWhenItCanGo() {
        Schedule closed = Schedule.CLOSED;
        assertThat(closed.next(123)).isEqualTo(123);
        closed.advance();
        assertThat(closed.next(-5)).isEqualTo(-5);
        assertThat(closed.skipUntil(Long.MAX_VALUE)).isZero();
    }

    @Test
    void theSpecChoosesTheVariant() {
        InetSocketAddress target = new InetSocketAddress("127.0.0.1", 9);
        LoadSpec.Builder spec = LoadSpec.builder(LoadProtocol.TCP_ECHO, target)
                .connections(4);
        assertThat(Schedule.of(spec.build(), 0, 1)).isSameAs(Schedule.CLOSED);
        assertThat(Schedule.of(spec.rate(100).build(), 0, 1)).isInstanceOf(Schedule.Uniform.class);
        assertThat(Schedule.of(spec.rate(100).arrivals(Arrivals.POISSON).build(), 0, 1))
                .isInstanceOf(Schedule.Poisson.class);
    }
}

package io.loombench.loadgen;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reason the generator exists: a server that stalls must not be able to hide the stall.
 *
 * <p>Setup, after wrk2's reasoning: one connection, an open-model rate of R = 100 req/s for
 * D = 4 s, and an echo server that stalls once for S = 0.8 s. While it stalls, the R*S = 80
 * requests that come due cannot be sent; each waits from its intended send time until the stall
 * ends, so their response times spread evenly from S down to 0. A fraction S/D = 20% of all
 * requests is in that spread, and the response time at percentile p is therefore about
 * S - (1 - p) * D: about 0.4 s at p90 and 0.76 s at p99.
 *
 * <p>Service time, counted from the actual send, sees none of this but the one request that was
 * at the server when it stalled: a closed-loop tool would report a clean p99. Send lag sees none
 * of it either: the backlog waited for the server's answer, not for the generator. The bounds below
 * allow for the catch-up after the stall and for a loaded machine; they are far apart from what
 * an uncorrected measurement would give. The backlog goes out one request at a time, so each round
 * trip then adds to the latencies above, and it drains only while a round trip takes less than
 * 1/R. The percentiles depend on S/D alone, so R is kept low: at 100 req/s a round trip may take
 * up to 10 ms, which a loaded 2-core machine's thread wake-ups stay well under (at 500 req/s the
 * limit was 2 ms, and a busy machine's catch-up pushed p90 past its band).
 */
@Timeout(60)
class CoordinatedOmissionTest {
    private static final int RATE = 100;
    private static final double STALL_SECONDS = 0.8;
    private static final double DURATION_SECONDS = 4;

    @Test
    void stallShowsInCorrectedLatencyAndNotInServiceTime() throws Exception {
        AtomicLong stalledAt = new AtomicLong();
        try (FakeServers.Tcp server = new FakeServers.Tcp(FakeServers.stallingEcho(1500, (long) (STALL_SECONDS * 1000), stalledAt))) {
            LoadSpec spec = LoadSpec.builder(LoadProtocol.TCP_ECHO, server.address())
                    .connections(1).threads(1).rate(RATE).payloadBytes(16)
                    .duration(Duration.ofMillis((long) (DURATION_SECONDS * 1000)))
                    .timeout(Duration.ofSeconds(5))
                    .build();

            LoadResult result = LoadGenerator.run(spec);

            assertThat(stalledAt.get()).as("the server stalled during the run").isNotZero();
            assertThat(result.totalErrors()).isZero();
            assertThat(result.completed() + result.unsent()).as("every request due was answered or counted unsent")
                    .isBetween(399L, 401L);
            assertThat(result.unsent()).as("the backlog is sent even when the stall reaches the end").isLessThanOrEqualTo(4);
            Histogram corrected = result.response();
            assertThat(seconds(corrected.getValueAtPercentile(90))).as("corrected p90, predicted 0.40 s").isBetween(0.30, 0.60);
            assertThat(seconds(corrected.getValueAtPercentile(99))).as("corrected p99, predicted 0.76 s").isBetween(0.66, 0.98);
            assertThat(seconds(corrected.getMaxValue())).as("corrected max, predicted 0.80 s").isBetween(0.78, 1.20);
            assertThat(seconds(corrected.getValueAtPercentile(50))).as("corrected median: most requests never met the stall").isLessThan(0.05);

            Histogram service = result.service();
            assertThat(seconds(service.getValueAtPercentile(90))).as("uncorrected p90").isLessThan(0.05);
            assertThat(seconds(service.getValueAtPercentile(99))).as("uncorrected p99").isLessThan(0.2);
            assertThat(seconds(service.getMaxValue())).as("the one request caught in the stall").isGreaterThan(0.75);
            assertThat(seconds(result.sendLag().getValueAtPercentile(99)))
                    .as("the backlog waited for the server, which is not the generator's lag").isLessThan(0.1);
        }
    }

    private static double seconds(long micros) {
        return micros / 1e6;
    }
}

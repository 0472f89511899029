package io.loombench.loadgen;

import io.loombench.server.Model;
import io.loombench.server.Server;
import io.loombench.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real search against the real server, whose capacity Little's law gives in advance.
 *
 * <p>The server runs model POOL with 4 threads, and {@code GET /delay?ms=20} holds each request
 * for at least 20 ms. The generator opens 4 connections, so each owns a pool thread, and sends one
 * request at a time on each. A connection then carries one request per 20 ms at most: in a
 * measured period stretched to M seconds (M >= 1 here), the 4 connections complete at most
 * {@code 4 * (M / 0.020 + 1) = 200 M + 4} measured requests. A step at rate R offers
 * {@code R - 1} requests or more in its 1 s (uniform arrivals), and meets only if it achieved 99%
 * of that: {@code (200 M + 4) / M >= 0.99 (R - 1)}, so {@code R <= 204 / 0.99 + 1 = 207.1}: no
 * met step, and so no capacity, can exceed that, however fast or slow the machine. The lower bound is generous: on an idle machine the capacity comes out
 * near 200 req/s; a loaded one delays answers, but a quarter of the ceiling leaves them 80 ms of
 * the 100 ms SLO beyond the 20 ms of the delay itself.
 *
 * <p>Each step is 0.2 s of warm-up and 1 s measured; an overloaded one adds at most two 1 s
 * timeouts of draining. From 100 req/s the search takes about 7 steps, some 15 s.
 */
@Timeout(90)
class CapacityEndToEndTest {

    @Test
    void findsAtMostWhatLittlesLawAllows() throws Exception {
        ServerConfig config = ServerConfig.builder().model(Model.POOL).poolThreads(4).port(0).build();
        try (Server server = Server.start(config)) {
            InetSocketAddress address = server.address();
            LoadSpec template = LoadSpec.builder(LoadProtocol.HTTP, address)
                    .http(new HttpRequestSpec("GET", "/delay?ms=20", "127.0.0.1:" + address.getPort(), List.of(), new byte[0]))
                    .connections(4).threads(1)
                    .warmup(Duration.ofMillis(200)).duration(Duration.ofSeconds(1)).timeout(Duration.ofSeconds(1))
                    .build();
            List<CapacitySearch.Step> told = new ArrayList<>();

            CapacitySearch.Result result = CapacitySearch.builder(Slo.parse("p99<=100ms"), 100).build()
                    .run(CapacitySearch.Trial.of(template), told::add);

            assertThat(result.steps()).as("steps: %s", result.steps()).hasSizeLessThanOrEqualTo(CapacitySearch.DEFAULT_MAX_STEPS);
            assertThat(told).isEqualTo(result.steps());
            assertThat(result.ending()).as("steps: %s", result.steps()).isEqualTo(CapacitySearch.Ending.FOUND);
            assertThat(result.capacity()).as("steps: %s", result.steps()).isBetween(50.0, 200 * 1.05);
            assertThat(result.upper() / result.capacity()).isLessThanOrEqualTo(1.05);
            assertThat(result.steps()).filteredOn(CapacitySearch.Step::met).allSatisfy(step -> {
                assertThat(step.errors()).isZero();
                assertThat(step.percentileMicros()).isGreaterThanOrEqualTo(20_000).isLessThanOrEqualTo(100_000);
            });
            assertThat(server.stats().requests()).as("the server answered the steps' requests").isPositive();
        }
    }
}

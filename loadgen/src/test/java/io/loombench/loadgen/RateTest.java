package io.loombench.loadgen;

import io.loombench.common.CpuSteal;
import io.loombench.server.Model;
import io.loombench.server.Server;
import io.loombench.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The open model sends what was asked: the measured requests are exactly those whose intended
 * send times fall in the measured period, so with a server that keeps up their count is
 * {@code rate * duration}, give or take one per connection at the edges.
 */
@Timeout(60)
class RateTest {
    private static Server server;

    @BeforeAll
    static void startServer() throws Exception {
        server = Server.start(ServerConfig.builder().model(Model.NIO).port(0).build());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static LoadSpec.Builder plaintext(int connections) {
        InetSocketAddress address = server.address();
        return LoadSpec.builder(LoadProtocol.HTTP, address)
                .http(new HttpRequestSpec("GET", "/plaintext", "127.0.0.1:" + address.getPort(), List.of(), new byte[0]))
                .connections(connections).threads(2);
    }

    @Test
    void uniformArrivalsSendRateTimesDuration() throws Exception {
        LoadResult result = LoadGenerator.run(plaintext(8).rate(2000).duration(Duration.ofSeconds(3))
                .warmup(Duration.ofMillis(500)).build());

        assertThat(result.totalErrors()).isZero();
        assertThat(result.requested()).isEqualTo(6000);
        assertThat(result.completed()).as("rate x duration, within one request per connection").isBetween(5992L, 6008L);
        assertThat(result.unsent()).isZero();
        assertThat(result.statusClasses()).containsKey("2xx");
        assertThat(result.response().getTotalCount()).isEqualTo(result.completed());
        if (Files.isReadable(Path.of("/proc/stat"))) {
            assertThat(result.cpuSteal()).as("the measured period's steal, of the CPUs this process may run on").hasValueSatisfying(steal -> {
                assertThat(steal.cpus()).isEqualTo(CpuSteal.ofSelf().orElseThrow().cpus());
                assertThat(steal.share()).isBetween(0.0, 1.0);
            });
        }
    }

    @Test
    void poissonArrivalsSendRateTimesDurationOnAverage() throws Exception {
        LoadResult result = LoadGenerator.run(plaintext(8).rate(2000).arrivals(Arrivals.POISSON).seed(7)
                .duration(Duration.ofSeconds(3)).build());

        // A Poisson count with mean 6000 has a standard deviation of about 77; 7% is over 5 of them.
        assertThat(result.totalErrors()).isZero();
        assertThat(result.completed()).isBetween(5580L, 6420L);
    }

    @Test
    void aRunShorterThanASecondStillSeesEveryConnectionOpen() throws Exception {
        LoadResult result = LoadGenerator.run(plaintext(10).rate(1000).duration(Duration.ofMillis(300)).build());

        assertThat(result.peakConnections()).isEqualTo(10);
        assertThat(result.warnings()).noneMatch(warning -> warning.contains("connections were open"));
    }

    @Test
    void requestBoundEndsTheRunEarly() throws Exception {
        LoadResult result = LoadGenerator.run(plaintext(4).maxRequests(500).duration(Duration.ofSeconds(30)).build());

        assertThat(result.completed()).isEqualTo(500);
        assertThat(result.measuredSeconds()).isLessThan(30);
    }
}

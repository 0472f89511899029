package io.loombench.loadgen;

import io.loombench.loadgen.engine.LoadRun;
import io.loombench.server.Model;
import io.loombench.server.Server;
import io.loombench.server.ServerConfig;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Snapshots of a run in progress cut it into periods with nothing lost and nothing counted twice,
 * while the reporting thread keeps taking its one-second intervals from the same recorders.
 */
@Timeout(60)
class LoadSnapshotTest {
    private static Server server;

    @BeforeAll
    static void startServer() throws Exception {
        server = Server.start(ServerConfig.builder().model(Model.NIO).port(0).build());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void periodsAddUpToTheRunAndToItsIntervals() throws Exception {
        InetSocketAddress address = server.address();
        LoadSpec spec = LoadSpec.builder(LoadProtocol.HTTP, address)
                .http(new HttpRequestSpec("GET", "/plaintext", "127.0.0.1:" + address.getPort(), List.of(), new byte[0]))
                .connections(4).threads(2).rate(2000).duration(Duration.ofMillis(2500)).build();
        LoadRun run = LoadRun.start(spec);
        AtomicLong intervalResponses = new AtomicLong();
        AtomicReference<LoadResult> finished = new AtomicReference<>();
        AtomicReference<LoadSnapshot> last = new AtomicReference<>();
        Thread reporter = Thread.ofPlatform().start(() -> {
            try {
                LoadResult result = run.await(interval -> intervalResponses.addAndGet(interval.response().getTotalCount()));
                last.set(run.snapshot());
                finished.set(result);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<LoadSnapshot> periods = new ArrayList<>();
        LoadSnapshot previous = run.snapshot();
        periods.add(previous);
        // Cut the run wherever the answers happen to stand, not on the reporter's seconds.
        for (long mark = 700; mark <= 2800 && System.nanoTime() < deadline; mark += 700) {
            while (run.completed() < mark && reporter.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            LoadSnapshot now = run.snapshot();
            assertThat(now.completed()).isGreaterThanOrEqualTo(previous.completed());
            periods.add(now);
            previous = now;
        }
        reporter.join(TimeUnit.SECONDS.toMillis(30));

        LoadResult result = finished.get();
        LoadSnapshot end = last.get();
        assertThat(result).as("the run ended").isNotNull();
        assertThat(result.totalErrors()).isZero();
        assertThat(end.response().getTotalCount()).isEqualTo(result.response().getTotalCount()).isEqualTo(result.completed());
        assertThat(end.completed()).isEqualTo(run.completed());
        assertThat(intervalResponses.get()).as("the reporter's intervals, taken from the same recorders")
                .isEqualTo(result.response().getTotalCount());

        // The first snapshot already holds the few answers that came before it.
        long summed = periods.get(0).response().getTotalCount();
        Histogram union = periods.get(0).response().copy();
        periods.add(end);
        for (int i = 1; i < periods.size(); i++) {
            LoadSnapshot period = periods.get(i).since(periods.get(i - 1));
            assertThat(period.completed()).isNotNegative();
            assertThat(period.totalErrors()).isZero();
            assertThat(period.secondsSince(periods.get(i - 1))).isNotNegative();
            summed += period.response().getTotalCount();
            union.add(period.response());
        }
        assertThat(summed).isEqualTo(result.response().getTotalCount());
        assertThat(union.getMaxValue()).isEqualTo(result.response().getMaxValue());
        assertThat(union.getValueAtPercentile(99)).isEqualTo(result.response().getValueAtPercentile(99));
        assertThat(end.openConnections()).as("closed after the run").isZero();
    }
}

package io.loombench.benchmarks.report;

import io.loombench.benchmarks.Metric;
import io.loombench.benchmarks.suite.RunEnvironment;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SuiteResultsTest {

    @TempDir
    Path dir;

    @Test
    void readsEveryPointOfJmhsJson() throws IOException {
        SuiteResults run = SuiteResults.read(Fixtures.resource("run"));

        assertThat(run.points()).hasSize(20);
        assertThat(run.points(Kind.THROUGHPUT)).hasSize(14);
        assertThat(run.points(Kind.LATENCY)).hasSize(3);
        assertThat(run.points(Kind.CAPACITY)).hasSize(3);
        assertThat(run.unknown()).isEmpty();
        assertThat(run.name()).isEqualTo("run");
    }

    @Test
    void readsAPointsParametersScoresAndRawData() throws IOException {
        Point nio = SuiteResults.read(Fixtures.resource("run")).point("throughput-http-none-c64-nio").orElseThrow();

        assertThat(nio.kind()).isEqualTo(Kind.THROUGHPUT);
        assertThat(nio.cell()).isEqualTo(new Cell("http", "none", 64));
        assertThat(nio.server()).isEqualTo("nio");
        assertThat(nio.isModel()).isTrue();
        assertThat(nio.params()).containsEntry("connections", "64").containsEntry("protocol", "http");
        assertThat(nio.primary().value()).isEqualTo(160_000, within(0.01));
        assertThat(nio.primary().error()).isEqualTo(2_000, within(0.01));
        assertThat(nio.primary().unit()).isEqualTo("ops/s");
        assertThat(nio.primary().rawData()).hasSize(2).allSatisfy(fork -> assertThat(fork).hasSize(3));
        assertThat(nio.primary().samples()).isEqualTo(6);
        assertThat(nio.score()).isSameAs(nio.primary());
        assertThat(nio.value(Metric.SERVER_THREADS)).isEqualTo(19);
        assertThat(nio.metric(Metric.SEND_LAG_P99)).isEmpty();
        assertThat(nio.failed()).isFalse();
        assertThat(nio.failure()).isEmpty();
    }

    @Test
    void jmhsNanErrorIsReadAsNanAndCountsAsZero() throws IOException {
        Point nio = SuiteResults.read(Fixtures.resource("run")).point("throughput-http-none-c64-nio").orElseThrow();
        Score errors = nio.metric(Metric.ERRORS).orElseThrow();

        assertThat(errors.value()).isZero();
        assertThat(errors.error()).isNaN();
        assertThat(errors.errorOrZero()).isZero();
        assertThat(errors.interval()).isEqualTo(new Interval(0, 0, 0));
    }

    @Test
    void aPointWithErrorsIsFailedWithItsKinds() throws IOException {
        Point pool = SuiteResults.read(Fixtures.resource("run")).point("throughput-http-wait-c10000-pool").orElseThrow();

        assertThat(pool.failed()).isTrue();
        assertThat(pool.errorKinds()).containsExactly(java.util.Map.entry("connect", 5L), java.util.Map.entry("timeout", 30L));
        assertThat(pool.failure()).isEqualTo("connect 5, timeout 30");
    }

    @Test
    void capacityAnswersWithItsSecondaryAndIsBracketedByTheMiss() throws IOException {
        Point virtual = SuiteResults.read(Fixtures.resource("run")).point("capacity-http-wait-c1000-virtual").orElseThrow();

        assertThat(virtual.primary().unit()).isEqualTo("s/op");
        assertThat(virtual.score().value()).isEqualTo(60_000, within(0.01));
        assertThat(virtual.slo()).contains("p99<=20ms");
        // [capacity - error, capacity.upper + its error]
        assertThat(virtual.estimate().low()).isEqualTo(59_000, within(0.01));
        assertThat(virtual.estimate().high()).isEqualTo(64_000, within(0.01));
    }

    @Test
    void readsTheEnvironmentIntoTheSuitesRecord() throws IOException {
        RunEnvironment env = SuiteResults.read(Fixtures.resource("run")).environment().orElseThrow();

        assertThat(env.cpuModel()).isEqualTo("AMD EPYC 7B13");
        assertThat(env.cpuCount()).isEqualTo(2);
        assertThat(env.server().feature()).isEqualTo(25);
        assertThat(env.placement().pinned()).isTrue();
        assertThat(env.jmh()).extracting(RunEnvironment.JmhSettings::benchmark).containsExactly("throughput", "latency", "capacity");
        assertThat(env.jmh().get(0).forks()).isEqualTo(2);
        assertThat(env.jmh().get(0).measurementIterations()).isEqualTo(3);
        assertThat(env.sameMachineAs(SuiteResults.read(Fixtures.resource("baseline")).environment().orElseThrow())).isTrue();
        assertThat(env.sameMachineAs(SuiteResults.read(Fixtures.resource("baseline-foreign")).environment().orElseThrow())).isFalse();
    }

    @Test
    void addsEveryForksIntervalsExactly() throws IOException {
        SuiteResults run = SuiteResults.read(Fixtures.run(dir));
        String id = "latency-http-wait-c1000-pool";

        assertThat(run.hlogs()).containsOnlyKeys(Fixtures.HLOG_TAILS.keySet());
        assertThat(run.hlogs().get(id)).hasSize(Fixtures.FORKS);
        LatencyLogs logs = run.latencyLogs(run.point(id).orElseThrow()).orElseThrow();
        Histogram expected = Fixtures.allResponses(id);

        assertThat(logs.files()).isEqualTo(2);
        assertThat(logs.intervals()).isEqualTo(Fixtures.FORKS * Fixtures.ITERATIONS * 3);
        assertThat(logs.response().getTotalCount()).isEqualTo((long) Fixtures.FORKS * Fixtures.ITERATIONS * Fixtures.REQUESTS_PER_ITERATION);
        assertThat(logs.service().getTotalCount()).isEqualTo(logs.response().getTotalCount());
        assertThat(logs.sendLag().getTotalCount()).isEqualTo(logs.response().getTotalCount());
        for (double p : new double[] {0, 50, 90, 99, 99.9, 99.99, 100}) {
            assertThat(logs.response().getValueAtPercentile(p)).as("p%s", p).isEqualTo(expected.getValueAtPercentile(p));
        }
        assertThat(logs.response().getMaxValue()).isEqualTo(expected.getMaxValue());
        assertThat(run.latencyLogs(run.point("throughput-http-none-c64-nio").orElseThrow())).isEmpty();
    }

    @Test
    void aRunWithoutEnvJsonHasNoEnvironment() throws IOException {
        Path run = Fixtures.copy("run", dir);
        Files.delete(run.resolve(SuiteResults.ENV_JSON));

        assertThat(SuiteResults.read(run).environment()).isEmpty();
    }

    @Test
    void aDirectoryWithoutJmhJsonIsAnError() {
        assertThatThrownBy(() -> SuiteResults.read(dir)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void leavesOutBenchmarksItDoesNotKnowAndReadsJmhsInfinities() throws IOException {
        write("""
                [ {"benchmark" : "io.loombench.benchmarks.SomethingElse.run", "params" : {}, "primaryMetric" : {}},
                  %s ]""".formatted(result("virtual", "\"+INF\"")));

        SuiteResults run = SuiteResults.read(dir);

        assertThat(run.unknown()).containsExactly("io.loombench.benchmarks.SomethingElse.run");
        assertThat(run.points()).singleElement().satisfies(p -> {
            assertThat(p.primary().value()).isEqualTo(100.0);
            assertThat(p.primary().error()).isInfinite();
        });
    }

    @Test
    void twoResultsWithOnePointIdAreAnError() throws IOException {
        write("[" + result("virtual", "1.0") + ", " + result("virtual", "2.0") + "]");

        assertThatThrownBy(() -> SuiteResults.read(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("throughput-http-none-c4-virtual");
    }

    @Test
    void aResultWithoutTheSuitesParametersIsAnError() throws IOException {
        write(result("virtual", "1.0").replace("\"protocol\" : \"http\",", ""));

        assertThatThrownBy(() -> SuiteResults.read(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no 'protocol' parameter");
    }

    @Test
    void aScoreThatIsNoNumberIsAnError() throws IOException {
        write("[" + result("virtual", "\"lots\"") + "]");

        assertThatThrownBy(() -> SuiteResults.read(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'lots' is not a number");
    }

    private void write(String json) throws IOException {
        Files.writeString(dir.resolve(SuiteResults.JMH_JSON), json.startsWith("[") ? json : "[" + json + "]");
    }

    private static String result(String server, String error) {
        return """
                {"jmhVersion" : "1.37", "benchmark" : "io.loombench.benchmarks.ThroughputBenchmark.throughput", "mode" : "thrpt",
                 "params" : {"connections" : "4", "protocol" : "http", "server" : "%s", "workload" : "none"},
                 "primaryMetric" : {"score" : 100.0, "scoreError" : %s, "scoreUnit" : "ops/s", "rawData" : [[100.0]]},
                 "secondaryMetrics" : {}}""".formatted(server, error);
    }

    @Test
    void cellsSortAsTheReportListsThem() {
        List<Cell> cells = List.of(new Cell("udp", "none", 64), new Cell("http", "cpu", 64), new Cell("http", "wait", 10_000),
                new Cell("http", "wait", 64), new Cell("tcp", "none", 64), new Cell("http", "none", 1_000));

        assertThat(cells.stream().sorted().map(Cell::id)).containsExactly("http-none-c1000", "http-wait-c64",
                "http-wait-c10000", "http-cpu-c64", "tcp-none-c64", "udp-none-c64");
    }
}

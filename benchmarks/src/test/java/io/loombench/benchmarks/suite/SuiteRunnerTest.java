package io.loombench.benchmarks.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loombench.benchmarks.Metric;
import io.loombench.benchmarks.Point;
import io.loombench.benchmarks.suite.RunEnvironment.JmhSettings;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two tiny points end to end, as {@code mvn verify -Pbench} runs them: JMH forks, a server child
 * from the server's jar, the load from the loadgen engine, and the run's files. CPUs are shared
 * here, so the test does not pin the JVM that runs the other tests; pinning is tested with the
 * launcher (ServerProcessTest) and the split with PlacementTest.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SuiteRunnerTest {

    /** JMH's logs of a run, to explain a failure. */
    private static String logs(Path results) throws java.io.IOException {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.walk(results)) {
            for (Path log : files.filter(file -> file.toString().endsWith(".jmh.log")).toList()) {
                text.append("\n--- ").append(log.getFileName()).append('\n').append(Files.readString(log));
            }
        }
        return text.toString();
    }

    private static SuiteSettings settings(Path results, boolean gate, int remeasure) {
        return new SuiteSettings("tiny", "", "", "", true, gate, 0.10, remeasure, results, results.resolve("baseline"),
                Path.of(System.getProperty("bench.serverJar")));
    }

    private static int run(Matrix matrix, SuiteSettings settings, ByteArrayOutputStream progress) throws Exception {
        return new SuiteRunner(settings, matrix, Path.of("").toAbsolutePath(), new PrintStream(progress, true, StandardCharsets.UTF_8))
                .run();
    }

    @Test
    void aTinyMatrixWritesJmhJsonWithTheSuitesMetricsAndTheRunsFiles(@TempDir Path results) throws Exception {
        JmhSettings tiny = new JmhSettings("tiny", 1, 1, 0.5, 2, 0.5);
        Matrix matrix = new Matrix("tiny", tiny, tiny, new Matrix.CapacitySteps(0.5, 0.5), List.of(
                new PlannedPoint(BenchmarkKind.THROUGHPUT, Point.of("nio", "http", "none", 4), 0, ""),
                new PlannedPoint(BenchmarkKind.LATENCY, Point.of("virtual", "http", "none", 4), 200, "")));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        int status = run(matrix, settings(results, false, 0), progress);

        String printed = progress.toString(StandardCharsets.UTF_8) + logs(results);
        assertThat(status).as(printed).isZero();
        assertThat(printed).contains("[1/2] throughput http none c=4 nio ...", "[2/2] latency http none c=4 virtual at 200 req/s ...")
                .contains("2 of 2 points measured");
        Path run = results.resolve("latest").toRealPath();

        JsonNode jmh = new ObjectMapper().readTree(run.resolve("jmh.json").toFile());
        assertThat(jmh).hasSize(2);
        JsonNode throughput = jmh.get(0);
        assertThat(throughput.get("benchmark").asText()).isEqualTo(BenchmarkKind.THROUGHPUT.jmhName());
        assertThat(throughput.get("params").get("server").asText()).isEqualTo("nio");
        assertThat(throughput.get("primaryMetric").get("score").asDouble()).isPositive();
        JsonNode secondary = throughput.get("secondaryMetrics");
        for (Metric metric : List.of(Metric.LATENCY_P50, Metric.LATENCY_P99, Metric.LATENCY_MAX, Metric.SERVER_RSS,
                Metric.SERVER_THREADS, Metric.SERVER_CPU_PER_REQUEST, Metric.GENERATOR_CPU_UTILIZATION)) {
            assertThat(secondary.get(metric.label()).get("score").asDouble()).as(metric.label()).isPositive();
            assertThat(secondary.get(metric.label()).get("scoreUnit").asText()).isEqualTo(metric.unit());
        }
        assertThat(secondary.get(Metric.ERRORS.label()).get("score").asDouble()).isZero();
        assertThat(secondary.get(Metric.CONNECTIONS_OPEN.label()).get("score").asDouble()).isEqualTo(4);
        assertThat(secondary.has(Metric.SERVER_PINNED.label())).isTrue();

        JsonNode latency = jmh.get(1).get("secondaryMetrics");
        assertThat(latency.get(Metric.OFFERED_RATE.label()).get("score").asDouble()).isEqualTo(200);
        assertThat(latency.has(Metric.SEND_LAG_P99.label())).isTrue();
        assertThat(jmh.get(1).get("primaryMetric").get("score").asDouble()).as("achieved rate").isBetween(100.0, 300.0);

        RunEnvironment environment = new ObjectMapper().readValue(run.resolve("env.json").toFile(), RunEnvironment.class);
        assertThat(environment.placement().mode()).isEqualTo("shared");
        assertThat(environment.server().version()).isNotEqualTo("unknown");
        assertThat(environment.jmh()).extracting(JmhSettings::benchmark).contains("tiny");

        try (Stream<Path> hlogs = Files.list(run.resolve("hlog"))) {
            List<Path> files = hlogs.toList();
            assertThat(files).singleElement().asString().contains("latency-http-none-c4-virtual-");
            HistogramLogReader reader = new HistogramLogReader(files.get(0).toString());
            int intervals = 0;
            while (reader.nextIntervalHistogram() != null) {
                intervals++;
            }
            assertThat(intervals).as("two measured iterations, three histograms each").isEqualTo(6);
        }
        try (Stream<Path> logs = Files.list(run.resolve("logs"))) {
            assertThat(logs.filter(log -> log.toString().endsWith(".server.log")).toList()).hasSize(2).allSatisfy(log ->
                    assertThat(Files.readString(log)).contains("listening on tcp://127.0.0.1:").contains("stopped: "));
        }
        assertThat(new ObjectMapper().readTree(run.resolve("failures.json").toFile())).isEmpty();
    }

    /**
     * A point that regressed is measured again before the gate judges, and still fails when the
     * second measurement regresses too. The baseline is this machine's own first run with the
     * point's score made a thousand times higher, so both measurements regress whatever the
     * machine's speed; a third run with {@code bench.remeasure=0} measures nothing again.
     */
    @Test
    void aPointThatRegressedIsMeasuredAgainAndTheGateJudgesTheSecond(@TempDir Path results) throws Exception {
        JmhSettings tiny = new JmhSettings("tiny", 1, 1, 0.5, 2, 0.5);
        String id = "throughput-http-none-c4-nio";
        Matrix matrix = new Matrix("tiny", tiny, tiny, new Matrix.CapacitySteps(0.5, 0.5), List.of(
                new PlannedPoint(BenchmarkKind.THROUGHPUT, Point.of("nio", "http", "none", 4), 0, "")));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        assertThat(run(matrix, settings(results, false, 0), progress)).as(progress.toString(StandardCharsets.UTF_8)).isZero();
        Path baseline = Files.createDirectories(results.resolve("baseline"));
        Path measured = results.resolve("latest").toRealPath();
        Files.copy(measured.resolve("env.json"), baseline.resolve("env.json"));
        ObjectMapper json = new ObjectMapper();
        JsonNode jmh = json.readTree(measured.resolve("jmh.json").toFile());
        ObjectNode primary = (ObjectNode) jmh.get(0).get("primaryMetric");
        primary.put("score", primary.get("score").asDouble() * 1000).put("scoreError", 0.0);
        json.writeValue(baseline.resolve("jmh.json").toFile(), jmh);

        progress.reset();
        int status = run(matrix, settings(results, true, 8), progress);

        String printed = progress.toString(StandardCharsets.UTF_8);
        assertThat(status).as(printed + logs(results)).isEqualTo(1);
        // The first run's score is a thousandth of the baseline's, and this run's measurements
        // are near it: -99.9%, or -100.0% when a measurement is less than half the first run's,
        // as tiny iterations on a busy machine can be.
        assertThat(printed).contains("bench: 1 point regressed against the baseline; measuring it again before the gate judges",
                        "[again 1/1] throughput http none c=4 nio ...")
                .containsPattern("\\| \\*\\*REGRESSION\\*\\*: measured twice, the first -(99\\.\\d|100\\.0)%")
                .containsPattern("regressed: throughput req/s `" + id + "` -(99\\.\\d|100\\.0)%");
        Path twice = results.resolve("latest").toRealPath();
        JsonNode firsts = json.readTree(twice.resolve("remeasured.json").toFile());
        assertThat(firsts).singleElement().satisfies(first -> {
            assertThat(first.get("id").asText()).isEqualTo(id);
            assertThat(first.get("value").asDouble()).isPositive();
            assertThat(first.get("failure").asText()).isEmpty();
        });
        assertThat(twice.resolve("remeasured").resolve(id + ".jmh.log")).isRegularFile();
        assertThat(twice.resolve("logs").resolve(id + ".jmh.log")).isRegularFile();
        assertThat(json.readTree(twice.resolve("jmh.json").toFile())).hasSize(1);
        assertThat(Files.readString(twice.resolve("gate.md"))).contains("Measured twice: `" + id + "` regressed on its first measurement and was measured again");

        progress.reset();
        assertThat(run(matrix, settings(results, true, 0), progress)).isEqualTo(1);
        assertThat(progress.toString(StandardCharsets.UTF_8)).doesNotContain("[again").doesNotContain("measuring it again").doesNotContain("measured twice");
        assertThat(results.resolve("latest").toRealPath().resolve("remeasured.json")).doesNotExist();
    }
}

package io.loombench.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loombench.common.Cli;
import io.loombench.loadgen.cli.LoadgenMain;
import io.loombench.server.Model;
import io.loombench.server.Server;
import io.loombench.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --find-capacity} on the command line: its lines, its JSON, its exit codes and its
 * errors. The target is the one of {@link CapacityEndToEndTest}: model POOL with 4 threads and
 * {@code /delay?ms=20} over 4 connections, which no step can serve above about 207 req/s.
 */
@Timeout(90)
class CapacityCliTest {
    private static Server server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        server = Server.start(ServerConfig.builder().model(Model.POOL).poolThreads(4).port(0).build());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private record Run(int exitCode, String out, String errors) {
    }

    /** Runs the command line, capturing what it prints: the search's lines go to standard output. */
    private static Run loadgen(String... args) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int code;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            code = Cli.run(new LoadgenMain(), new PrintWriter(err, true), args);
        } finally {
            System.setOut(original);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        original.print(printed);
        return new Run(code, printed, err.toString());
    }

    private static String url() {
        return "http://127.0.0.1:" + server.address().getPort() + "/delay?ms=20";
    }

    /**
     * Without -R a closed-model probe gives the first rate (half its throughput, about 100). With
     * a precision of 20% the bisection of a doubling bracket takes 2 steps (2^(1/4) = 1.19).
     */
    @Test
    void probesThenPrintsAStepPerLineAndTheAnswerAndWritesJson() throws Exception {
        Path json = dir.resolve("out/capacity.json");

        Run run = loadgen("http", url(), "-c", "4", "-t", "1", "-d", "1s", "--warmup", "200ms", "--timeout", "1s",
                "--find-capacity", "p99<=100ms", "--capacity-precision", "0.2", "--json", json.toString());

        assertThat(run.exitCode()).as(run.errors()).isEqualTo(Cli.OK);
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("loadgen http " + url());
        assertThat(lines.get(1)).contains("finding the highest rate at which p99<=100ms holds", "within 20%", "at most 20 steps",
                "a miss while loadgen lagged retried once");
        assertThat(lines.get(2)).startsWith("  probe   closed model").contains("req/s", "first step is at about half");
        List<String> stepLines = lines.stream().filter(line -> line.startsWith("  step ")).toList();
        assertThat(stepLines).isNotEmpty().allSatisfy(line -> assertThat(line).contains(" req/s  p99 ", " errors ", " achieved ")
                .containsAnyOf("  met", "  missed: ", "  missed again on try "));
        int answerAt = lines.indexOf(lines.stream().filter(line -> line.startsWith("capacity at ")).findFirst().orElseThrow());
        assertThat(lines.subList(answerAt + 1, lines.size()))
                .as("after the answer only a warning, when the machine was so busy that loadgen lagged at the upper bound")
                .allSatisfy(line -> assertThat(line).startsWith("WARNING: at ").contains("loadgen fell behind its schedule"));
        String answer = lines.get(answerAt);
        assertThat(answer).matches("capacity at p99<=100ms: [0-9.,]+ req/s \\(met at [0-9.,]+, missed at [0-9.,]+; "
                + stepLines.size() + " steps\\)");

        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertThat(report.path("format").asText()).isEqualTo("loombench-loadgen-capacity/1");
        assertThat(report.path("exitCode").asInt()).isEqualTo(Cli.OK);
        assertThat(report.path("slo").path("text").asText()).isEqualTo("p99<=100ms");
        assertThat(report.path("slo").path("boundMicros").asLong()).isEqualTo(100_000);
        assertThat(report.path("probe").path("completed").asLong()).isPositive();
        assertThat(report.path("environment").path("processors").asInt()).isPositive();
        JsonNode steps = report.path("steps");
        assertThat(steps).hasSize(stepLines.size());
        assertThat(steps.get(0).path("rate").asDouble()).isEqualTo(report.path("startRate").asDouble());
        for (JsonNode step : steps) {
            assertThat(step.path("run").path("latency").path("response").path("count").asLong())
                    .isEqualTo(step.path("run").path("completed").asLong());
            assertThat(step.path("met").asBoolean()).isEqualTo(step.path("why").asText().isEmpty());
        }
        JsonNode result = report.path("answer");
        assertThat(result.path("ending").asText()).isEqualTo("found");
        assertThat(result.path("steps").asInt()).isEqualTo(steps.size());
        assertThat(result.path("capacity").asDouble()).isBetween(25.0, 200 * 1.05);
        assertThat(result.path("upper").asDouble() / result.path("capacity").asDouble()).isLessThanOrEqualTo(1.2);
    }

    /**
     * An SLO below the delay itself: nothing can meet it, so three steps miss and the exit code is
     * 1. One trial per rate, so the rates halve at each step whether or not a busy machine makes a
     * step fall short of its rate too (a miss that is not a retried one).
     */
    @Test
    void whenNoRateMeetsTheSloTheExitCodeIs1() throws Exception {
        Path json = dir.resolve("none.json");

        Run run = loadgen("http", url(), "-c", "4", "-t", "1", "-R", "100", "-d", "1s", "--warmup", "0", "--timeout", "1s",
                "--find-capacity", "p99<=5ms", "--capacity-steps", "3", "--capacity-retries", "0", "--json", json.toString());

        assertThat(run.exitCode()).isEqualTo(Cli.FAILED);
        assertThat(run.out()).doesNotContain("probe");
        assertThat(run.out().lines().filter(line -> line.startsWith("  step ")))
                .hasSize(3).allSatisfy(line -> assertThat(line).contains("missed: p99 ").contains("over 5ms"));
        assertThat(run.out().lines().filter(line -> line.startsWith("capacity at ")))
                .containsExactly("capacity at p99<=5ms: none found (missed at every rate down to 25 req/s; 3 steps, the most allowed)");
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertThat(report.path("exitCode").asInt()).isEqualTo(Cli.FAILED);
        assertThat(report.path("answer").path("capacity").asDouble()).isZero();
        assertThat(report.path("answer").path("ending").asText()).isEqualTo("out_of_steps");
        assertThat(report.path("retries").asInt()).isZero();
        assertThat(report.path("steps")).extracting(step -> step.path("rate").asDouble()).containsExactly(100.0, 50.0, 25.0);
        assertThat(report.path("steps")).extracting(step -> step.path("attempt").asInt()).containsExactly(1, 1, 1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--find-capacity p99<10ms | is not an SLO; write p<percentile>",
            "--find-capacity p99<=10 | with its unit",
            "--find-capacity p99<=10ms --closed | cannot run with --closed",
            "--find-capacity p99<=10ms --hlog run.hlog | --hlog and --hgrm record one run",
            "--capacity-precision 0.1 | go with --find-capacity",
            "--find-capacity p99<=10ms --capacity-precision 0 | --capacity-precision must be above 0",
            "--find-capacity p99<=10ms --capacity-steps 0 | --capacity-steps must be 1..100",
            "--find-capacity p99<=10ms --capacity-retries 6 | --capacity-retries must be 0..5",
            "--capacity-retries 0 | go with --find-capacity",
            "--find-capacity p99<=10ms -R 0.5 | must be at least 1 request per second",
    })
    void badCapacityOptionsAreOneLineAndExitCode2(String options, String message) {
        String[] args = ("tcp 127.0.0.1:" + server.address().getPort() + " " + options).split(" ");

        Run run = loadgen(args);

        assertThat(run.exitCode()).isEqualTo(Cli.USAGE);
        assertThat(run.errors().strip()).startsWith("loadgen tcp: ").contains(message).doesNotContain("\n").doesNotContain("Exception");
        assertThat(run.out()).isEmpty();
    }
}

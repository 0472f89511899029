package io.loombench.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loombench.benchmarks.report.GateResult.Row;
import io.loombench.benchmarks.report.GateResult.Verdict;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class GateTest {

    @TempDir
    static Path dir;
    private static SuiteResults run;
    private static SuiteResults baseline;
    private static SuiteResults foreign;

    @BeforeAll
    static void read() throws IOException {
        run = SuiteResults.read(Fixtures.resource("run"));
        baseline = SuiteResults.read(Fixtures.resource("baseline"));
        foreign = SuiteResults.read(Fixtures.resource("baseline-foreign"));
    }

    @Test
    void noChangePasses() {
        GateResult gate = Gate.check(run, run, Gate.DEFAULT_THRESHOLD);

        assertThat(gate.passed()).isTrue();
        assertThat(gate.otherMachine()).isEmpty();
        assertThat(gate.rows()).filteredOn(r -> r.verdict() != Verdict.OK)
                .singleElement().satisfies(r -> {
                    assertThat(r.subject()).isEqualTo("throughput-http-wait-c10000-pool");
                    assertThat(r.verdict()).isEqualTo(Verdict.NOT_GATED);
                    assertThat(r.reason()).isEqualTo("failed in both runs");
                });
        assertThat(gate.markdown()).startsWith("# Regression gate: passed\n").contains("**Passed**: 32 gated comparisons, no regression.");
    }

    @Test
    void worseBeyondThresholdAndErrorIsARegression() {
        Row nio = row(Gate.check(run, baseline, 0.10), "throughput req/s", "throughput-http-none-c64-nio");

        // 200,000 ± 2,000 then, 160,000 ± 2,000 now
        assertThat(nio.verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(nio.change()).isEqualTo(-0.2, within(1e-6));
        assertThat(nio.combinedError()).isEqualTo(Math.hypot(2_000, 2_000) / 200_000, within(1e-6));
    }

    @Test
    void aBigChangeInsideALargeErrorIsOk() {
        Row virtual = row(Gate.check(run, baseline, 0.10), "throughput req/s", "throughput-http-none-c64-virtual");

        // 180,000 ± 60,000 then, 140,000 ± 3,000 now: 22% worse, but within sqrt(60,000² + 3,000²)
        assertThat(virtual.change()).isLessThan(-0.2);
        assertThat(virtual.verdict()).isEqualTo(Verdict.OK);
        assertThat(virtual.reason()).isEqualTo("within the combined error");
    }

    @Test
    void latencyIsWorseWhenHigherAndThroughputBetterWhenHigher() {
        GateResult gate = Gate.check(run, baseline, 0.10);

        assertThat(row(gate, "latency p99 ms", "latency-http-wait-c1000-pool").verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(row(gate, "throughput req/s", "throughput-http-none-c1000-pool").verdict()).isEqualTo(Verdict.BETTER);
    }

    @Test
    void aPointFailedNowButNotInTheBaselineIsARegression() {
        Row pool = row(Gate.check(run, baseline, 0.10), "throughput req/s", "throughput-http-wait-c10000-pool");

        assertThat(pool.verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(pool.reason()).isEqualTo("failed now (connect 5, timeout 30)");
    }

    @Test
    void aPointThisRunLacksIsNotComparedNotFailed() {
        GateResult gate = Gate.check(run, baseline, 0.10);

        assertThat(gate.notCompared()).containsExactly("throughput-tcp-none-c64-virtual");
        assertThat(gate.rows()).noneMatch(r -> r.subject().contains("tcp"));
        assertThat(gate.markdown()).contains("Not compared, in the baseline but not in this run: `throughput-tcp-none-c64-virtual`.");
        assertThat(Gate.check(baseline, run, 0.10).added()).containsExactly("throughput-tcp-none-c64-virtual");
    }

    @Test
    void aRatioThatMovedFailsInEitherDirectionAndSaysWhichWay() {
        GateResult gate = Gate.check(run, baseline, 0.10);

        // pool/nio at 64 connections: 0.60 then, 0.75 now (nio got slower)
        Row rose = row(gate, "throughput pool/nio", "throughput-http-none-c64");
        assertThat(rose.verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(rose.reason()).isEqualTo("rose: pool gained on nio");
        // virtual/pool at 1,000: 2.47 then, 1.85 now (the pool got faster)
        Row fell = row(gate, "throughput virtual/pool", "throughput-http-none-c1000");
        assertThat(fell.verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(fell.reason()).isEqualTo("fell: virtual lost ground to pool");
        // virtual/pool at 64: moved 22%, but within virtual's large error then
        assertThat(row(gate, "throughput virtual/pool", "throughput-http-none-c64").verdict()).isEqualTo(Verdict.OK);
        assertThat(gate.passed()).isFalse();
        assertThat(gate.markdown()).startsWith("# Regression gate: FAILED\n").contains("**FAILED**: 6 of 33 gated comparisons regressed");
    }

    @Test
    void theRatiosErrorPropagatesRelativeErrors() {
        Row r = row(Gate.check(run, baseline, 0.10), "throughput pool/nio", "throughput-http-none-c64");

        double ratio = 120_000.0 / 160_000;
        assertThat(r.current()).isEqualTo(ratio, within(1e-9));
        assertThat(r.currentError()).isEqualTo(ratio * Math.hypot(2_500.0 / 120_000, 2_000.0 / 160_000), within(1e-6));
    }

    @Test
    void onAnotherMachineOnlyRatiosGateAndTheTableSaysSo() {
        GateResult gate = Gate.check(run, foreign, 0.10);

        assertThat(gate.otherMachine()).hasValueSatisfying(why -> assertThat(why)
                .contains("Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz × 4").contains("AMD EPYC 7B13 × 2"));
        // Every absolute score is a third lower than there, and none gates.
        assertThat(gate.rows()).filteredOn(r -> !r.ratio())
                .allSatisfy(r -> assertThat(r.verdict()).isEqualTo(Verdict.NOT_GATED));
        // nio at 10,000 connections with the wait was relatively much slower there: 1.53 then, 1.15 now.
        Row shifted = row(gate, "throughput virtual/nio", "throughput-http-wait-c10000");
        assertThat(shifted.verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(shifted.reason()).isEqualTo("fell: virtual lost ground to nio");
        assertThat(gate.regressions()).containsExactly(shifted);
        String markdown = gate.markdown();
        assertThat(markdown.indexOf("**Only the ratios gate**")).isPositive().isLessThan(markdown.indexOf("| metric |"));
        assertThat(markdown).contains("| throughput req/s | `throughput-http-none-c64-nio` | 240,000 ± 3,000 | 160,000 ± 2,000 | -33.3% | 1.5% | not gated: other machine |");
    }

    @Test
    void onAnotherMachineWithTheSameRatiosItPasses() throws IOException {
        Path same = Fixtures.copy("run", dir.resolve("same-ratios"));
        Files.copy(Fixtures.resource("baseline-foreign").resolve(SuiteResults.ENV_JSON), same.resolve(SuiteResults.ENV_JSON),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        GateResult gate = Gate.check(run, SuiteResults.read(same), 0.10);

        assertThat(gate.otherMachine()).isPresent();
        assertThat(gate.passed()).isTrue();
        assertThat(gate.rows()).filteredOn(Row::ratio).isNotEmpty()
                .allSatisfy(r -> assertThat(r.verdict()).isEqualTo(Verdict.OK));
    }

    @Test
    void aBaselineWithoutEnvironmentGatesOnlyRatios() throws IOException {
        Path bare = Fixtures.copy("baseline", dir.resolve("bare"));
        Files.delete(bare.resolve(SuiteResults.ENV_JSON));

        GateResult gate = Gate.check(run, SuiteResults.read(bare), 0.10);

        assertThat(gate.otherMachine()).hasValue("the baseline recorded no environment, so it cannot be shown to have run on the same machine.");
        assertThat(row(gate, "throughput req/s", "throughput-http-none-c64-nio").verdict()).isEqualTo(Verdict.NOT_GATED);
        // A point that fails now is a regression on any machine.
        assertThat(row(gate, "throughput req/s", "throughput-http-wait-c10000-pool").verdict()).isEqualTo(Verdict.REGRESSION);
    }

    @Test
    void theThresholdIsConfigurable() {
        GateResult loose = Gate.check(run, baseline, 0.25);

        assertThat(row(loose, "throughput req/s", "throughput-http-none-c64-nio").verdict()).isEqualTo(Verdict.OK);
        assertThat(row(loose, "latency p99 ms", "latency-http-wait-c1000-pool").verdict()).isEqualTo(Verdict.REGRESSION);
        assertThatThrownBy(() -> Gate.check(run, baseline, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withoutABaselineItPasses() {
        GateResult gate = Gate.withoutBaseline(run, Gate.DEFAULT_THRESHOLD);

        assertThat(gate.passed()).isTrue();
        assertThat(gate.markdown()).isEqualTo("# Regression gate: passed\n\nNo baseline to compare `run` with, so the gate passes.\n");
    }

    /**
     * Capacities from one search each (no error, as in the default matrix): the baseline's virtual
     * at 90,000 against 60,000 now (-33%) is shown, not gated, and so are the capacity ratios;
     * nio finding no rate at all now, against 58,000 then, is a regression.
     */
    @Test
    void aCapacityFromOneSearchIsShownNotGatedUnlessNothingMetNow() throws IOException {
        SuiteResults now = SuiteResults.read(withOneSearchCapacities(Fixtures.copy("run", dir.resolve("one-search-now")),
                Map.of("nio", 0.0)));
        SuiteResults then = SuiteResults.read(withOneSearchCapacities(Fixtures.copy("baseline", dir.resolve("one-search-then")),
                Map.of("virtual", 90_000.0)));

        GateResult gate = Gate.check(now, then, 0.10);

        Row virtual = row(gate, "capacity req/s", "capacity-http-wait-c1000-virtual");
        assertThat(virtual.change()).isEqualTo(-1.0 / 3, within(1e-6));
        assertThat(virtual.verdict()).isEqualTo(Verdict.NOT_GATED);
        assertThat(virtual.reason()).isEqualTo("one search in each run: no error to judge a change by");
        Row nio = row(gate, "capacity req/s", "capacity-http-wait-c1000-nio");
        assertThat(nio.verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(nio.reason()).isEqualTo("no rate met the SLO now");
        assertThat(gate.rows()).filteredOn(r -> r.metric().startsWith("capacity ") && r.ratio())
                .isNotEmpty().allSatisfy(r -> assertThat(r.verdict()).isEqualTo(Verdict.NOT_GATED));
    }

    /** Rewrites a run's capacities as single searches (one sample, no error), with some values replaced. */
    private static Path withOneSearchCapacities(Path run, Map<String, Double> values) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ArrayNode benchmarks = (ArrayNode) json.readTree(run.resolve("jmh.json").toFile());
        for (JsonNode benchmark : benchmarks) {
            if (benchmark.path("benchmark").asText().contains("CapacityBenchmark")) {
                ObjectNode capacity = (ObjectNode) benchmark.path("secondaryMetrics").path("capacity");
                double value = values.getOrDefault(benchmark.path("params").path("server").asText(), capacity.path("score").asDouble());
                capacity.put("score", value);
                capacity.put("scoreError", "NaN");
                capacity.set("rawData", json.createArrayNode().add(json.createArrayNode().add(value)));
            }
        }
        json.writeValue(run.resolve("jmh.json").toFile(), benchmarks);
        return run;
    }

    @Test
    void theRegressedPointsAreThoseTheRegressedRowsRead() {
        GateResult gate = Gate.check(run, baseline, 0.10);

        assertThat(gate.regressedPoints()).doesNotHaveDuplicates()
                .containsAll(gate.regressions().stream().flatMap(r -> r.points().stream()).toList())
                .contains("throughput-http-none-c64-nio", "throughput-http-wait-c10000-pool", "latency-http-wait-c1000-pool",
                        // the ratios pool/nio at 64 and virtual/pool at 1,000 read these too
                        "throughput-http-none-c64-pool", "throughput-http-none-c1000-virtual", "throughput-http-none-c1000-pool")
                .doesNotContain("throughput-http-none-c64-virtual");
        assertThat(Gate.check(run, run, 0.10).regressedPoints()).isEmpty();
    }

    @Test
    void aPointMeasuredTwiceIsJudgedOnItsSecondAndItsRowsSayWhatTheFirstWas() throws IOException {
        Path twice = Fixtures.copy("run", dir.resolve("twice"));
        // The run's jmh.json is the second measurement; the first of nio at 64 connections was half the baseline's
        // 200,000, and the first of the pool at 10,000 connections with the wait failed.
        new ObjectMapper().writeValue(twice.resolve(Remeasurement.FILE).toFile(), List.of(
                new Remeasurement("throughput-http-none-c64-nio", 100_000, 4_000, ""),
                new Remeasurement("throughput-http-wait-c10000-pool", Double.NaN, Double.NaN, "timeout 733"),
                new Remeasurement("throughput-http-none-c1000-pool", Double.NaN, Double.NaN, "")));

        GateResult gate = Gate.check(SuiteResults.read(twice), baseline, 0.10);

        Row nio = row(gate, "throughput req/s", "throughput-http-none-c64-nio");
        assertThat(nio.current()).as("the second measurement").isEqualTo(160_000);
        assertThat(nio.verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(nio.reason()).isEqualTo("measured twice, the first -50.0%");
        assertThat(row(gate, "throughput req/s", "throughput-http-wait-c10000-pool").reason())
                .isEqualTo("failed now (connect 5, timeout 30); measured twice, the first failed (timeout 733)");
        assertThat(row(gate, "throughput req/s", "throughput-http-none-c1000-pool").reason())
                .isEqualTo("measured twice, the first reported nothing to compare");
        assertThat(row(gate, "throughput pool/nio", "throughput-http-none-c64").reason())
                .isEqualTo("rose: pool gained on nio; nio measured twice");
        assertThat(row(gate, "throughput virtual/pool", "throughput-http-none-c64").reason()).isEmpty();
        assertThat(gate.markdown()).contains("Measured twice: `throughput-http-none-c64-nio`, `throughput-http-wait-c10000-pool`, "
                + "`throughput-http-none-c1000-pool` regressed on their first measurement and were measured again");
        assertThat(Gate.check(run, baseline, 0.10).markdown()).doesNotContain("Measured twice");
    }

    private static Row row(GateResult gate, String metric, String subject) {
        return gate.rows().stream().filter(r -> r.metric().equals(metric) && r.subject().equals(subject)).findFirst().orElseThrow();
    }
}

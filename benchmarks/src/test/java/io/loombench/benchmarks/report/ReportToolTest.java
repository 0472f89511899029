package io.loombench.benchmarks.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReportToolTest {

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void aRegressionExitsOneAndPrintsTheTableItWrites() throws IOException {
        Path run = Fixtures.run(dir);

        int status = ReportTool.run(run, Fixtures.copy("baseline", dir), 0.10, true, print(out));

        assertThat(status).isEqualTo(1);
        String gate = Files.readString(run.resolve(ReportTool.GATE_MD));
        assertThat(gate).startsWith("# Regression gate: FAILED");
        assertThat(text(out)).startsWith("report: wrote " + run.resolve(ReportTool.REPORT_MD)).endsWith(gate);
        assertThat(run.resolve(ReportTool.REPORT_MD)).exists();
        assertThat(run.resolve(ReportTool.REPORT_HTML)).exists();
    }

    @Test
    void noBaselineDirectoryPasses() throws IOException {
        Path run = Fixtures.run(dir);

        assertThat(ReportTool.run(run, dir.resolve("baseline"), 0.10, true, print(out))).isZero();
        assertThat(Files.readString(run.resolve(ReportTool.GATE_MD))).contains("No baseline to compare `run` with, so the gate passes.");
        assertThat(ReportTool.run(run, null, 0.10, true, print(out))).isZero();
    }

    @Test
    void theGateOffWritesTheReportOnly() throws IOException {
        Path run = Fixtures.run(dir);

        assertThat(ReportTool.run(run, Fixtures.copy("baseline", dir), 0.10, false, print(out))).isZero();
        assertThat(run.resolve(ReportTool.GATE_MD)).doesNotExist();
        assertThat(text(out)).endsWith("gate: off\n");
    }

    @Test
    void mainGatesAgainstTheBaselineBesideTheRun() throws IOException {
        Path run = Fixtures.run(dir);
        Fixtures.copy("baseline", dir);

        assertThat(ReportTool.main(new String[] {run.toString()}, print(out), print(err))).isEqualTo(1);
        assertThat(ReportTool.main(new String[] {run.toString(), "--threshold", "0.5", "--baseline", dir.resolve("baseline").toString()},
                print(out), print(err))).as(text(err)).isEqualTo(1); // the failed point fails at any threshold
        assertThat(ReportTool.main(new String[] {run.toString(), "--no-gate"}, print(out), print(err))).isZero();
        assertThat(ReportTool.main(new String[] {dir.resolve("baseline").toString()}, print(out), print(err))).isZero();
    }

    @Test
    void aRunWithoutLogsAndWithALonePointStillRenders() throws IOException {
        Path baseline = Fixtures.copy("baseline", dir);

        assertThat(ReportTool.run(baseline, null, 0.10, false, print(out))).isZero();
        String report = Files.readString(baseline.resolve(ReportTool.REPORT_MD));
        assertThat(report).contains("| tcp | none | 64 | **virtual** | the only model measured |")
                .contains("- No latency spectrum for http, wait, 1,000 connections: no point that did not fail has an HdrHistogram log.");
        assertThat(baseline.resolve(Charts.DIR).resolve("throughput-tcp-none.svg")).exists();
    }

    @Test
    void badArgumentsExitTwoWithUsage() throws IOException {
        Path run = Fixtures.run(dir);

        assertThat(ReportTool.main(new String[] {}, print(out), print(err))).isEqualTo(2);
        assertThat(text(err)).contains("no RUN_DIR given").contains("usage: ReportTool RUN_DIR");
        assertThat(ReportTool.main(new String[] {run.toString(), "--threshold", "-1"}, print(out), print(err))).isEqualTo(2);
        assertThat(ReportTool.main(new String[] {run.toString(), "--threshold"}, print(out), print(err))).isEqualTo(2);
        assertThat(ReportTool.main(new String[] {run.toString(), "--frobnicate"}, print(out), print(err))).isEqualTo(2);
        assertThat(ReportTool.main(new String[] {dir.resolve("nothing").toString()}, print(out), print(err))).isEqualTo(2);
        assertThat(text(err)).contains("jmh.json");
        assertThat(ReportTool.main(new String[] {"--help"}, print(out), print(err))).isZero();
        assertThatThrownBy(() -> ReportTool.run(run, null, Double.NaN, true, print(out))).isInstanceOf(IllegalArgumentException.class);
    }

    private static PrintStream print(ByteArrayOutputStream to) {
        return new PrintStream(to, true, StandardCharsets.UTF_8);
    }

    private static String text(ByteArrayOutputStream from) {
        return from.toString(StandardCharsets.UTF_8);
    }
}

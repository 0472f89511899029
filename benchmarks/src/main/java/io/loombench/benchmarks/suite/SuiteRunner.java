package io.loombench.benchmarks.suite;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.loombench.benchmarks.Metric;
import io.loombench.benchmarks.report.Gate;
import io.loombench.benchmarks.report.Remeasurement;
import io.loombench.benchmarks.report.ReportTool;
import io.loombench.benchmarks.report.SuiteResults;
import io.loombench.common.Cli;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.infra.Control;
import org.openjdk.jmh.util.Utils;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code mvn verify -Pbench}: runs the matrix point by point through JMH, writes
 * {@code results/<UTC timestamp>/} (JMH's JSON, the interval logs, the environment, the servers'
 * logs and JFR recordings), points {@code results/latest} at it, and hands it to the report and
 * the regression gate. Points that regressed against the baseline are measured a second time
 * before the gate judges ({@code bench.remeasure}; see {@link Remeasurement} for why). Exit
 * status 0 when the gate passed (or was off), 1 on a regression, 2 on bad settings.
 *
 * <p>Each point is one JMH run of its own (one benchmark, one set of parameters, its forks), so
 * progress is one line per point with its result, and one point that cannot run (a server that
 * does not start) is named and skipped rather than ending the suite.
 */
public final class SuiteRunner {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter RUN_NAME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss'Z'").withZone(ZoneOffset.UTC);

    private final SuiteSettings settings;
    private final Matrix matrix;
    private final Path projectDir;
    private final PrintStream out;

    /**
     * @param settings   how the run was asked for
     * @param matrix     the points to run (already filtered by {@code bench.include})
     * @param projectDir the project's root: git is asked about it, and paths are printed relative to it
     * @param out        where progress goes
     */
    SuiteRunner(SuiteSettings settings, Matrix matrix, Path projectDir, PrintStream out) {
        this.settings = settings;
        this.matrix = matrix;
        this.projectDir = projectDir;
        this.out = out;
    }

    public static void main(String[] args) {
        ToolOptions.exit("bench", () -> {
            SuiteSettings settings = SuiteSettings.fromSystemProperties();
            Matrix matrix = Matrix.named(settings.matrix()).including(settings.include());
            return new SuiteRunner(settings, matrix, Path.of("").toAbsolutePath(), System.out).run();
        });
    }

    /**
     * Runs the matrix and writes the run's directory.
     *
     * @return 0 when every point was measured (and the gate passed), 1 otherwise
     */
    int run() throws IOException, InterruptedException {
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // JMH 1.37 asks sun.misc.Unsafe for field offsets, and JDK 24+ warns about that once, on
        // stderr; ask now, so the warning comes before the progress lines rather than inside one.
        Utils.getOffset(Control.class, "stopMeasurement");
        Harness harness = Harness.prepare(settings);
        RunEnvironment.Placement placement = harness.placement();

        Path runDir = Files.createDirectories(settings.resultsDir().resolve(RUN_NAME.format(started)));
        RunEnvironment environment = EnvironmentProbe.capture(settings, matrix, harness, projectDir, started, command());
        JSON.writeValue(runDir.resolve(SuiteResults.ENV_JSON).toFile(), environment);
        out.printf(Locale.ROOT, "bench: %s matrix, %d points, results in %s%n", matrix.name(), matrix.points().size(), projectDir.relativize(runDir.toAbsolutePath()));
        out.printf(Locale.ROOT, "bench: server on CPUs %s, generator on CPUs %s (%s); server JVM %s %s; about %s%n",
                placement.serverCpus(), placement.generatorCpus(), placement.mode(), environment.server().vendor(),
                environment.server().version(), clock(matrix.estimatedSeconds()));

        Map<String, RunResult> measured = new LinkedHashMap<>();
        List<Failure> failures = new ArrayList<>();
        double estimatedTotal = matrix.points().stream().mapToDouble(matrix::estimatedSeconds).sum();
        double estimatedDone = 0;
        PointRunner runner = new PointRunner(matrix, harness, settings.serverJvmArgs(), runDir);
        long suiteStart = System.nanoTime();
        for (int i = 0; i < matrix.points().size(); i++) {
            PlannedPoint point = matrix.points().get(i);
            String label = String.format(Locale.ROOT, "[%" + digits(matrix.points().size()) + "d/%d]", i + 1, matrix.points().size());
            long pointStart = System.nanoTime();
            String outcome = measure(runner, point, label, measured, failures);
            estimatedDone += matrix.estimatedSeconds(point);
            double elapsed = (System.nanoTime() - suiteStart) / 1e9;
            double eta = estimatedDone > 0 ? elapsed / estimatedDone * (estimatedTotal - estimatedDone) : 0;
            out.printf(Locale.ROOT, " %s (%s; elapsed %s, ETA %s)%n", outcome, clock((System.nanoTime() - pointStart) / 1e9),
                    clock(elapsed), clock(eta));
        }
        write(runDir, measured, failures);
        pointLatestAt(runDir);
        out.printf(Locale.ROOT, "bench: %d of %d points measured in %s; results in %s%n", measured.size(), matrix.points().size(),
                clock((System.nanoTime() - suiteStart) / 1e9), projectDir.relativize(runDir.toAbsolutePath()));
        if (settings.gate() && settings.remeasure() > 0 && Files.isDirectory(settings.baselineDir())) {
            remeasureRegressions(runner, runDir, measured, failures);
        }
        int gate = ReportTool.run(runDir, projectDir.relativize(runDir.toAbsolutePath()), settings.baselineDir(), settings.threshold(), settings.gate(), out);
        if (!failures.isEmpty()) {
            out.printf(Locale.ROOT, "bench: FAILED: %d points could not be measured: %s%n", failures.size(),
                    failures.stream().map(Failure::id).toList());
            return Cli.FAILED;
        }
        return gate;
    }

    /**
     * Measures one point, printing its label and description first: its result goes into
     * {@code measured}, replacing an earlier one, or, when it cannot be measured, a failure into
     * {@code failures}.
     *
     * @return the outcome for the end of its progress line
     */
    private String measure(PointRunner runner, PlannedPoint point, String label, Map<String, RunResult> measured,
                           List<Failure> failures) throws IOException {
        out.printf(Locale.ROOT, "%s %s ...", label, point.describe());
        out.flush();
        try {
            RunResult result = runner.run(point);
            measured.put(point.id(), result);
            return summary(point, result);
        } catch (RunnerException | RuntimeException e) {
            measured.remove(point.id());
            Failure failure = new Failure(point.id(), point.kind().jmhName(), point.params(), reason(e, runner.log(point)));
            failures.add(failure);
            return "NOT MEASURED: " + failure.reason();
        }
    }

    /** Writes {@code jmh.json} and {@code failures.json}. */
    private static void write(Path runDir, Map<String, RunResult> measured, List<Failure> failures) throws IOException {
        ResultFormatFactory.getInstance(ResultFormatType.JSON, runDir.resolve(SuiteResults.JMH_JSON).toString())
                .writeOut(List.copyOf(measured.values()));
        JSON.writeValue(runDir.resolve(Failure.FILE).toFile(), failures);
    }

    /**
     * Gates the run as measured so far and measures again, in the matrix's order, each point a
     * regressed comparison reads, when there are at most {@code bench.remeasure} of them: a
     * regression of the code shows twice, most of a shared machine's noise once (see
     * {@link Remeasurement}). The first measurements go to {@code remeasured.json}, their JMH and
     * interval logs to {@code remeasured/}, and the run's files then hold the second.
     */
    private void remeasureRegressions(PointRunner runner, Path runDir, Map<String, RunResult> measured, List<Failure> failures)
            throws IOException {
        SuiteResults first = SuiteResults.read(runDir);
        List<String> regressed = Gate.check(first, SuiteResults.read(settings.baselineDir()), settings.threshold()).regressedPoints();
        List<PlannedPoint> again = matrix.points().stream().filter(p -> regressed.contains(p.id())).toList();
        if (again.isEmpty()) {
            return;
        }
        if (again.size() > settings.remeasure()) {
            out.printf(Locale.ROOT, "bench: %d points regressed, more than the %d that bench.remeasure measures again; the gate "
                    + "judges their first measurement%n", again.size(), settings.remeasure());
            return;
        }
        out.printf(Locale.ROOT, "bench: %d point%s regressed against the baseline; measuring %s again before the gate judges%n",
                again.size(), again.size() == 1 ? "" : "s", again.size() == 1 ? "it" : "them");
        List<Remeasurement> firsts = new ArrayList<>();
        for (int i = 0; i < again.size(); i++) {
            PlannedPoint point = again.get(i);
            firsts.add(Remeasurement.of(first.point(point.id()).orElseThrow()));
            keepFirstMeasurement(runDir, point.id(), runner.log(point));
            long pointStart = System.nanoTime();
            String label = String.format(Locale.ROOT, "[again %d/%d]", i + 1, again.size());
            String outcome = measure(runner, point, label, measured, failures);
            out.printf(Locale.ROOT, " %s (%s)%n", outcome, clock((System.nanoTime() - pointStart) / 1e9));
        }
        write(runDir, measured, failures);
        JSON.writeValue(runDir.resolve(Remeasurement.FILE).toFile(), firsts);
    }

    /** Moves a point's JMH log and interval logs into {@code remeasured/}, out of the second measurement's way. */
    private static void keepFirstMeasurement(Path runDir, String id, Path jmhLog) throws IOException {
        Path kept = Files.createDirectories(runDir.resolve(Remeasurement.DIR).resolve(SuiteResults.HLOG_DIR));
        if (Files.exists(jmhLog)) {
            Files.move(jmhLog, kept.resolveSibling(jmhLog.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        Path hlogs = runDir.resolve(SuiteResults.HLOG_DIR);
        if (Files.isDirectory(hlogs)) {
            try (Stream<Path> files = Files.list(hlogs)) {
                for (Path file : files.filter(f -> SuiteResults.hlogPoint(f).filter(id::equals).isPresent()).toList()) {
                    Files.move(file, kept.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** The point's headline for its progress line. */
    private static String summary(PlannedPoint point, RunResult result) {
        Map<String, Result> secondary = result.getSecondaryResults();
        double errors = secondary.containsKey(Metric.ERRORS.label()) ? secondary.get(Metric.ERRORS.label()).getScore() : 0;
        String errorText = errors > 0 ? String.format(Locale.ROOT, ", FAILED: %,.0f errors", errors) : ", 0 errors";
        if (point.kind() == BenchmarkKind.CAPACITY) {
            Result capacity = secondary.get(Metric.CAPACITY.label());
            return capacity == null ? "no capacity found" : String.format(Locale.ROOT, "capacity %,.0f req/s", capacity.getScore());
        }
        Result primary = result.getPrimaryResult();
        // One measured sample has no error estimate: JMH says NaN.
        String error = Double.isNaN(primary.getScoreError()) || primary.getScore() <= 0 ? ""
                : String.format(Locale.ROOT, " ±%.1f%%", 100 * primary.getScoreError() / primary.getScore());
        Result p99 = secondary.get(Metric.LATENCY_P99.label());
        return String.format(Locale.ROOT, "%,.0f req/s%s, p99 %.3g ms%s", primary.getScore(), error,
                p99 == null ? 0 : p99.getScore(), errorText);
    }

    /** Why a point could not be measured, in one line, with where to look. */
    private String reason(Exception e, Path log) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return Cli.describe(cause) + " (see " + projectDir.relativize(log.toAbsolutePath()) + ")";
    }

    /** {@code results/latest} names the newest run; a file system without symbolic links gets a file with its name. */
    private static void pointLatestAt(Path runDir) throws IOException {
        Path latest = runDir.resolveSibling("latest");
        Path temporary = runDir.resolveSibling(".latest-" + ProcessHandle.current().pid());
        Files.deleteIfExists(temporary);
        try {
            Files.createSymbolicLink(temporary, runDir.getFileName());
        } catch (UnsupportedOperationException | IOException e) {
            Files.writeString(temporary, runDir.getFileName().toString() + "\n");
        }
        Files.move(temporary, latest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The command as typed: Maven's own arguments when Maven started us. */
    private static String command() {
        String maven = System.getenv("MAVEN_CMD_LINE_ARGS");
        return maven == null || maven.isBlank() ? "java " + SuiteRunner.class.getName() : "mvn " + maven.strip();
    }

    private static int digits(int n) {
        return Integer.toString(n).length();
    }

    private static String clock(double seconds) {
        Duration duration = Duration.ofSeconds(Math.round(seconds));
        return duration.toHours() > 0
                ? String.format(Locale.ROOT, "%d:%02d:%02d", duration.toHours(), duration.toMinutesPart(), duration.toSecondsPart())
                : String.format(Locale.ROOT, "%d:%02d", duration.toMinutes(), duration.toSecondsPart());
    }

    /**
     * A point that could not be measured, as {@code failures.json} lists it.
     *
     * @param id        the point's id
     * @param benchmark JMH's name of its benchmark
     * @param params    its JMH parameters
     * @param reason    why, in one line, with the log to read
     */
    public record Failure(String id, String benchmark, Map<String, String> params, String reason) {
        /** The file a run lists them in. */
        public static final String FILE = "failures.json";
    }
}

package io.loombench.benchmarks.suite;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.loombench.benchmarks.Metric;
import io.loombench.benchmarks.report.ReportTool;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code mvn verify -Pbench}: runs the matrix point by point through JMH, writes
 * {@code results/<UTC timestamp>/} (JMH's JSON, the interval logs, the environment, the servers'
 * logs and JFR recordings), points {@code results/latest} at it, and hands it to the report and
 * the regression gate. Exit status 0 when the gate passed (or was off), 1 on a regression, 2 on
 * bad settings.
 *
 * <p>Each point is one JMH run of its own (one benchmark, one set of parameters, its forks), so
 * progress is one line per point with its result, and one point that cannot run (a server that
 * does not start) is named and skipped rather than ending the suite.
 */
public final class SuiteRunner {
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
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        json.writeValue(runDir.resolve("env.json").toFile(), environment);
        out.printf(Locale.ROOT, "bench: %s matrix, %d points, results in %s%n", matrix.name(), matrix.points().size(), projectDir.relativize(runDir.toAbsolutePath()));
        out.printf(Locale.ROOT, "bench: server on CPUs %s, generator on CPUs %s (%s); server JVM %s %s; about %s%n",
                placement.serverCpus(), placement.generatorCpus(), placement.mode(), environment.server().vendor(),
                environment.server().version(), clock(matrix.estimatedSeconds()));

        List<RunResult> results = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        double estimatedTotal = matrix.points().stream().mapToDouble(matrix::estimatedSeconds).sum();
        double estimatedDone = 0;
        PointRunner runner = new PointRunner(matrix, harness, settings.serverJvmArgs(), runDir);
        long suiteStart = System.nanoTime();
        for (int i = 0; i < matrix.points().size(); i++) {
            PlannedPoint point = matrix.points().get(i);
            out.printf(Locale.ROOT, "[%" + digits(matrix.points().size()) + "d/%d] %s ...", i + 1, matrix.points().size(), point.describe());
            out.flush();
            long pointStart = System.nanoTime();
            String outcome;
            try {
                RunResult result = runner.run(point);
                results.add(result);
                outcome = summary(point, result);
            } catch (RunnerException | RuntimeException e) {
                Failure failure = new Failure(point.id(), point.kind().jmhName(), point.params(), reason(e, runner.log(point)));
                failures.add(failure);
                outcome = "NOT MEASURED: " + failure.reason();
            }
            estimatedDone += matrix.estimatedSeconds(point);
            double elapsed = (System.nanoTime() - suiteStart) / 1e9;
            double eta = estimatedDone > 0 ? elapsed / estimatedDone * (estimatedTotal - estimatedDone) : 0;
            out.printf(Locale.ROOT, " %s (%s; elapsed %s, ETA %s)%n", outcome, clock((System.nanoTime() - pointStart) / 1e9),
                    clock(elapsed), clock(eta));
        }
        ResultFormatFactory.getInstance(ResultFormatType.JSON, runDir.resolve("jmh.json").toString()).writeOut(results);
        json.writeValue(runDir.resolve(Failure.FILE).toFile(), failures);
        pointLatestAt(runDir);
        out.printf(Locale.ROOT, "bench: %d of %d points measured in %s; results in %s%n", results.size(), matrix.points().size(),
                clock((System.nanoTime() - suiteStart) / 1e9), projectDir.relativize(runDir.toAbsolutePath()));
        int gate = ReportTool.run(runDir, projectDir.relativize(runDir.toAbsolutePath()), settings.baselineDir(), settings.threshold(), settings.gate(), out);
        if (!failures.isEmpty()) {
            out.printf(Locale.ROOT, "bench: FAILED: %d points could not be measured: %s%n", failures.size(),
                    failures.stream().map(Failure::id).toList());
            return Cli.FAILED;
        }
        return gate;
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

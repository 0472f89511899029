package io.loombench.benchmarks.suite;

import io.loombench.benchmarks.LoadProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Runs one planned point as a JMH run of its own: its benchmark, its parameters, the matrix's
 * forks and iterations, {@link LoadProfiler}, and the system properties that tell each fork
 * where the server jar, the server's JVM and CPUs, and the run's directory are. JMH's own
 * output goes to {@code logs/<point id>.jmh.log}.
 */
final class PointRunner {
    private final Matrix matrix;
    private final Harness harness;
    private final String serverJvmArgs;
    private final Path runDir;

    PointRunner(Matrix matrix, Harness harness, String serverJvmArgs, Path runDir) {
        this.matrix = matrix;
        this.harness = harness;
        this.serverJvmArgs = serverJvmArgs;
        this.runDir = runDir;
    }

    /**
     * Runs the point in as many forks as the matrix asks.
     *
     * @throws RunnerException when a fork failed (a server that did not start, a load that stalled); see {@link #log}
     */
    RunResult run(PlannedPoint point) throws RunnerException, IOException {
        Files.createDirectories(log(point).getParent());
        RunEnvironment.JmhSettings jmh = matrix.settings(point.kind());
        List<String> properties = new ArrayList<>(List.of(
                "-Dbench.serverJar=" + harness.serverJar(),
                "-Dbench.serverJava=" + harness.serverJava(),
                "-Dbench.out=" + runDir,
                "-Dbench.capacity.warmup=" + matrix.capacitySteps().warmupSeconds(),
                "-Dbench.capacity.duration=" + matrix.capacitySteps().durationSeconds()));
        if (harness.placement().pinned()) {
            properties.add("-Dbench.serverCpus=" + harness.placement().serverCpus());
        }
        if (!serverJvmArgs.isEmpty()) {
            properties.add("-Dbench.serverJvmArgs=" + serverJvmArgs);
        }
        if (Runtime.version().feature() >= 24) {
            // JMH 1.37 reads field offsets through sun.misc.Unsafe, which JDK 24+ warns about in every
            // fork (JEP 498), naming the jar's path in the local Maven repository in each point's log.
            // The fork runs on this JVM, so the option exists exactly when this JVM is 24 or newer.
            properties.add("--sun-misc-unsafe-memory-access=allow");
        }
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + Pattern.quote(point.kind().jmhName()) + "$")
                .addProfiler(LoadProfiler.class)
                .jvmArgsAppend(properties.toArray(String[]::new))
                .output(log(point).toString())
                .shouldFailOnError(true)
                .timeout(TimeValue.minutes(15))
                .forks(jmh.forks())
                .warmupIterations(jmh.warmupIterations())
                .measurementIterations(jmh.measurementIterations());
        if (point.kind() != BenchmarkKind.CAPACITY) {
            options.warmupTime(TimeValue.milliseconds(Math.round(jmh.warmupSeconds() * 1000)))
                    .measurementTime(TimeValue.milliseconds(Math.round(jmh.measurementSeconds() * 1000)));
        }
        point.params().forEach(options::param);
        return new Runner(options.build()).runSingle();
    }

    /** Where JMH's output for the point goes. */
    Path log(PlannedPoint point) {
        return runDir.resolve("logs").resolve(point.id() + ".jmh.log");
    }
}

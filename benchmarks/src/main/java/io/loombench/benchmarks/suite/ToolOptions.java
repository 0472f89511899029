package io.loombench.benchmarks.suite;

import io.loombench.benchmarks.ServerKind;
import io.loombench.common.Cli;
import org.openjdk.jmh.runner.RunnerException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the suite's command-line tools share: reading their {@code -D} properties with one-line
 * errors that name the property, how to start the loadgen, a fresh results directory, and the exit policy.
 */
final class ToolOptions {
    private ToolOptions() {
    }

    /** A tool's body: returns its exit status; bad settings are IllegalArgumentExceptions. */
    @FunctionalInterface
    interface Body {
        int run() throws IOException, InterruptedException, RunnerException;
    }

    /**
     * Runs a tool and exits with its status: one line on stderr and 2 for bad settings, one line
     * and 1 for a failure, never a stack trace.
     */
    static void exit(String name, Body body) {
        int status;
        try {
            status = body.run();
        } catch (IllegalArgumentException e) {
            System.err.println(name + ": " + Cli.describe(e));
            status = Cli.USAGE;
        } catch (IOException | InterruptedException | RunnerException e) {
            System.err.println(name + ": " + Cli.describe(e));
            status = Cli.FAILED;
        }
        System.exit(status);
    }

    /**
     * The loadgen as the tools run it: its runnable jar ({@code bench.loadgenJar}) and the JVM
     * options file it ships ({@code bench.loadgenJvmOptions}), both relative to the project.
     */
    static LoadgenLauncher loadgen() {
        return new LoadgenLauncher(
                SuiteSettings.fromWorkingDir(Path.of(System.getProperty("bench.loadgenJar", "loadgen/target/loadgen-0.1.0-SNAPSHOT-all.jar"))),
                SuiteSettings.fromWorkingDir(Path.of(System.getProperty("bench.loadgenJvmOptions", "loadgen/jvm.options"))));
    }

    /** A new directory {@code <results>/<tool>-<UTC time>/} for a tool's run. */
    static Path newRunDir(Path results, String tool) throws IOException {
        return Files.createDirectories(results.resolve(tool + "-" + Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace(':', '-')));
    }

    /** A comma-separated list of positive whole numbers, such as {@code 64,1000}. */
    static List<Integer> counts(String property, String otherwise) {
        String text = System.getProperty(property, otherwise).strip();
        List<Integer> counts = new ArrayList<>();
        for (String part : text.split(",")) {
            try {
                int count = Integer.parseInt(part.strip());
                if (count < 1) {
                    throw new NumberFormatException();
                }
                counts.add(count);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(property + " must list positive whole numbers like 64,1000, was '" + text + "'");
            }
        }
        return counts;
    }

    /** A positive whole number. */
    static int count(String property, int otherwise) {
        List<Integer> counts = counts(property, Integer.toString(otherwise));
        if (counts.size() != 1) {
            throw new IllegalArgumentException(property + " must be one positive whole number, was '" + System.getProperty(property) + "'");
        }
        return counts.get(0);
    }

    /** A comma-separated list of servers, such as {@code virtual,nio,netty}. */
    static List<ServerKind> servers(String property, String otherwise) {
        String text = System.getProperty(property, otherwise).strip();
        List<ServerKind> servers = new ArrayList<>();
        for (String part : text.split(",")) {
            try {
                servers.add(ServerKind.of(part.strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(property + " must list servers among virtual, pool, nio, netty, helidon, was '" + text + "'");
            }
        }
        return servers;
    }

    /** Whether {@code tool} runs (as {@code tool --version}): installed and on the PATH. */
    static boolean installed(String tool) {
        try {
            Process process = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            process.waitFor(10, TimeUnit.SECONDS);
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

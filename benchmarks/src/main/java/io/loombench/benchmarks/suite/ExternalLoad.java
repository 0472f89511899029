package io.loombench.benchmarks.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loombench.common.ProcessUsage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The load generator in a process of its own, as a user runs it: the loadgen CLI started as
 * {@code bin/loadgen} starts it ({@link LoadgenLauncher}), on this JVM's CPUs (the generator's,
 * once {@link Harness#prepare} pinned it), its JSON read back. The scale and soak checks use it so
 * that the generator's own memory is its own and can be measured, and so that what they report is
 * what {@code bin/loadgen} reports.
 */
final class ExternalLoad {
    private static final Duration SAMPLE_EVERY = Duration.ofMillis(500);

    private ExternalLoad() {
    }

    /**
     * What a loadgen run left.
     *
     * @param exitCode  its exit status (0: every request succeeded, 1: some failed)
     * @param json      its {@code --json} report
     * @param peakRss   the largest resident set seen while it ran, bytes
     * @param output    what it printed (the summary)
     */
    record Outcome(int exitCode, JsonNode json, long peakRss, String output) {
        long errors() {
            long total = 0;
            for (JsonNode count : json.get("errors")) {
                total += count.asLong();
            }
            return total;
        }

        /** A response-time percentile in milliseconds ("50", "99", "99.9"...), 0 when nothing was measured. */
        double responseMillis(String percentile) {
            JsonNode percentiles = json.get("latency").get("response").get("percentiles");
            return percentiles == null ? 0 : percentiles.get(percentile).asLong() / 1000.0;
        }
    }

    /**
     * Runs the loadgen CLI, started the way {@code loadgen} starts it, with {@code args} (a
     * {@code --json} is added), calling {@code whileRunning} about twice a second until it ends.
     *
     * @param limit how long it may take at most before it is killed and this fails
     */
    static Outcome run(LoadgenLauncher loadgen, List<String> args, Duration limit, Consumer<Duration> whileRunning)
            throws IOException, InterruptedException {
        Path json = Files.createTempFile("loombench-load-", ".json");
        try {
            List<String> withJson = new ArrayList<>(args);
            withJson.addAll(List.of("--quiet", "--json", json.toString()));
            List<String> command = loadgen.command(ProcessHandle.current().info().command().orElse("java"), withJson);
            Path output = Files.createTempFile("loombench-load-", ".out");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            long peakRss = watch(process, "loadgen", command, limit, whileRunning);
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            Files.deleteIfExists(output);
            if (Files.size(json) == 0) {
                throw new IOException("loadgen exited " + process.exitValue() + " without a report: "
                        + printed.strip().lines().reduce((a, b) -> b).orElse("nothing printed"));
            }
            return new Outcome(process.exitValue(), new ObjectMapper().readTree(json.toFile()), peakRss, printed);
        } finally {
            Files.deleteIfExists(json);
        }
    }

    /**
     * Runs {@code wrk -t1} flat out (the only way it runs) against {@code url} in a process of its
     * own, on this JVM's CPUs as the loadgen runs, for the scale check's generator-memory comparison.
     *
     * @return its largest resident set seen while it ran, bytes
     * @throws IOException if it fails to start, exits non-zero or outlives {@code limit}
     */
    static long wrkPeakRss(String url, int connections, int seconds, Duration limit) throws IOException, InterruptedException {
        List<String> command = List.of("wrk", "-t1", "-c" + connections, "-d" + seconds + "s", url);
        Path output = Files.createTempFile("loombench-wrk-", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            long peakRss = watch(process, "wrk", command, limit, elapsed -> { });
            if (process.exitValue() != 0) {
                throw new IOException("wrk exited " + process.exitValue() + ": "
                        + Files.readString(output, StandardCharsets.UTF_8).strip().lines().reduce((a, b) -> b).orElse("nothing printed"));
            }
            return peakRss;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /**
     * Waits for {@code process}, sampling its resident set (and calling {@code whileRunning}) about
     * twice a second; kills it past {@code limit}.
     *
     * @return the largest resident set sampled, bytes
     */
    private static long watch(Process process, String name, List<String> command, Duration limit, Consumer<Duration> whileRunning)
            throws IOException, InterruptedException {
        long started = System.nanoTime();
        long peakRss = 0;
        while (!process.waitFor(SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS)) {
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            if (elapsed.compareTo(limit) > 0) {
                process.destroyForcibly();
                throw new IOException(name + " did not end within " + limit.toSeconds() + " s: " + String.join(" ", command));
            }
            try {
                peakRss = Math.max(peakRss, ProcessUsage.of(process.pid()).rssBytes());
            } catch (IOException e) {
                // It ended between the wait and the read.
            }
            whileRunning.accept(elapsed);
        }
        return peakRss;
    }
}

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
 * The load generator in a process of its own, as a user runs it: the loadgen jar's CLI on this
 * JVM's CPUs (the generator's, once {@link Harness#prepare} pinned it), its JSON read back. The
 * scale and soak checks use it so that the generator's own memory is its own and can be measured,
 * and so that what they report is what {@code bin/loadgen} reports.
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
     * Runs {@code bin/loadgen}'s jar with {@code args} (a {@code --json} is added), calling
     * {@code whileRunning} about twice a second until it ends.
     *
     * @param limit how long it may take at most before it is killed and this fails
     */
    static Outcome run(Path loadgenJar, List<String> args, Duration limit, Consumer<Duration> whileRunning)
            throws IOException, InterruptedException {
        Path json = Files.createTempFile("loombench-load-", ".json");
        try {
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-jar", loadgenJar.toString()));
            command.addAll(args);
            command.addAll(List.of("--quiet", "--json", json.toString()));
            Path output = Files.createTempFile("loombench-load-", ".out");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            long started = System.nanoTime();
            long peakRss = 0;
            while (!process.waitFor(SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS)) {
                Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
                if (elapsed.compareTo(limit) > 0) {
                    process.destroyForcibly();
                    throw new IOException("loadgen did not end within " + limit.toSeconds() + " s: " + String.join(" ", command));
                }
                try {
                    peakRss = Math.max(peakRss, ProcessUsage.of(process.pid()).rssBytes());
                } catch (IOException e) {
                    // It ended between the wait and the read.
                }
                whileRunning.accept(elapsed);
            }
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
}

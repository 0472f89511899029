package io.loombench.benchmarks.report;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The recorded runs under {@code src/test/resources/report/}, copied where a test may write, and
 * the HdrHistogram logs of the run's open-model points, written here with HdrHistogram's own
 * writer (the same the suite uses), from a fixed seed.
 *
 * <ul>
 *   <li>{@code run}: the current run, 20 points, 2 forks x 3 iterations each; one failed point
 *       ({@code throughput-http-wait-c10000-pool}: timeout 30, connect 5).</li>
 *   <li>{@code baseline}: the same machine a week earlier: nio at 64 connections scored 200,000
 *       (now 160,000), virtual 180,000 ± 60,000 (now 140,000 ± 3,000), the pool at 10,000 did
 *       not fail, the pool at 1,000 scored 60,000 (now 80,000), the pool's open-model p99 was
 *       15 ms (now 19.8), and it ran a TCP point this run lacks.</li>
 *   <li>{@code baseline-foreign}: 4 Xeon CPUs, every score 1.5 times this run's, so every ratio
 *       holds, except nio at http-wait-c10000: virtual/nio was 1.53 there, 1.15 now.</li>
 * </ul>
 */
final class Fixtures {

    /** Open-model points that get logs, with the mean of their response time's tail beyond the 10 ms wait (µs). */
    static final Map<String, Integer> HLOG_TAILS = Map.of(
            "latency-http-wait-c1000-virtual", 400, "latency-http-wait-c1000-pool", 2_000, "latency-http-wait-c1000-nio", 250);
    static final int FORKS = 2;
    static final int ITERATIONS = 3;
    static final int REQUESTS_PER_ITERATION = 2_000;

    private Fixtures() {
    }

    /** Copies a recorded run into {@code dir}/{@code name} and returns that. */
    static Path copy(String name, Path dir) throws IOException {
        Path source = resource(name);
        Path target = dir.resolve(name);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path to = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(file, to);
                }
            }
        }
        return target;
    }

    /** The run, with its logs, in {@code dir}/run. */
    static Path run(Path dir) throws IOException {
        Path run = copy("run", dir);
        writeHlogs(run);
        return run;
    }

    static Path resource(String name) {
        URL url = Fixtures.class.getResource("/report/" + name);
        if (url == null) {
            throw new IllegalStateException("no test resource report/" + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One log per fork ({@code hlog/<point id>-<pid>.hlog}), one interval per iteration, three tags. */
    static void writeHlogs(Path run) throws IOException {
        Path dir = Files.createDirectories(run.resolve(SuiteResults.HLOG_DIR));
        int pid = 4100;
        for (String id : HLOG_TAILS.keySet().stream().sorted().toList()) {
            for (int fork = 0; fork < FORKS; fork++) {
                pid++;
                try (PrintStream out = new PrintStream(Files.newOutputStream(dir.resolve(id + "-" + pid + ".hlog")), false, StandardCharsets.UTF_8)) {
                    HistogramLogWriter writer = new HistogramLogWriter(out);
                    long start = 1_748_855_643_000L + fork * 60_000L;
                    writer.outputLogFormatVersion();
                    writer.outputStartTime(start);
                    writer.setBaseTime(start);
                    writer.outputBaseTime(start);
                    writer.outputLegend();
                    for (int iteration = 0; iteration < ITERATIONS; iteration++) {
                        for (Histogram h : interval(id, fork, iteration, start + iteration * 10_000L)) {
                            writer.outputIntervalHistogram(h);
                        }
                    }
                }
            }
        }
    }

    /** Every response time (µs) the logs hold for a point, in the order written: what their sum must equal exactly. */
    static Histogram allResponses(String id) {
        Histogram all = new Histogram(1, 60_000_000, 3);
        for (int fork = 0; fork < FORKS; fork++) {
            for (int iteration = 0; iteration < ITERATIONS; iteration++) {
                all.add(interval(id, fork, iteration, 0).get(0));
            }
        }
        return all;
    }

    /** Response (untagged), service and send-lag histograms of one iteration, from a seed of their own. */
    private static List<Histogram> interval(String id, int fork, int iteration, long startMillis) {
        Random random = new Random(id.hashCode() * 31L + fork * 7L + iteration);
        Histogram response = new Histogram(1, 60_000_000, 3);
        Histogram service = new Histogram(1, 60_000_000, 3);
        Histogram sendLag = new Histogram(1, 60_000_000, 3);
        int tail = HLOG_TAILS.get(id);
        for (int i = 0; i < REQUESTS_PER_ITERATION; i++) {
            long lag = 20 + (long) (-Math.log(1 - random.nextDouble()) * 60);
            long serviceTime = 10_050 + (long) (-Math.log(1 - random.nextDouble()) * tail);
            response.recordValue(serviceTime + lag);
            service.recordValue(serviceTime);
            sendLag.recordValue(lag);
        }
        service.setTag(LatencyLogs.SERVICE_TAG);
        sendLag.setTag(LatencyLogs.SEND_LAG_TAG);
        for (Histogram h : List.of(response, service, sendLag)) {
            h.setStartTimeStamp(startMillis);
            h.setEndTimeStamp(startMillis + 10_000);
        }
        return List.of(response, service, sendLag);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

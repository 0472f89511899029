package io.loombench.benchmarks.suite;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.loombench.benchmarks.BenchSettings;
import io.loombench.benchmarks.Point;
import io.loombench.benchmarks.ServerKind;
import io.loombench.benchmarks.ServerUnderTest;
import io.loombench.benchmarks.Workload;
import io.loombench.common.Cli;
import io.loombench.common.ProcessUsage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A soak: each model for {@code soak.minutes} at 70% of the most it answered in a short flat-out
 * run, HTTP {@code /plaintext} over {@code soak.connections} connections, the generator in its own
 * process. Every 10 s it samples the server's RSS, its heap after a full GC (the live objects'
 * total of {@code jcmd GC.class_histogram}, which collects first; the forced collection is part
 * of the price of watching), its threads and its open file descriptors. It fails a model when a request fails, or when a resource grows
 * without bound: the median of the last third of the samples above the median of the first third
 * (the first minute, warm-up, left out) by more than {@link Growth#tolerates its tolerance}.
 *
 * <p>Run with {@code mvn verify -Psoak} ({@code -Dsoak.minutes=10}, {@code -Dsoak.servers=virtual,pool,nio},
 * {@code -Dsoak.connections=1000}); it prints one table per model and writes {@code soak.md} and
 * {@code soak.json} into {@code results/soak-<UTC time>/}. Exit status 0 when every model passed.
 */
public final class SoakCheck {
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);
    private static final Duration SETTLE = Duration.ofMinutes(1);
    private static final double LOAD_SHARE = 0.70;
    private static final double MIB = 1024.0 * 1024.0;

    private SoakCheck() {
    }

    /**
     * One sample of the server.
     *
     * @param seconds       since the soak's start
     * @param rssMiB        resident set
     * @param heapAfterGcMiB heap used right after a full collection; -1 when jcmd could not tell
     * @param threads       threads of the process
     * @param fds           open file descriptors
     */
    public record Sample(double seconds, double rssMiB, double heapAfterGcMiB, int threads, int fds) {
    }

    /**
     * How much a resource may grow between the first and the last third of a soak before it counts
     * as growing without bound: {@code last <= first * (1 + share) + slack}.
     */
    record Growth(String resource, double share, double slack) {
        boolean tolerates(double first, double last) {
            return last <= first * (1 + share) + slack;
        }
    }

    private static final List<Growth> LIMITS = List.of(
            new Growth("rss", 0.10, 16), new Growth("heap", 0.20, 8), new Growth("threads", 0, 4), new Growth("fds", 0, 16));

    /**
     * A model's soak.
     *
     * @param server      the model
     * @param maximum     the flat-out rate it answered, requests per second
     * @param rate        the soak's rate, {@value #LOAD_SHARE} of the maximum
     * @param completed   answers in the soak's measured period
     * @param errors      failed requests and connection attempts
     * @param p99Millis   response time p99 from the intended send time
     * @param samples     every sample, in order
     * @param verdicts    one line per resource and for errors: {@code ok ...} or {@code FAILED ...}
     */
    public record Soak(String server, double maximum, double rate, long completed, long errors, double p99Millis,
                       List<Sample> samples, List<String> verdicts) {
        boolean passed() {
            return verdicts.stream().noneMatch(verdict -> verdict.startsWith("FAILED"));
        }
    }

    public static void main(String[] args) {
        ToolOptions.exit("soak", SoakCheck::run);
    }

    private static int run() throws IOException, InterruptedException {
        SuiteSettings settings = SuiteSettings.fromSystemProperties();
        int minutes = ToolOptions.count("soak.minutes", 10);
        int connections = ToolOptions.count("soak.connections", 1000);
        List<ServerKind> servers = ToolOptions.servers("soak.servers", "virtual,pool,nio");
        LoadgenLauncher loadgen = ToolOptions.loadgen();
        Harness harness = Harness.prepare(settings);
        Path runDir = ToolOptions.newRunDir(settings.resultsDir(), "soak");
        BenchSettings children = harness.childSettings(settings.serverJvmArgs(), runDir);
        ServerInspection inspection = new ServerInspection(harness.serverJava().resolveSibling("jcmd"));
        List<Soak> soaks = new ArrayList<>();
        StringBuilder report = new StringBuilder();
        for (ServerKind server : servers) {
            int held = connectionsFor(server, connections);
            Soak soak = soak(new Point(server, "http", Workload.NONE, held), children, loadgen, Duration.ofMinutes(minutes), inspection);
            soaks.add(soak);
            String table = table(soak, minutes, held);
            System.out.print(table);
            report.append(table).append('\n');
        }
        Files.writeString(runDir.resolve("soak.md"), report, StandardCharsets.UTF_8);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(runDir.resolve("soak.json").toFile(), soaks);
        System.out.println("soak: written to " + runDir);
        return soaks.stream().allMatch(Soak::passed) ? Cli.OK : Cli.FAILED;
    }

    /**
     * The connections a server is soaked with: those asked, but for the pool at most half its
     * threads. A pool serves one connection per thread, and the connections beyond its threads
     * wait unanswered by design; a soak at a fixed rate would count their timeouts as failures,
     * and the descriptors of the ones their clients gave up on (still queued) as a leak, which
     * measures the model's queueing, not its health.
     */
    static int connectionsFor(ServerKind server, int asked) {
        return server == ServerKind.POOL ? Math.min(asked, ServerKind.POOL_THREADS / 2) : asked;
    }

    private static Soak soak(Point point, BenchSettings children, LoadgenLauncher loadgen, Duration length, ServerInspection inspection)
            throws IOException, InterruptedException {
        String trial = "soak-c" + point.connections() + "-" + point.server().key() + "-" + ProcessHandle.current().pid();
        try (ServerUnderTest server = ServerUnderTest.start(point, children, trial)) {
            String url = "http://127.0.0.1:" + server.address().getPort() + "/plaintext";
            String threads = Integer.toString(Runtime.getRuntime().availableProcessors());
            System.out.printf(Locale.ROOT, "soak: %s: finding its maximum ...%n", point.server().key());
            ExternalLoad.Outcome flatOut = ExternalLoad.run(loadgen, List.of("http", url, "-c", Integer.toString(point.connections()),
                    "--closed", "-d", "5s", "--warmup", "5s", "-t", threads), Duration.ofMinutes(2), elapsed -> { });
            double maximum = flatOut.json().get("achievedRate").asDouble();
            double rate = Math.max(1, Math.round(LOAD_SHARE * maximum));
            System.out.printf(Locale.ROOT, "soak: %s: %,.0f req/s flat out; %s at %,.0f req/s ...%n", point.server().key(), maximum,
                    length.toMinutes() + " min", rate);
            List<Sample> samples = new ArrayList<>();
            AtomicLong nextSample = new AtomicLong();
            long started = System.nanoTime();
            ExternalLoad.Outcome soak = ExternalLoad.run(loadgen, List.of("http", url, "-c", Integer.toString(point.connections()),
                    "-R", Long.toString((long) rate), "-d", length.toSeconds() + "s", "--warmup", "5s", "-t", threads),
                    length.plusMinutes(3), elapsed -> {
                        if (elapsed.toNanos() >= nextSample.get()) {
                            nextSample.addAndGet(SAMPLE_EVERY.toNanos());
                            sample(server, inspection, (System.nanoTime() - started) / 1e9).ifPresent(samples::add);
                        }
                    });
            server.stop();
            return new Soak(point.server().key(), maximum, rate, soak.json().get("completed").asLong(), soak.errors(),
                    soak.responseMillis("99"), samples, verdicts(samples, soak.errors()));
        }
    }

    /** The server's cost now; empty when it could not be read (it is going away). */
    private static Optional<Sample> sample(ServerUnderTest server, ServerInspection inspection, double seconds) {
        try {
            ProcessUsage usage = server.usage();
            OptionalLong heap = inspection.heapAfterGc(server.pid());
            int fds = ServerInspection.openFiles(server.pid());
            return Optional.of(new Sample(seconds, usage.rssBytes() / MIB,
                    heap.isPresent() ? heap.getAsLong() / MIB : -1, usage.threads(), fds));
        } catch (IOException | InterruptedException e) {
            return Optional.empty();
        }
    }

    /** The verdicts: errors, and each resource's growth from the first to the last third of the settled samples. */
    static List<String> verdicts(List<Sample> samples, long errors) {
        List<String> verdicts = new ArrayList<>();
        verdicts.add(errors == 0 ? "ok: no request failed" : String.format(Locale.ROOT, "FAILED: %,d requests failed", errors));
        List<Sample> settled = samples.stream().filter(sample -> sample.seconds() >= SETTLE.toSeconds()).toList();
        if (settled.size() < 6) {
            verdicts.add("FAILED: " + settled.size() + " samples after the first minute, too few to judge growth (run at least 2 minutes)");
            return verdicts;
        }
        int third = settled.size() / 3;
        List<Sample> first = settled.subList(0, third);
        List<Sample> last = settled.subList(settled.size() - third, settled.size());
        for (Growth limit : LIMITS) {
            double before = median(first, limit.resource());
            double after = median(last, limit.resource());
            if (before < 0 || after < 0) {
                verdicts.add("ok: " + limit.resource() + " not read (no jcmd)");
                continue;
            }
            String figures = String.format(Locale.ROOT, "%s %.1f -> %.1f (tolerance +%.0f%% +%.0f)", limit.resource(), before, after,
                    100 * limit.share(), limit.slack());
            verdicts.add((limit.tolerates(before, after) ? "ok: " : "FAILED: grows: ") + figures);
        }
        return verdicts;
    }

    private static double median(List<Sample> samples, String resource) {
        double[] values = samples.stream().mapToDouble(sample -> switch (resource) {
            case "rss" -> sample.rssMiB();
            case "heap" -> sample.heapAfterGcMiB();
            case "threads" -> sample.threads();
            default -> sample.fds();
        }).sorted().toArray();
        return values[values.length / 2];
    }

    static String table(Soak soak, int minutes, int connections) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "### %s: %d min at %,.0f req/s (70%% of %,.0f flat out), HTTP /plaintext, %,d connections: %s%n%n",
                soak.server(), minutes, soak.rate(), soak.maximum(), connections, soak.passed() ? "passed" : "FAILED"));
        out.append(String.format(Locale.ROOT, "%,d answered, %,d errors, p99 %.2f ms from the intended send.%n%n",
                soak.completed(), soak.errors(), soak.p99Millis()));
        out.append("| s | RSS MiB | heap after GC MiB | threads | fds |\n|---:|---:|---:|---:|---:|\n");
        for (Sample sample : soak.samples()) {
            out.append(String.format(Locale.ROOT, "| %.0f | %.1f | %s | %d | %d |%n", sample.seconds(), sample.rssMiB(),
                    sample.heapAfterGcMiB() < 0 ? "—" : String.format(Locale.ROOT, "%.1f", sample.heapAfterGcMiB()),
                    sample.threads(), sample.fds()));
        }
        out.append('\n');
        soak.verdicts().forEach(verdict -> out.append("- ").append(verdict).append('\n'));
        return out.toString();
    }
}

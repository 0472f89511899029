package io.loombench.benchmarks.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.loombench.benchmarks.BenchSettings;
import io.loombench.benchmarks.Point;
import io.loombench.benchmarks.ServerKind;
import io.loombench.benchmarks.ServerUnderTest;
import io.loombench.benchmarks.Workload;
import io.loombench.common.Cli;
import io.loombench.common.CpuSteal;
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
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * How the models hold thousands of connections: for each server and connection count, a server
 * child and a load generator in a process of its own (both pinned as in the suite), at one request
 * per second per connection, reporting the server's RSS per connection (its peak RSS during the
 * run minus its idle RSS, over the connections) and its live heap per connection (which no
 * collector's headroom enters), its threads, the p99 from the intended send time, the errors, and
 * the generator's own RSS and its growth per connection between rows. Over HTTP, with {@code wrk}
 * on the PATH, each row also runs {@code wrk -t1} at the same connection count on the generator's
 * CPUs and reports its RSS the same way, the peer for the generator's memory.
 *
 * <p>Run with {@code mvn verify -Pscale} ({@code -Dscale.connections=1000,5000,10000,19000},
 * {@code -Dscale.servers=virtual,pool,nio,netty}, {@code -Dscale.protocol=tcp|http},
 * {@code -Dscale.seconds=10}). It prints the table and writes {@code scale.md} and
 * {@code scale.json} into {@code results/scale-<UTC time>/}. Exit status 0 when every row ran
 * without an error, 1 otherwise.
 */
public final class ScaleCheck {
    private static final Duration WARMUP = Duration.ofSeconds(3);
    /**
     * Between the two live-heap readings: three requests' time for each connection at the scale
     * command's one request per second per connection.
     */
    private static final Duration SETTLE = Duration.ofSeconds(3);
    private static final double MIB = 1024.0 * 1024.0;

    private ScaleCheck() {
    }

    /**
     * One server at one connection count.
     *
     * @param server             who served
     * @param connections        connections asked for
     * @param peakConnections    most connections the generator had open at once
     * @param serverIdleMiB      the server's RSS once started, before any connection
     * @param serverPeakMiB      the server's largest RSS during the run
     * @param serverKiBPerConnection (peak - idle) / connections
     * @param liveHeapBytesPerConnection the server's heap after a full collection, per connection, in a
     *                           second opening of the connections after the measured run; null where not read
     * @param serverThreads      the server's threads at its peak
     * @param achievedRate       measured answers per second
     * @param p99Millis          response time p99 from the intended send time
     * @param errors             failed requests and connection attempts
     * @param loadgenPeakMiB     the generator process's largest RSS
     * @param wrkPeakMiB         {@code wrk -t1}'s largest RSS at the same connection count, or null
     *                           where it was not run (TCP, or no wrk on the PATH)
     * @param serverSteal        share of the server's CPUs' time the hypervisor took over the measured
     *                           loadgen run, from 0 to 1 (see {@link CpuSteal}); null where it cannot be read
     * @param loadgenSteal       the same for the generator's CPUs over its measured period, as it reported
     *                           it; null where it could not read it
     */
    public record Row(String server, int connections, long peakConnections, double serverIdleMiB, double serverPeakMiB,
                      double serverKiBPerConnection, Double liveHeapBytesPerConnection, int serverThreads, double achievedRate,
                      double p99Millis, long errors, double loadgenPeakMiB, Double wrkPeakMiB, Double serverSteal,
                      Double loadgenSteal) {
    }

    public static void main(String[] args) {
        ToolOptions.exit("scale", ScaleCheck::run);
    }

    private static int run() throws IOException, InterruptedException {
        SuiteSettings settings = SuiteSettings.fromSystemProperties();
        List<Integer> counts = ToolOptions.counts("scale.connections", "1000,5000,10000,19000");
        List<ServerKind> servers = ToolOptions.servers("scale.servers", "virtual,pool,nio,netty");
        String protocol = System.getProperty("scale.protocol", "tcp").strip();
        int seconds = ToolOptions.count("scale.seconds", 10);
        LoadgenLauncher loadgen = ToolOptions.loadgen();
        boolean withWrk = protocol.equals("http") && ToolOptions.installed("wrk");
        if (protocol.equals("http") && !withWrk) {
            System.out.println("scale: wrk is not on the PATH, so the generator's memory has no peer to be compared with (apt-get install wrk)");
        }
        Harness harness = Harness.prepare(settings);
        Path runDir = ToolOptions.newRunDir(settings.resultsDir(), "scale");
        BenchSettings children = harness.childSettings(settings.serverJvmArgs(), runDir);
        ServerInspection inspection = new ServerInspection(harness.serverJava().resolveSibling("jcmd"));
        List<Row> rows = new ArrayList<>();
        for (ServerKind server : servers) {
            for (int connections : counts) {
                Point point = new Point(server, protocol, Workload.NONE, connections);
                System.out.printf(Locale.ROOT, "scale: %s %s at %,d connections ...%n", server.key(), protocol, connections);
                rows.add(measure(point, children, loadgen, withWrk, seconds, inspection));
            }
        }
        String collector = EnvironmentProbe.serverJvm(settings, harness).collector().orElse("unnamed");
        String table = table(rows, protocol, seconds, harness.placement(), collector, loadgen.jvmOptions().toString());
        System.out.print(table);
        Files.writeString(runDir.resolve("scale.md"), table, StandardCharsets.UTF_8);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(runDir.resolve("scale.json").toFile(), rows);
        System.out.println("scale: written to " + runDir);
        return rows.stream().allMatch(row -> row.errors() == 0 && row.peakConnections() == row.connections()) ? Cli.OK : Cli.FAILED;
    }

    /**
     * @param withWrk    whether to measure {@code wrk -t1}'s memory beside the generator's
     * @param inspection reads the server's live heap, in a second opening of the connections
     */
    private static Row measure(Point point, BenchSettings children, LoadgenLauncher loadgen, boolean withWrk, int seconds,
                               ServerInspection inspection) throws IOException, InterruptedException {
        String trial = "scale-" + point.protocol() + "-c" + point.connections() + "-" + point.server().key() + "-" + ProcessHandle.current().pid();
        try (ServerUnderTest server = ServerUnderTest.start(point, children, trial)) {
            String address = point.protocol().equals("http")
                    ? "http://127.0.0.1:" + server.address().getPort() + "/plaintext"
                    : "127.0.0.1:" + server.address().getPort();
            List<String> target = new ArrayList<>(List.of(point.protocol(), address,
                    "-c", Integer.toString(point.connections()), "-R", Integer.toString(point.connections()),
                    "-t", Integer.toString(Runtime.getRuntime().availableProcessors())));
            if (!point.protocol().equals("http")) {
                target.addAll(List.of("--payload", Integer.toString(Point.ECHO_PAYLOAD_BYTES)));
            }
            List<String> args = new ArrayList<>(target);
            args.addAll(List.of("-d", seconds + "s", "--warmup", WARMUP.toSeconds() + "s"));
            AtomicReference<ProcessUsage> peak = new AtomicReference<>(server.idle());
            Optional<CpuSteal> stealBefore = CpuSteal.ofProcess(server.pid());
            ExternalLoad.Outcome load = ExternalLoad.run(loadgen, args, Duration.ofSeconds(seconds + 120L), elapsed -> {
                try {
                    ProcessUsage now = server.usage();
                    peak.accumulateAndGet(now, (a, b) -> b.rssBytes() > a.rssBytes() ? b : a);
                } catch (IOException e) {
                    // The server is gone; its stop says why.
                }
            });
            Double serverSteal = CpuSteal.Share.between(stealBefore, CpuSteal.ofProcess(server.pid())).map(CpuSteal.Share::share).orElse(null);
            JsonNode loadgenSteal = load.json().path("cpuSteal").path("share");
            // After the loadgen run, so that the server's peak above is the loadgen's load alone.
            Double wrkPeakMiB = !withWrk ? null
                    : ExternalLoad.wrkPeakRss(address, point.connections(), seconds, Duration.ofSeconds(seconds + 120L)) / MIB;
            OptionalDouble liveHeap = liveHeapPerConnection(server, loadgen, target, point.connections(), seconds, inspection);
            server.stop();
            ProcessUsage idle = server.idle();
            ProcessUsage top = peak.get();
            return new Row(point.server().key(), point.connections(), load.json().get("peakConnections").asLong(),
                    idle.rssBytes() / MIB, top.rssBytes() / MIB,
                    (top.rssBytes() - idle.rssBytes()) / 1024.0 / point.connections(),
                    liveHeap.isPresent() ? liveHeap.getAsDouble() : null, top.threads(),
                    load.json().get("achievedRate").asDouble(), load.responseMillis("99"), load.errors(), load.peakRss() / MIB, wrkPeakMiB,
                    serverSteal, loadgenSteal.isNumber() ? loadgenSteal.asDouble() : null);
        }
    }

    /**
     * The server's live heap per connection, bytes: with the measured run over, the same load
     * opens the connections again, and once the server holds them (99% of them) and half that run
     * has passed, a full collection reads its heap; {@link #SETTLE} later a second one reads it
     * again, and that second reading, less the heap read the same way before the load, over the
     * file descriptors added, is the answer. Two readings because the first collection moves every
     * parked virtual thread's stack chunk to the old generation, and from its next park such a
     * thread holds a second chunk for the rest of its life (see the README's "Memory per
     * connection"); by the second reading each connection has had a request, so it reads what a
     * connection holds from then on, the same for every server. A run of its own, because the
     * collections pause the server, which the measured run's p99 must not see; its connections
     * arrive at a JVM whose JIT has compiled the request path, which matters for a virtual
     * thread's stack chunk too.
     *
     * @param target the measured run's loadgen arguments but its duration
     * @return bytes per connection; empty when the server never held 99% of them at once, or
     *         {@code jcmd} could not tell
     */
    private static OptionalDouble liveHeapPerConnection(ServerUnderTest server, LoadgenLauncher loadgen, List<String> target, int connections,
                                                int seconds, ServerInspection inspection) throws IOException, InterruptedException {
        OptionalLong before = inspection.heapAfterGc(server.pid());
        if (before.isEmpty()) {
            return OptionalDouble.empty();
        }
        int filesBefore = ServerInspection.openFiles(server.pid());
        List<String> args = new ArrayList<>(target);
        args.addAll(List.of("-d", (seconds + SETTLE.toSeconds()) + "s", "--warmup", "0"));
        AtomicReference<Duration> firstReading = new AtomicReference<>();
        AtomicReference<OptionalDouble> perConnection = new AtomicReference<>(OptionalDouble.empty());
        ExternalLoad.run(loadgen, args, Duration.ofSeconds(seconds + SETTLE.toSeconds() + 120L), elapsed -> {
            try {
                if (perConnection.get().isPresent()) {
                    return;
                }
                int added = ServerInspection.openFiles(server.pid()) - filesBefore;
                // 99%: a closing left over from the measured run may still have been counted before.
                // Half the run in: each connection has been through requests, not only its opening.
                boolean held = added >= 0.99 * connections;
                if (firstReading.get() == null) {
                    if (held && elapsed.toMillis() >= seconds * 500L && inspection.heapAfterGc(server.pid()).isPresent()) {
                        firstReading.set(elapsed);
                    }
                } else if (held && elapsed.compareTo(firstReading.get().plus(SETTLE)) >= 0) {
                    OptionalLong heap = inspection.heapAfterGc(server.pid());
                    if (heap.isPresent()) {
                        perConnection.set(OptionalDouble.of((double) (heap.getAsLong() - before.getAsLong()) / added));
                    }
                }
            } catch (IOException e) {
                // The server is gone; its stop says why.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return perConnection.get();
    }

    /**
     * @param collector      the servers' garbage collector, as their JVM's ergonomics or flags chose it
     * @param loadgenOptions the JVM options file the generator ran with
     */
    static String table(List<Row> rows, String protocol, int seconds, RunEnvironment.Placement placement, String collector,
                        String loadgenOptions) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "%s, one request per second per connection, %d s measured after %d s; server on CPUs %s (collector %s),"
                        + " loadgen (its own process, %s) on CPUs %s (%s)."
                        + " RSS per connection = (peak RSS - idle RSS) / connections; live heap per connection from the second of two"
                        + " full collections %d s apart, with the connections opened again after the run. CPU steal: the share of the"
                        + " server's CPUs' time the hypervisor took during the measured run, and of the loadgen's; above %.0f%%, the"
                        + " p99 holds the host's waits as well as the server's.%n%n",
                protocol.equals("http") ? "HTTP GET /plaintext" : "TCP echo, 64 B", seconds, WARMUP.toSeconds(),
                placement.serverCpus(), collector, loadgenOptions, placement.generatorCpus(), placement.mode(), SETTLE.toSeconds(),
                100 * CpuSteal.Share.NOTABLE));
        boolean withWrk = rows.stream().anyMatch(row -> row.wrkPeakMiB() != null);
        out.append("| server | connections | open at peak | server RSS MiB (idle) | server KiB / connection | live heap B / connection | server threads | req/s | p99 ms | errors"
                + " | CPU steal server, loadgen | loadgen RSS MiB | loadgen KiB / added connection" + (withWrk ? " | wrk -t1 RSS MiB | wrk KiB / added connection |\n" : " |\n"));
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:" + (withWrk ? "|---:|---:|\n" : "|\n"));
        Row previous = null;
        for (Row row : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,.0f (%,.0f) | %,.1f | %s | %,d | %,.0f | %.2f | %,d | %s, %s | %,.0f | %s |",
                    row.server(),
                    row.connections(), row.peakConnections(), row.serverPeakMiB(), row.serverIdleMiB(), row.serverKiBPerConnection(),
                    row.liveHeapBytesPerConnection() == null ? "—" : String.format(Locale.ROOT, "%,.0f", row.liveHeapBytesPerConnection()),
                    row.serverThreads(), row.achievedRate(), row.p99Millis(), row.errors(), percent(row.serverSteal()),
                    percent(row.loadgenSteal()), row.loadgenPeakMiB(),
                    growth(previous, row, Row::loadgenPeakMiB)));
            if (withWrk) {
                out.append(row.wrkPeakMiB() == null ? " — | — |"
                        : String.format(Locale.ROOT, " %,.0f | %s |", row.wrkPeakMiB(), growth(previous, row, Row::wrkPeakMiB)));
            }
            out.append('\n');
            previous = row;
        }
        return out.toString();
    }

    private static String percent(Double share) {
        return share == null ? "—" : String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }

    /**
     * A generator's cost per connection: the growth of its RSS ({@code peakMiB}) from the previous,
     * smaller count of the same server, in KiB per added connection, so that its own baseline (a
     * JVM's, for the loadgen) cancels out; a dash for a server's first row.
     */
    private static String growth(Row previous, Row row, Function<Row, Double> peakMiB) {
        if (previous == null || !previous.server().equals(row.server()) || row.connections() <= previous.connections()
                || peakMiB.apply(previous) == null || peakMiB.apply(row) == null) {
            return "—";
        }
        return String.format(Locale.ROOT, "%,.1f", (peakMiB.apply(row) - peakMiB.apply(previous)) * 1024 / (row.connections() - previous.connections()));
    }
}

package io.loombench.benchmarks.suite;

import io.loombench.benchmarks.BenchSettings;
import io.loombench.benchmarks.Metric;
import io.loombench.benchmarks.Point;
import io.loombench.benchmarks.ServerKind;
import io.loombench.benchmarks.ServerUnderTest;
import io.loombench.benchmarks.Workload;
import io.loombench.benchmarks.report.ReportTool;
import io.loombench.benchmarks.report.SuiteResults;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.loombench.common.Cli;
import io.loombench.common.ProcessUsage;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.RunnerException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the suite's throughput against tools nobody here wrote: for each connection count, the
 * suite's own throughput point (through JMH, as {@code mvn verify -Pbench} runs it), then
 * {@code wrk -t1} and, where installed, {@code h2load --h1 -t1}, each against a fresh server child
 * started the same way, on the same CPUs, after a warm-up. They should agree within 10%; where
 * they do not, the table says which side was short of CPU, since a closed-loop tool on one CPU
 * measures itself as soon as it saturates. Exit status 0 when every tool agrees or its
 * disagreement is explained so, 1 otherwise.
 *
 * <p>Run with {@code mvn verify -Pagreement} ({@code -Dagreement.connections=64,1000},
 * {@code -Dagreement.server=nio}, {@code -Dagreement.seconds=10}). It prints the table, writes
 * {@code agreement.json} into the newest run directory and renders that run's report again, which
 * then shows it.
 */
public final class AgreementCheck {
    /** The agreement the issue asks of the suite: within 10% of each peer tool. */
    public static final double TOLERANCE = 0.10;
    /** A tool using this much of its one CPU cannot go faster: it is the limit of its own measurement. */
    static final double CPU_BOUND = 0.95;
    private static final Pattern WRK_RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern H2LOAD_RATE = Pattern.compile("finished in [0-9.]+m?s, ([0-9.]+) req/s");
    private static final int WARMUP_SECONDS = 3;

    private AgreementCheck() {
    }

    /**
     * One tool's measurement at one connection count.
     *
     * @param connections the connection count
     * @param tool        {@code loombench suite}, {@code wrk} or {@code h2load}
     * @param rate        requests per second it measured
     * @param toolCpu     its CPU share of one CPU over the run (the suite: the generator's), NaN if unknown
     * @param serverCpu   the server's CPU share of its CPUs over the run
     * @param verdict     {@code agrees}, or why not
     */
    public record Row(int connections, String tool, double rate, double toolCpu, double serverCpu, String verdict) {
    }

    /**
     * What {@code agreement.json} holds, for the report.
     *
     * @param note how it was measured, one paragraph
     * @param rows every tool at every connection count
     */
    public record Agreement(String note, List<Row> rows) {
        public static final String FILE = "agreement.json";
    }

    public static void main(String[] args) {
        ToolOptions.exit("agreement", AgreementCheck::run);
    }

    private static int run() throws IOException, InterruptedException, RunnerException {
        SuiteSettings settings = SuiteSettings.fromSystemProperties();
        ServerKind server = ToolOptions.servers("agreement.server", "nio").get(0);
        int seconds = ToolOptions.count("agreement.seconds", 10);
        List<Integer> counts = ToolOptions.counts("agreement.connections", "64,1000");
        requireTool("wrk");
        boolean h2load = ToolOptions.installed("h2load");
        Harness harness = Harness.prepare(settings);
        Path runDir = runDir(settings.resultsDir());
        RunEnvironment.JmhSettings jmh = new RunEnvironment.JmhSettings("throughput", 1, 1, WARMUP_SECONDS, 3, seconds / 3.0);
        Matrix matrix = new Matrix("agreement", jmh, jmh, new Matrix.CapacitySteps(1, 1), List.of());
        PointRunner runner = new PointRunner(matrix, harness, settings.serverJvmArgs(), runDir);
        BenchSettings children = harness.childSettings(settings.serverJvmArgs(), runDir);

        List<Row> rows = new ArrayList<>();
        for (int connections : counts) {
            Point point = new Point(server, "http", Workload.NONE, connections);
            System.out.printf(Locale.ROOT, "agreement: %s at %,d connections: suite ...%n", server.key(), connections);
            RunResult suite = runner.run(new PlannedPoint(BenchmarkKind.THROUGHPUT, point, 0, ""));
            Result<?> gen = suite.getSecondaryResults().get(Metric.GENERATOR_CPU_UTILIZATION.label());
            Result<?> serverCpu = suite.getSecondaryResults().get(Metric.SERVER_CPU_UTILIZATION.label());
            rows.add(new Row(connections, "loombench suite", suite.getPrimaryResult().getScore(),
                    gen == null ? Double.NaN : gen.getScore(), serverCpu == null ? Double.NaN : serverCpu.getScore(), "the reference"));
            rows.add(measure(point, children, "wrk", seconds, address -> List.of("wrk", "-t1", "-c" + connections,
                    "-d" + seconds + "s", url(address)), WRK_RATE));
            if (h2load) {
                rows.add(measure(point, children, "h2load", seconds, address -> List.of("h2load", "--h1", "-t1",
                        "-c" + connections, "-D", Integer.toString(seconds), url(address)), H2LOAD_RATE));
            }
        }
        List<Row> judged = rows.stream().map(row -> new Row(row.connections(), row.tool(), row.rate(), row.toolCpu(),
                row.serverCpu(), verdict(row, suiteAt(rows, row.connections())))).toList();
        Agreement agreement = new Agreement(note(server, harness.placement(), seconds, h2load), judged);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(runDir.resolve(Agreement.FILE).toFile(), agreement);
        System.out.print(table(agreement));
        int report = Files.exists(runDir.resolve(SuiteResults.JMH_JSON)) ? ReportTool.run(runDir, null, 0.10, false, System.out) : 0;
        System.out.println("agreement: written to " + runDir.resolve(Agreement.FILE));
        return report == 0 && explained(judged) ? Cli.OK : Cli.FAILED;
    }

    /** Starts a server child for {@code point}, warms it with the tool, then measures with it. */
    private static Row measure(Point point, BenchSettings children, String tool, int seconds,
                               Function<InetSocketAddress, List<String>> command, Pattern rate)
            throws IOException, InterruptedException {
        System.out.printf(Locale.ROOT, "agreement: %s at %,d connections: %s ...%n", point.server().key(), point.connections(), tool);
        String trial = "agreement-" + tool + "-c" + point.connections() + "-" + point.server().key() + "-" + ProcessHandle.current().pid();
        try (ServerUnderTest server = ServerUnderTest.start(point, children, trial)) {
            List<String> warm = new ArrayList<>(command.apply(server.address()));
            replaceDuration(warm, tool, WARMUP_SECONDS);
            runTool(warm, WARMUP_SECONDS);
            ProcessUsage before = server.usage();
            long started = System.nanoTime();
            ToolRun measured = runTool(command.apply(server.address()), seconds);
            double elapsed = (System.nanoTime() - started) / 1e9;
            double serverCpu = (server.usage().cpuNanos() - before.cpuNanos()) / 1e9 / elapsed / server.cpuCount();
            Matcher matcher = rate.matcher(measured.output());
            if (!matcher.find()) {
                throw new IOException(tool + " printed no rate: " + measured.output().strip().lines().reduce((a, b) -> b).orElse("nothing"));
            }
            server.stop();
            return new Row(point.connections(), tool, Double.parseDouble(matcher.group(1)), measured.cpuShare(), serverCpu, "");
        }
    }

    private static void replaceDuration(List<String> command, String tool, int seconds) {
        for (int i = 0; i < command.size(); i++) {
            if (tool.equals("wrk") && command.get(i).startsWith("-d")) {
                command.set(i, "-d" + seconds + "s");
            }
            if (tool.equals("h2load") && command.get(i).equals("-D")) {
                command.set(i + 1, Integer.toString(seconds));
            }
        }
    }

    /**
     * What a tool printed, and its CPU share of one CPU over its run (NaN when the run was too
     * short to sample).
     */
    private record ToolRun(String output, double cpuShare) {
    }

    /**
     * Runs a tool (it inherits this JVM's CPUs: the generator's), sampling its CPU time a second
     * before its end, while it still exists to be read.
     */
    private static ToolRun runTool(List<String> command, int seconds) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        long started = System.nanoTime();
        double cpuShare = Double.NaN;
        if (seconds > 1 && !process.waitFor(seconds - 1, TimeUnit.SECONDS)) {
            try {
                cpuShare = ProcessUsage.of(process.pid()).cpuNanos() / 1e9 / ((System.nanoTime() - started) / 1e9);
            } catch (IOException e) {
                // It ended in between: no sample.
            }
        }
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(command.get(0) + " did not end 30 s after its duration");
        }
        return new ToolRun(new String(output, StandardCharsets.UTF_8), cpuShare);
    }

    private static Row suiteAt(List<Row> rows, int connections) {
        return rows.stream().filter(r -> r.connections() == connections && r.tool().equals("loombench suite")).findFirst().orElseThrow();
    }

    /**
     * {@code agrees}, or why not. Where the slower side used (nearly) all of its one CPU, it was
     * that side's limit, not the server's: the same server, started the same way, answered the
     * faster side at a higher rate.
     */
    static String verdict(Row row, Row suite) {
        if (row == suite) {
            return "the reference";
        }
        if (Math.abs(row.rate() / suite.rate() - 1) <= TOLERANCE) {
            return "agrees";
        }
        Row slower = row.rate() < suite.rate() ? row : suite;
        Row faster = slower == row ? suite : row;
        if (slower.toolCpu() >= CPU_BOUND) {
            return String.format(Locale.ROOT, "%+.0f%%, explained: %s used %.0f%% of its CPU (the server %.0f%% of its own), and the same server"
                            + " answered %s %.0f%% faster, so %s, not the server, set its number",
                    100 * (row.rate() / suite.rate() - 1), slower.tool(), 100 * slower.toolCpu(), 100 * slower.serverCpu(),
                    faster.tool(), 100 * (faster.rate() / slower.rate() - 1), slower.tool());
        }
        return String.format(Locale.ROOT, "%+.0f%%, unexplained: neither side was CPU-bound by these figures; rerun on a quiet machine,"
                + " and read the servers' logs", 100 * (row.rate() / suite.rate() - 1));
    }

    /** True when every row agrees or its disagreement is explained by a CPU-bound tool. */
    static boolean explained(List<Row> rows) {
        return rows.stream().allMatch(row -> !row.verdict().contains("unexplained"));
    }

    private static String note(ServerKind server, RunEnvironment.Placement placement, int seconds, boolean h2load) {
        return String.format(Locale.ROOT, "`%s` server, `GET /plaintext`, closed loop, one generator thread, %d s each after a %d s"
                        + " warm-up, a fresh server child for each tool; server on CPUs %s, tools on CPUs %s (%s). Measured %s.%s",
                server.key(), seconds, WARMUP_SECONDS, placement.serverCpus(), placement.generatorCpus(), placement.mode(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS), h2load ? "" : " h2load is not installed (apt-get install nghttp2-client).");
    }

    static String table(Agreement agreement) {
        StringBuilder out = new StringBuilder(agreement.note()).append("\n\n");
        out.append("| connections | tool | req/s | / suite | tool CPU | server CPU | verdict |\n|---|---|---|---|---|---|---|\n");
        for (Row row : agreement.rows()) {
            out.append(String.format(Locale.ROOT, "| %,d | %s | %,.0f | %.2f | %s | %s | %s |%n", row.connections(), row.tool(), row.rate(),
                    row.rate() / suiteAt(agreement.rows(), row.connections()).rate(), percent(row.toolCpu()), percent(row.serverCpu()),
                    row.verdict()));
        }
        return out.toString();
    }

    private static String percent(double share) {
        return Double.isNaN(share) ? "n/a" : String.format(Locale.ROOT, "%.0f%%", 100 * share);
    }

    private static String url(InetSocketAddress address) {
        return "http://" + address.getAddress().getHostAddress() + ":" + address.getPort() + "/plaintext";
    }

    /** The newest suite run, or a new directory when there is none. */
    private static Path runDir(Path results) throws IOException {
        Path latest = results.resolve("latest");
        if (Files.isDirectory(latest)) {
            return latest.toRealPath();
        }
        return Files.createDirectories(results.resolve("agreement-" + Instant.now().toString().replace(':', '-')));
    }

    private static void requireTool(String tool) {
        if (!ToolOptions.installed(tool)) {
            throw new IllegalArgumentException(tool + " is not installed (apt-get install " + tool + ")");
        }
    }
}

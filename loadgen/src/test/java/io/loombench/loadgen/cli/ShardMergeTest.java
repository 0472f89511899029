package io.loombench.loadgen.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loombench.common.Cli;
import io.loombench.common.CpuSteal;
import io.loombench.common.Environment;
import io.loombench.loadgen.HttpRequestSpec;
import io.loombench.loadgen.LatencyHistograms;
import io.loombench.loadgen.LoadGenerator;
import io.loombench.loadgen.LoadProtocol;
import io.loombench.loadgen.LoadResult;
import io.loombench.loadgen.LoadSpec;
import io.loombench.loadgen.Phase;
import io.loombench.loadgen.Shard;
import io.loombench.loadgen.Start;
import io.loombench.loadgen.engine.LoadRun;
import io.loombench.server.Model;
import io.loombench.server.Server;
import io.loombench.server.ServerConfig;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One spec run as three shards in this process, with one {@code --start-at}, against a real
 * server on loopback, written as JSON, read back and merged: the merged run is the spec's (its
 * connections, its requested count, every answer), its histograms are exactly the union of the
 * shards' (compared with a union built here from the shards' in-memory results, not from the
 * files), and the merge refuses what is not the shards of one run.
 */
class ShardMergeTest {
    private static final int CONNECTIONS = 9;
    private static final double RATE = 900;
    private static final Duration DURATION = Duration.ofSeconds(2);
    private static final Duration WARMUP = Duration.ofMillis(500);

    @TempDir
    static Path directory;

    private static Server server;
    private static Instant startAt;
    private static final List<LoadResult> shards = new ArrayList<>();
    private static final List<Path> files = new ArrayList<>();

    @BeforeAll
    static void runThreeShards() throws Exception {
        server = Server.start(ServerConfig.builder().model(Model.NIO).port(0).build());
        // Far enough ahead for three runs to start and open their connections on a loaded machine;
        // each first records its environment, which runs git and may take up to two seconds.
        startAt = Instant.now().plusSeconds(5).truncatedTo(ChronoUnit.MILLIS);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<LoadResult>> running = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                LoadSpec spec = spec().shard(new Shard(i, 3)).start(new Start.At(startAt)).build();
                running.add(pool.submit((Callable<LoadResult>) () -> LoadGenerator.run(spec)));
            }
            for (int i = 0; i < 3; i++) {
                LoadResult result = running.get(i).get();
                shards.add(result);
                files.add(write(result, "shard-" + i + ".json"));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static LoadSpec.Builder spec() {
        return LoadSpec.builder(LoadProtocol.HTTP, server.address())
                .http(new HttpRequestSpec("GET", "/plaintext", "127.0.0.1:" + server.address().getPort(), List.of(), new byte[0]))
                .connections(CONNECTIONS).threads(1).rate(RATE).duration(DURATION).warmup(WARMUP).timeout(Duration.ofSeconds(5));
    }

    private static Path write(LoadResult result, String name) throws IOException {
        Path path = directory.resolve(name);
        try (OutputStream out = Files.newOutputStream(path)) {
            JsonReport.write(result, "test", result.failed() ? Cli.FAILED : Cli.OK, Optional.empty(), out);
        }
        return path;
    }

    @Test
    void eachShardTakesItsShareAndMeasuresFromTheSameInstant() {
        for (int i = 0; i < 3; i++) {
            LoadResult shard = shards.get(i);
            assertThat(shard.spec().localConnections()).isEqualTo(3);
            assertThat(shard.spec().localRate()).isEqualTo(300.0);
            assertThat(shard.peakConnections()).isEqualTo(3);
            assertThat(shard.measuredStart()).as("shard %d's measured start", i).isEqualTo(startAt.plus(WARMUP));
            assertThat(shard.requested()).isEqualTo(600);
            assertThat(shard.totalErrors()).isZero();
            assertThat(shard.startedLate()).isFalse();
        }
    }

    @Test
    void theMergeIsTheWholeSpecAndExactlyTheUnionOfTheShards() throws IOException {
        LoadResult merged = merge(files);

        assertThat(merged.spec().connections()).isEqualTo(CONNECTIONS);
        assertThat(merged.spec().localRate()).isEqualTo(RATE);
        assertThat(merged.requested()).isEqualTo(Math.round(RATE * DURATION.toMillis() / 1000.0));
        assertThat(merged.completed()).isEqualTo(shards.stream().mapToLong(LoadResult::completed).sum()).isEqualTo(merged.requested());
        assertThat(merged.sent()).isEqualTo(shards.stream().mapToLong(LoadResult::sent).sum());
        assertThat(merged.totalErrors()).isZero();
        assertThat(merged.measuredStart()).isEqualTo(startAt.plus(WARMUP));
        assertThat(merged.peakConnections()).isEqualTo(CONNECTIONS);
        assertThat(merged.cpuSteal()).as("the worst shard's steal, each read back from its file")
                .isEqualTo(shards.stream().flatMap(shard -> shard.cpuSteal().stream()).max(Comparator.comparingDouble(CpuSteal.Share::share)));
        assertThat(files.stream().map(file -> RunFile.read(file).result().cpuSteal()))
                .containsExactlyElementsOf(shards.stream().map(LoadResult::cpuSteal).toList());

        Histogram union = LatencyHistograms.newHistogram();
        shards.forEach(shard -> union.add(shard.response()));
        assertThat(merged.response()).isEqualTo(union);
        for (double percentile : new double[] {50, 90, 99, 99.9, 100}) {
            assertThat(merged.response().getValueAtPercentile(percentile)).isEqualTo(union.getValueAtPercentile(percentile));
        }

        Histogram intervals = LatencyHistograms.newHistogram();
        merged.intervals().stream().filter(i -> i.phase() == Phase.MEASURING || i.phase() == Phase.DRAINING)
                .forEach(i -> intervals.add(i.histograms().decodedResponse()));
        assertThat(intervals).as("the merged intervals add up to the merged total").isEqualTo(union);
        assertThat(merged.intervals().stream().filter(i -> i.phase() == Phase.MEASURING).mapToLong(LoadResult.IntervalSummary::peakConnections))
                .as("each measured second holds every shard's connections").allMatch(peak -> peak == CONNECTIONS);
    }

    @Test
    void aMergedFileMergesAgainAsItsShards() throws IOException {
        Path firstTwo = directory.resolve("first-two.json");
        Run command = loadgen("merge", "--allow-missing", files.get(0).toString(), files.get(1).toString(), "--json",
                firstTwo.toString());
        assertThat(command.exitCode()).isZero();
        assertThat(command.out()).contains("merged 2 of 3 shards").contains("WARNING: shard 2 of 3 missing");

        LoadResult again = merge(List.of(firstTwo, files.get(2)));
        assertThat(again.response()).isEqualTo(merge(files).response());
        assertThat(again.completed()).isEqualTo(merge(files).completed());
    }

    @Test
    void theCommandPrintsTheShardsAndTheWholeRunAndWritesEveryOutput() throws IOException {
        Path json = directory.resolve("merged.json");
        Path hlog = directory.resolve("merged.hlog");
        Path hgrm = directory.resolve("merged.hgrm");
        Run command = loadgen("merge", files.get(0).toString(), files.get(1).toString(), files.get(2).toString(),
                "--json", json.toString(), "--hlog", hlog.toString(), "--hgrm", hgrm.toString());

        assertThat(command.exitCode()).as(command.err()).isZero();
        assertThat(command.out()).contains("merged 3 of 3 shards of spec ").contains("open model at 900.0 req/s")
                .contains("9 connections").contains("1,800 measured and answered");
        if (Files.isReadable(Path.of("/proc/stat"))) {
            assertThat(command.out()).containsPattern("cpu steal +\\d+\\.\\d% of the generator's CPUs? [-,0-9]+ in the measured period");
        }
        ObjectNode tree = (ObjectNode) new ObjectMapper().readTree(json.toFile());
        assertThat(tree.get("shards").get("present")).hasSize(3);
        assertThat(tree.get("completed").asLong()).isEqualTo(1800);
        assertThat(tree.get("mergedFrom")).hasSize(3);
        assertThat(tree.get("specHash").asText()).isEqualTo(RunFile.read(files.get(0)).specHash());
        assertThat(Files.readString(hlog)).contains("#shards 0,1,2 of 3 of spec ").contains("HISTFAA");
        assertThat(Files.readString(hgrm)).contains("Value     Percentile");
    }

    @Test
    void theMergeRefusesWhatIsNotTheShardsOfOneRunOneLineEach() throws IOException {
        Path copyOfShard1 = Files.copy(files.get(1), directory.resolve("copy-of-shard-1.json"));
        ObjectNode other = (ObjectNode) new ObjectMapper().readTree(files.get(2).toFile());
        other.put("specHash", "0123456789abcdef");
        Path otherSpec = directory.resolve("other-spec.json");
        new ObjectMapper().writeValue(otherSpec.toFile(), other);
        Path notJson = Files.writeString(directory.resolve("not.json"), "hello");

        assertRefused(loadgen("merge", files.get(0).toString(), files.get(0).toString(), files.get(1).toString(), files.get(2).toString()),
                "is given twice");
        assertRefused(loadgen("merge", files.get(0).toString(), files.get(1).toString(), copyOfShard1.toString(), files.get(2).toString()),
                "shard 1/3 is in both");
        assertRefused(loadgen("merge", files.get(0).toString(), files.get(1).toString(), otherSpec.toString()),
                "not shards of one run");
        assertRefused(loadgen("merge", files.get(0).toString(), files.get(2).toString()), "shard 1 of 3 missing (--allow-missing");
        assertRefused(loadgen("merge", files.get(0).toString(), notJson.toString()), "is not a loadgen --json output");
        Run two = loadgen("merge", files.get(0).toString(), files.get(0).toString(), otherSpec.toString());
        assertRefused(two, "is given twice");
        assertThat(two.err().lines()).as("one line per problem").hasSize(2).allMatch(line -> line.startsWith("loadgen merge: "));
        assertThat(two.err()).contains("not shards of one run");
        assertRefused(loadgen("merge", directory.resolve("absent.json").toString()), "cannot read");

        Path merged = directory.resolve("refusal-merged.json");
        assertThat(loadgen("merge", files.get(0).toString(), files.get(1).toString(), files.get(2).toString(), "--json",
                merged.toString()).exitCode()).isZero();
        assertRefused(loadgen("merge", merged.toString(), files.get(1).toString()), "overlap: both hold shard 1/3");
    }

    /**
     * A shard stopped one second into its measured period, as a signal stops it, merges as the
     * part it ran: its requested count, read back from its file, is what came due until it
     * stopped, not its share of the whole period, and the merge says it was interrupted.
     */
    @Test
    void anInterruptedShardMergesAsThePartItRan() throws Exception {
        LoadRun run = LoadRun.start(spec().shard(new Shard(0, 3)).duration(Duration.ofSeconds(30)).build());
        LoadResult stopped = run.await(interval -> {
            if (interval.phase() == Phase.MEASURING) {
                run.stop();
            }
        });
        assertThat(stopped.stoppedEarly()).isTrue();
        double rate = stopped.spec().localRate();
        double measuredSeconds = stopped.measuredSeconds();
        assertThat(measuredSeconds).isPositive().isLessThan(30);
        assertThat(stopped.requested()).as("%.0f req/s over the %.3f s measured, within a request per connection", rate, measuredSeconds)
                .isBetween((long) Math.floor(rate * measuredSeconds) - 3, (long) Math.ceil(rate * measuredSeconds) + 3)
                .as("fewer than its share of the whole 30 s").isLessThan(Math.round(rate * 30));
        assertThat(stopped.completed()).isPositive().isLessThanOrEqualTo(stopped.requested() + 3);

        Path file = directory.resolve("interrupted-shard-0.json");
        try (OutputStream out = Files.newOutputStream(file)) {
            JsonReport.write(stopped, "test", 143, Optional.of("SIGTERM"), out);
        }
        Path mergedFile = directory.resolve("interrupted-merged.json");
        Run command = loadgen("merge", "--allow-missing", file.toString(), "--json", mergedFile.toString());

        assertThat(command.exitCode()).as(command.err()).isZero();
        assertThat(command.out()).contains("was interrupted")
                .contains(String.format(Locale.ROOT, ", %,d requested, ", stopped.requested()));
        ObjectNode merged = (ObjectNode) new ObjectMapper().readTree(mergedFile.toFile());
        assertThat(merged.get("requested").asLong()).isEqualTo(stopped.requested());
        assertThat(merged.get("completed").asLong()).isEqualTo(stopped.completed());
        assertThat(merged.get("stoppedEarly").asBoolean()).isTrue();
    }

    @Test
    void aShardThatOpensAfterItsStartIsMarkedLate() throws InterruptedException {
        // A start a second ago: its measured period is still to come, but every connection opens
        // after it. The period is long enough to be still running once the spec is built and the
        // environment recorded on a loaded machine, or the run would be refused as passed.
        LoadResult late = LoadGenerator.run(spec().connections(1).rate(50).duration(Duration.ofSeconds(4)).warmup(Duration.ZERO)
                .start(new Start.At(Instant.now().minusSeconds(1))).build());
        assertThat(late.startedLate()).isTrue();
        assertThat(late.lateSeconds()).isGreaterThanOrEqualTo(1.0);
        assertThat(late.warnings()).anyMatch(w -> w.startsWith("late start: the last connection opened"));

        assertThatThrownBy(() -> LoadGenerator.run(spec().start(new Start.At(Instant.now().minusSeconds(60))).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has passed");
    }

    @Test
    void badShardAndStartOptionsGetOneLineAndExitTwo() {
        String url = "http://127.0.0.1:" + server.address().getPort() + "/plaintext";
        assertRefused(loadgen("http", url, "--shard", "3/3"), "a shard is I/N with N at least 1 and I from 0 to N-1, was 3/3");
        assertRefused(loadgen("http", url, "--shard", "1of3"), "a shard is I/N (such as 0/3, the first of three)");
        assertRefused(loadgen("http", url, "-c", "2", "--shard", "2/3"), "would have none: split it into at most 2 shards");
        assertRefused(loadgen("http", url, "--start-at", "tomorrow"), "'tomorrow' is not a UTC instant such as 2026-12-01T18:30:00Z");
        assertRefused(loadgen("http", url, "-d", "1s", "--start-at", Instant.now().minusSeconds(60).toString()), "has passed");
        assertRefused(loadgen("http", url, "--shard", "0/2", "--find-capacity", "p99<=10ms"), "cannot run with --shard or --start-at");
    }

    private static void assertRefused(Run run, String message) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(Cli.USAGE);
        assertThat(run.err()).contains(message);
        assertThat(run.out()).isEmpty();
    }

    private static LoadResult merge(List<Path> paths) {
        List<RunFile> runs = paths.stream().map(RunFile::read).toList();
        assertThat(ShardMerge.check(runs, false)).isEmpty();
        return ShardMerge.merge(runs, Environment.capture());
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run loadgen(String... args) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int code = Cli.run(new LoadgenMain(), new PrintWriter(err, true), args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(stdout);
        }
    }
}

package io.loombench.loadgen.cli;

import io.loombench.common.Environment;
import io.loombench.loadgen.LatencyHistograms;
import io.loombench.loadgen.LoadResult;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * One spec run the way a distributed run is: the server on one host, three generator shards on
 * three others, each its own JVM with its own address, all given one {@code --start-at}; then
 * {@code loadgen merge}. The hosts are network namespaces when this runs as root, else processes
 * on loopback with distinct {@code --bind} addresses ({@link TestHosts}; the test prints which).
 *
 * <p>Checked: the merged run is the spec's (30 connections, 3 × 600 = 1,800 requests asked for in
 * the 3 s measured at 600 req/s, every one answered), every shard measured from the same instant,
 * and the merged response-time histogram equals the union of the shards' raw interval histograms,
 * read here from their {@code --hlog} files, not from the JSON the merge read.
 *
 * <p>The load is 600 requests a second to the server's own address, for 4 s, and every process
 * ends by itself within bounded waits.
 */
class DistributedRunTest {
    private static final int SHARDS = 3;
    private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path directory;

    @Test
    void threeShardsOnThreeHostsMergeIntoTheSpecsRun() throws Exception {
        try (TestHosts hosts = TestHosts.create(SHARDS)) {
            System.out.println("DistributedRunTest: " + hosts.description());
            Process server = start(hosts.onServer(java("io.loombench.server.ServerMain", "--model", "nio", "--host", hosts.serverAddress(),
                    "--port", "0")), directory.resolve("server.log"));
            try {
                String url = "http://" + hosts.serverAddress() + ":" + awaitPort(server, directory.resolve("server.log")) + "/plaintext";
                // Far enough ahead for three JVMs to start on a loaded two-core machine.
                Instant startAt = Instant.now().plusSeconds(10).truncatedTo(ChronoUnit.SECONDS);
                List<Process> shards = new ArrayList<>();
                for (int i = 0; i < SHARDS; i++) {
                    List<String> args = new ArrayList<>(List.of("http", url, "--allow-non-loopback", "--shard", i + "/" + SHARDS,
                            "--start-at", startAt.toString(), "-c", "30", "-R", "600", "-d", "3s", "--warmup", "1s", "-t", "1", "-q",
                            "--json", shardFile(i, "json").toString(), "--hlog", shardFile(i, "hlog").toString()));
                    args.addAll(hosts.bindOptions(i));
                    shards.add(start(hosts.onGenerator(i, java("io.loombench.loadgen.cli.LoadgenMain", args.toArray(String[]::new))),
                            directory.resolve("shard-" + i + ".out")));
                }
                for (int i = 0; i < SHARDS; i++) {
                    assertThat(awaitExit(shards.get(i))).as(Files.readString(directory.resolve("shard-" + i + ".out"))).isZero();
                }

                List<RunFile> runs = new ArrayList<>();
                for (int i = 0; i < SHARDS; i++) {
                    runs.add(RunFile.read(shardFile(i, "json")));
                }
                assertThat(ShardMerge.check(runs, false)).isEmpty();
                LoadResult merged = ShardMerge.merge(runs, Environment.capture());
                System.out.print(Summary.format(merged, "DistributedRunTest merged", java.util.Optional.empty()));

                assertThat(merged.spec().connections()).isEqualTo(30);
                assertThat(merged.peakConnections()).isEqualTo(30);
                assertThat(merged.requested()).isEqualTo(1800);
                assertThat(merged.completed()).isEqualTo(1800);
                assertThat(merged.totalErrors()).isZero();
                for (RunFile run : runs) {
                    assertThat(run.result().measuredStart()).isEqualTo(startAt.plusSeconds(1));
                    assertThat(run.result().requested()).isEqualTo(600);
                }
                Histogram union = LatencyHistograms.newHistogram();
                for (int i = 0; i < SHARDS; i++) {
                    union.add(responseTimes(shardFile(i, "hlog")));
                }
                assertThat(union.getTotalCount()).isEqualTo(1800);
                assertThat(merged.response()).isEqualTo(union);
            } finally {
                server.destroy();
                if (!server.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            }
        }
    }

    private Path shardFile(int shard, String extension) {
        return directory.resolve("shard-" + shard + "." + extension);
    }

    /** Every untagged (response-time) interval of an interval log, added. */
    private static Histogram responseTimes(Path hlog) throws FileNotFoundException {
        Histogram total = LatencyHistograms.newHistogram();
        HistogramLogReader reader = new HistogramLogReader(hlog.toFile());
        for (EncodableHistogram interval = reader.nextIntervalHistogram(); interval != null; interval = reader.nextIntervalHistogram()) {
            if (interval.getTag() == null) {
                total.add((Histogram) interval);
            }
        }
        return total;
    }

    private static List<String> java(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return command;
    }

    private static Process start(List<String> command, Path output) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    private static String awaitPort(Process server, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + PROCESS_TIMEOUT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            for (String line : Files.readAllLines(log)) {
                if (line.startsWith("listening on tcp://")) {
                    String address = line.substring("listening on tcp://".length()).split(" ")[0];
                    return address.substring(address.lastIndexOf(':') + 1);
                }
            }
            if (!server.isAlive()) {
                fail("the server exited: " + Files.readString(log));
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return fail("no ready line from the server in " + PROCESS_TIMEOUT.toSeconds() + " s: " + Files.readString(log));
    }

    private static int awaitExit(Process process) throws InterruptedException {
        if (!process.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("a shard did not end in " + PROCESS_TIMEOUT.toSeconds() + " s");
        }
        return process.exitValue();
    }
}

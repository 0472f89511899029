package io.loombench.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loombench.common.Cli;
import io.loombench.common.Protocol;
import io.loombench.common.Transport;
import io.loombench.loadgen.cli.LoadgenMain;
import io.loombench.server.Model;
import io.loombench.server.Server;
import io.loombench.server.ServerConfig;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code loadgen} command line: its outputs, its exit codes, its errors. */
@Timeout(60)
class CliTest {
    @TempDir
    Path dir;

    private record Run(int exitCode, String errors) {
    }

    private static Run loadgen(String... args) {
        StringWriter err = new StringWriter();
        int code = Cli.run(new LoadgenMain(), new PrintWriter(err, true), args);
        return new Run(code, err.toString());
    }

    @Test
    void outputFilesParseBack() throws Exception {
        try (Server server = Server.start(ServerConfig.builder().model(Model.NIO).port(0).build())) {
            String url = "http://127.0.0.1:" + server.address().getPort() + "/plaintext";
            Path json = dir.resolve("out/run.json");
            Path hlog = dir.resolve("run.hlog");
            Path hgrm = dir.resolve("run.hgrm");

            Run run = loadgen("http", url, "-c", "4", "-t", "2", "-R", "1000", "-d", "2s",
                    "--json", json.toString(), "--hlog", hlog.toString(), "--hgrm", hgrm.toString());

            assertThat(run.exitCode()).as(run.errors()).isZero();
            JsonNode report = new ObjectMapper().readTree(json.toFile());
            assertThat(report.path("format").asText()).isEqualTo("loombench-loadgen/2");
            assertThat(report.path("spec").path("rate").asDouble()).isEqualTo(1000);
            assertThat(report.path("environment").path("processors").asInt()).isPositive();
            long completed = report.path("completed").asLong();
            assertThat(completed).isBetween(1990L, 2010L);
            JsonNode response = report.path("latency").path("response");
            assertThat(response.path("count").asLong()).isEqualTo(completed);
            assertThat(response.path("percentiles").path("99").asLong()).isPositive();
            Histogram decoded = Histogram.decodeFromCompressedByteBuffer(
                    ByteBuffer.wrap(Base64.getDecoder().decode(response.path("histogram").asText())), 0);
            assertThat(decoded.getTotalCount()).isEqualTo(completed);

            long logged = 0;
            Set<String> tags = new HashSet<>();
            List<Long> lengthsMillis = new ArrayList<>();
            HistogramLogReader reader = new HistogramLogReader(hlog.toFile());
            for (Histogram interval; (interval = (Histogram) reader.nextIntervalHistogram()) != null; ) {
                tags.add(String.valueOf(interval.getTag()));
                if (interval.getTag() == null) {
                    logged += interval.getTotalCount();
                    lengthsMillis.add(interval.getEndTimeStamp() - interval.getStartTimeStamp());
                }
            }
            assertThat(logged).as("interval log holds every measured response").isEqualTo(completed);
            // Two seconds measured, then whatever is left when the run ends (an interval of its own,
            // or the end of the second one): no sliver at the measured period's start.
            assertThat(lengthsMillis).hasSizeBetween(2, 3);
            assertThat(lengthsMillis.subList(0, lengthsMillis.size() - 1)).allMatch(millis -> millis >= 500);
            assertThat(tags).contains("null", "service", "send-lag");

            String distribution = Files.readString(hgrm);
            assertThat(distribution).contains("Value     Percentile TotalCount 1/(1-Percentile)", "#[Mean");
            assertThat(dir.resolve("out")).isDirectoryNotContaining("glob:**.tmp");
        }
    }

    @Test
    void tcpAndUdpEchoAgainstTheServer() throws Exception {
        try (Server tcp = Server.start(ServerConfig.builder().protocol(Protocol.ECHO).port(0).build());
             Server udp = Server.start(ServerConfig.builder().transport(Transport.UDP).protocol(Protocol.ECHO).port(0).build())) {
            assertThat(loadgen("tcp", "127.0.0.1:" + tcp.address().getPort(), "-c", "50", "-R", "2000", "-d", "1s",
                    "--payload", "1k", "--pipeline", "2").exitCode()).isZero();
            assertThat(loadgen("udp", "127.0.0.1:" + udp.address().getPort(), "-c", "10", "-R", "1000", "-d", "1s").exitCode()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http not-a-url",
            "http ftp://127.0.0.1:80/",
            "smtp 127.0.0.1:25",
            "tcp 127.0.0.1",
            "tcp 127.0.0.1:99999",
            "tcp 127.0.0.1:9000 -R -5",
            "tcp 127.0.0.1:9000 -R 1e10",
            "tcp 127.0.0.1:9000 --bind 192.0.2.1",
            "tcp 127.0.0.1:9000 --json out.file --hgrm ./out.file",
            "http http://127.0.0.1:99999/",
            "tcp 127.0.0.1:9000 -d soon",
            "tcp 127.0.0.1:9000 -c 0",
            "udp 127.0.0.1:9000 --payload 4",
            "tcp 127.0.0.1:9000 --closed -R 100",
            "tcp no-such-host.invalid:9000",
            "tcp 192.0.2.1:9000",
    })
    void badInputIsOneLineAndExitCode2(String args) {
        Run run = loadgen(args.split(" "));

        assertThat(run.exitCode()).isEqualTo(Cli.USAGE);
        assertThat(run.errors().strip()).startsWith("loadgen").doesNotContain("\n").doesNotContain("Exception");
    }

    /** The open-file limit is checked before anything runs, with the number of connections that would fit. */
    @Test
    void moreConnectionsThanTheProcessCanOpenIsOneLineAndExitCode2() {
        Run run = loadgen("tcp", "127.0.0.1:9", "-c", "2000000000");

        assertThat(run.exitCode()).isEqualTo(Cli.USAGE);
        assertThat(run.errors().strip())
                .startsWith("loadgen tcp: 2,000,000,000 connections need a file descriptor each, but this process can open at most ")
                .contains("(ulimit -n)").doesNotContain("\n").as("not a usage error: --help cannot help").doesNotContain("--help");
    }

    @Test
    void anOutputThatCannotBeWrittenStopsTheRunBeforeItStarts() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        try (Server server = Server.start(ServerConfig.builder().port(0).build())) {
            String url = "http://127.0.0.1:" + server.address().getPort() + "/plaintext";
            Run run = loadgen("http", url, "-d", "30s", "--json", notADirectory.resolve("run.json").toString());

            assertThat(run.exitCode()).isEqualTo(Cli.USAGE);
            assertThat(run.errors().strip()).startsWith("loadgen http: cannot write --json").doesNotContain("\n");
            assertThat(server.stats().requests()).as("no run first").isZero();
        }
    }

    @Test
    void unreachableTargetIsExitCode2() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }

        Run run = loadgen("http", "http://127.0.0.1:" + port + "/", "-d", "1s");

        assertThat(run.exitCode()).isEqualTo(Cli.USAGE);
        assertThat(run.errors()).contains("cannot reach").doesNotContain("\n\n")
                .as("a runtime failure, which --help cannot help with").doesNotContain("--help");
    }

    /**
     * SIGINT in the middle of a run: the summary and the JSON say the run was interrupted, the
     * files are written whole, and the process exits 130 like anything Ctrl-C ends. Its requested
     * count is what came due in the part that ran, not the whole planned run's.
     */
    @Test
    void anInterruptedRunSaysSoAndExits130() throws Exception {
        try (Server server = Server.start(ServerConfig.builder().port(0).build())) {
            Path json = dir.resolve("interrupted.json");
            Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                    "-cp", System.getProperty("java.class.path"), LoadgenMain.class.getName(),
                    "http", "http://127.0.0.1:" + server.address().getPort() + "/plaintext", "-c", "2", "-R", "200",
                    "-d", "30s", "--warmup", "0", "--json", json.toString()).redirectErrorStream(true).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (server.stats().requests() < 100 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(server.stats().requests()).as("the run got going").isGreaterThanOrEqualTo(100);
            assertThat(new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor()).isZero();
            String output = new String(child.getInputStream().readAllBytes());
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

            assertThat(child.exitValue()).as(output).isEqualTo(130);
            assertThat(output).contains("INTERRUPTED by SIGINT after ").contains("WARNING: the run was stopped ");
            JsonNode report = new ObjectMapper().readTree(json.toFile());
            assertThat(report.get("interrupted").asBoolean()).isTrue();
            assertThat(report.get("signal").asText()).isEqualTo("SIGINT");
            assertThat(report.get("exitCode").asInt()).isEqualTo(130);
            assertThat(report.get("stoppedEarly").asBoolean()).isTrue();
            assertThat(report.get("completed").asLong()).isPositive();
            double measuredSeconds = report.get("measuredSeconds").asDouble();
            assertThat(measuredSeconds).isPositive().isLessThan(30);
            long requested = report.get("requested").asLong();
            assertThat(requested).as("200 req/s over the %.3f s measured, within a request per connection", measuredSeconds)
                    .isBetween((long) Math.floor(200 * measuredSeconds) - 2, (long) Math.ceil(200 * measuredSeconds) + 2)
                    .as("fewer than the 6,000 of the whole 30 s").isLessThan(6000);
            assertThat(report.get("completed").asLong()).as("no more measured answers than requests due").isLessThanOrEqualTo(requested + 2);
            assertThat(output).contains(String.format(Locale.ROOT, ", %,d requested, %,d due but never sent", requested,
                    report.get("unsent").asLong()));
        }
    }

    /** With --pipeline the closed model keeps several requests in flight, and the footer says so. */
    @Test
    void closedModelWithAPipelineSaysWhatItDid() throws Exception {
        try (Server server = Server.start(ServerConfig.builder().port(0).build())) {
            String url = "http://127.0.0.1:" + server.address().getPort() + "/plaintext";
            String out = stdout(() -> loadgen("http", url, "-c", "2", "--pipeline", "4", "-d", "300ms", "--warmup", "0"));

            assertThat(out).contains("closed model: each connection keeps up to 4 requests in flight")
                    .doesNotContain("a request is sent when the previous answer arrives");
        }
    }

    /** Failures, not the generator, are blamed for a lag they caused: HTTP against an echo server fails every answer. */
    @Test
    void warningsBlameTheTargetsFailuresNotTheGenerator() throws Exception {
        try (Server echo = Server.start(ServerConfig.builder().protocol(Protocol.ECHO).port(0).build())) {
            String url = "http://127.0.0.1:" + echo.address().getPort() + "/plaintext";
            String out = stdout(() -> assertThat(loadgen("http", url, "-c", "2", "-R", "400", "-d", "1s", "--warmup", "0").exitCode())
                    .isEqualTo(Cli.FAILED));

            assertThat(out).contains("WARNING: ").contains("failed (protocol")
                    .doesNotContain("the generator fell behind its schedule");
        }
    }

    /** Runs {@code body} with System.out captured, and returns what it printed. */
    private static String stdout(Runnable body) {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true));
        try {
            body.run();
        } finally {
            System.setOut(saved);
        }
        return captured.toString();
    }
}

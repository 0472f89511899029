package io.loombench.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loombench.common.Cli;
import io.loombench.loadgen.cli.LoadgenMain;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generator under faults, from the command line: whatever the target does wrong, the run
 * ends on time, counts what went wrong by kind, writes every output file whole, and exits 1 with
 * a one-line reason on stderr.
 */
@Timeout(60)
class FaultTest {
    private static final int DURATION_SECONDS = 1;

    @TempDir
    Path dir;

    /** A misbehaving target, listening on {@link #port()}, and the error kind its fault must show as. */
    private interface Target extends AutoCloseable {
        int port();

        @Override
        void close() throws IOException;
    }

    enum Fault {
        /** Accepts the reachability check, then closes its listening socket: every connect is refused. */
        REFUSES(LoadError.CONNECT),
        /** Resets every connection once it has read a byte of the request. */
        RESETS(LoadError.RESET),
        /** Accepts and reads, and never answers. */
        STALLS(LoadError.TIMEOUT),
        /** Never accepts: its listen queue of one is full after the check, and every SYN is dropped. */
        STOPS_ACCEPTING(LoadError.CONNECT_TIMEOUT),
        /** Answers every request with bytes that are not HTTP. */
        ANSWERS_GARBAGE(LoadError.PROTOCOL),
        /** Answers 300 requests, then dies like a killed process: connections reset, connects refused. */
        DIES_MID_RUN(LoadError.RESET);

        final LoadError shows;

        Fault(LoadError shows) {
            this.shows = shows;
        }

        Target start() throws IOException {
            return switch (this) {
                case REFUSES -> refusingAfterOneAccept();
                case RESETS -> fake(new FakeServers.Tcp(FakeServers.resetting()));
                case STALLS -> fake(new FakeServers.Tcp(FakeServers.silent()));
                case STOPS_ACCEPTING -> listening(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
                case ANSWERS_GARBAGE -> fake(new FakeServers.Tcp(FakeServers.http("this is not HTTP\r\n\r\n")));
                case DIES_MID_RUN -> dying(300);
            };
        }
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void aFaultyTargetEndsTheRunOnTimeCountedByKindWithEveryOutputWritten(Fault fault) throws Exception {
        Path json = dir.resolve("run.json");
        Path hlog = dir.resolve("run.hlog");
        Path hgrm = dir.resolve("run.hgrm");
        try (Target target = fault.start()) {
            long started = System.nanoTime();
            StringWriter err = new StringWriter();
            int exitCode = Cli.run(new LoadgenMain(), new PrintWriter(err, true), "http", "http://127.0.0.1:" + target.port() + "/",
                    "-c", "4", "-t", "1", "-d", DURATION_SECONDS + "s", "--warmup", "0", "--timeout", "300ms",
                    "--connect-timeout", "300ms", "--json", json.toString(), "--hlog", hlog.toString(), "--hgrm", hgrm.toString());
            double seconds = (System.nanoTime() - started) / 1e9;

            assertThat(exitCode).as(err.toString()).isEqualTo(Cli.FAILED);
            assertThat(err.toString().strip()).as("one line on stderr").doesNotContain("\n")
                    .startsWith("loadgen http: FAILED: ").contains(fault.shows.name().toLowerCase(Locale.ROOT));
            // Opening (at most twice the connect timeout with no connection opening), the measured
            // second, a drain of at most two timeouts, and the JVM's own pace on a loaded machine.
            assertThat(seconds).as("ended on time").isLessThan(15);
            JsonNode report = new ObjectMapper().readTree(json.toFile());
            assertThat(report.path("exitCode").asInt()).isEqualTo(Cli.FAILED);
            assertThat(report.path("errors").path(fault.shows.name().toLowerCase(Locale.ROOT)).asLong()).as(report.path("errors").toString())
                    .isPositive();
            assertThat(report.path("measuredSeconds").asDouble()).isBetween(DURATION_SECONDS * 0.9, DURATION_SECONDS + 1.0);
            assertThat(new HistogramLogReader(hlog.toFile()).nextIntervalHistogram()).as("an interval log").isNotNull();
            assertThat(Files.readString(hgrm)).contains("#[Mean");
            assertThat(dir).isDirectoryNotContaining("glob:**.tmp");
        }
    }

    private static Target fake(FakeServers.Tcp server) {
        return new Target() {
            @Override
            public int port() {
                return server.address().getPort();
            }

            @Override
            public void close() throws IOException {
                server.close();
            }
        };
    }

    private static Target listening(ServerSocket listener) {
        return new Target() {
            @Override
            public int port() {
                return listener.getLocalPort();
            }

            @Override
            public void close() throws IOException {
                listener.close();
            }
        };
    }

    /** Accepts one connection (the command's reachability check), then stops listening. */
    private static Target refusingAfterOneAccept() throws IOException {
        ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(() -> {
            try (listener; Socket probe = listener.accept()) {
                probe.getInputStream().read();
            } catch (IOException ignored) {
                // Closed by the test.
            }
        });
        return listening(listener);
    }

    /** An HTTP server that is killed once it has answered {@code answers} requests. */
    private static Target dying(int answers) throws IOException {
        AtomicReference<FakeServers.Tcp> server = new AtomicReference<>();
        AtomicInteger answered = new AtomicInteger();
        server.set(new FakeServers.Tcp(FakeServers.http("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", () -> {
            if (answered.incrementAndGet() == answers) {
                try {
                    server.get().kill();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        })));
        return fake(server.get());
    }
}

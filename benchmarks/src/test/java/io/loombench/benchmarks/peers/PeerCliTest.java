package io.loombench.benchmarks.peers;

import io.loombench.benchmarks.peers.PeerTestSupport.Client;
import io.loombench.benchmarks.peers.PeerTestSupport.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.loombench.benchmarks.peers.PeerTestSupport.IO_TIMEOUT;
import static io.loombench.benchmarks.peers.PeerTestSupport.ascii;
import static io.loombench.benchmarks.peers.PeerTestSupport.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The peers' {@code main}, as the benchmark suite runs it: in a child JVM started with this JVM's
 * binary and class path. The ready line on stdout carries the bound port, the server answers on it,
 * SIGTERM ends in the {@code stopped:} line, and stdout carries nothing else; bad options exit 2
 * with one line on stderr.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PeerCliTest {
    private static final Pattern READY = Pattern.compile("listening on tcp://127\\.0\\.0\\.1:(\\d+) model=(netty|helidon) protocol=(http|echo).*");
    /** A child JVM may take a while to start on a loaded 2-core machine. */
    private static final long CHILD_TIMEOUT_SECONDS = 60;

    /** A peer in a child JVM; its stdout lines are collected by a reader thread. */
    private static final class Child implements AutoCloseable {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Thread reader;

        Child(Class<?> main, String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(
                    ProcessHandle.current().info().command().orElseThrow(),
                    // What the suite passes too: Netty's JNI transport, without the JDK's restricted-method warning.
                    "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"),
                    main.getName()));
            command.addAll(List.of(args));
            process = new ProcessBuilder(command).start();
            reader = Thread.ofPlatform().daemon().name("child-stdout").start(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // The process is gone; what was read is in the queue.
                }
            });
        }

        String nextLine() throws InterruptedException {
            String line = lines.poll(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertThat(line).as("a line from the child's stdout").isNotNull();
            return line;
        }

        /**
         * SIGTERM through the process handle: {@link Process#destroy()} sends the same signal but
         * also closes our ends of the child's pipes, losing what it prints while it shuts down.
         */
        void sigterm() {
            assertThat(process.toHandle().destroy()).as("SIGTERM sent").isTrue();
        }

        /** Waits for the exit; returns the rest of stdout. */
        List<String> awaitExit() throws InterruptedException {
            assertThat(process.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("child exited").isTrue();
            reader.join(TimeUnit.SECONDS.toMillis(CHILD_TIMEOUT_SECONDS));
            List<String> rest = new ArrayList<>();
            lines.drainTo(rest);
            return rest;
        }

        /** The child's stderr lines, less the JVM's notice of JAVA_TOOL_OPTIONS, which a CI machine may set. */
        List<String> stderr() throws IOException {
            return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.startsWith("Picked up ")).toList();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    private static InetSocketAddress awaitReady(Child child, String model, String protocol) throws InterruptedException {
        return awaitReady(child, model, protocol, Runtime.getRuntime().availableProcessors());
    }

    private static InetSocketAddress awaitReady(Child child, String model, String protocol, int loops) throws InterruptedException {
        String line = child.nextLine();
        Matcher ready = READY.matcher(line);
        assertThat(ready.matches()).as("ready line: %s", line).isTrue();
        assertThat(ready.group(2)).isEqualTo(model);
        assertThat(ready.group(3)).isEqualTo(protocol);
        if (model.equals("netty")) {
            assertThat(line).endsWith(" loops=" + loops);
        } else {
            assertThat(line).isEqualTo("listening on tcp://127.0.0.1:" + ready.group(1) + " model=helidon protocol=http");
        }
        return new InetSocketAddress("127.0.0.1", Integer.parseInt(ready.group(1)));
    }

    /** SIGTERM: the graceful stop prints the count and the JVM exits with 128 + 15, as loombench's server does. */
    private static void stopAndExpect(Child child, long requests) throws Exception {
        child.sigterm();
        assertThat(child.awaitExit()).containsExactly("stopped: requests=" + requests);
        assertThat(child.process.exitValue()).isEqualTo(143);
    }

    @ParameterizedTest
    @ValueSource(classes = {NettyServer.class, HelidonServer.class})
    void httpReadyLineAnswersThenStopsOnSigterm(Class<?> main) throws Exception {
        String model = main == NettyServer.class ? "netty" : "helidon";
        try (Child child = new Child(main, "--port", "0", "--protocol", "http")) {
            InetSocketAddress address = awaitReady(child, model, "http");
            try (Client client = new Client(address)) {
                Response response = client.exchange(get("/plaintext"));
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.text()).isEqualTo("Hello, World!");
                assertThat(client.exchange(get("/nope")).status()).isEqualTo(404);
                assertThat(client.exchange(get("/delay?ms=5")).text()).isEqualTo("5");
            }
            stopAndExpect(child, 3);
            // Helidon's start-up chatter (java.util.logging, INFO) is silenced; nothing of it reaches stdout in any case.
            assertThat(child.stderr()).noneMatch(line -> line.contains("INFO"));
        }
    }

    @Test
    void nettyEchoReadyLineEchoesThenStopsOnSigterm() throws Exception {
        try (Child child = new Child(NettyServer.class, "--port", "0", "--protocol", "echo", "--backlog", "64", "--loops", "1")) {
            InetSocketAddress address = awaitReady(child, "netty", "echo", 1);
            try (Socket socket = new Socket()) {
                socket.connect(address, (int) IO_TIMEOUT.toMillis());
                socket.setSoTimeout((int) IO_TIMEOUT.toMillis());
                OutputStream out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                out.write(ascii("ping"));
                assertThat(in.readNBytes(4)).isEqualTo(ascii("ping"));
            }
            child.sigterm();
            List<String> rest = child.awaitExit();
            assertThat(rest).hasSize(1);
            assertThat(rest.get(0)).matches("stopped: requests=[1-9]\\d*");
            assertThat(child.process.exitValue()).isEqualTo(143);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"--bogus", "--port=x", "--port=70000", "--protocol=gopher", "--backlog=0"})
    void badOptionExits2WithOneLine(String option) throws Exception {
        for (Class<?> main : List.of(NettyServer.class, HelidonServer.class)) {
            try (Child child = new Child(main, option)) {
                assertThat(child.awaitExit()).isEmpty();
                assertThat(child.process.exitValue()).as("%s %s", main.getSimpleName(), option).isEqualTo(2);
                List<String> err = child.stderr();
                assertThat(err).as("%s %s", main.getSimpleName(), option).hasSize(1);
                assertThat(err.get(0)).startsWith(main == NettyServer.class ? "netty-server: " : "helidon-server: ").endsWith("(see --help)");
            }
        }
    }

    @Test
    void helidonRefusesEcho() throws Exception {
        try (Child child = new Child(HelidonServer.class, "--protocol", "echo")) {
            assertThat(child.awaitExit()).isEmpty();
            assertThat(child.process.exitValue()).isEqualTo(2);
            assertThat(child.stderr()).containsExactly("helidon-server: helidon serves --protocol http only (see --help)");
        }
    }

    /** A port in use exits 1; the last stderr line says why (Helidon logs the failure above it). */
    @ParameterizedTest
    @ValueSource(classes = {NettyServer.class, HelidonServer.class})
    void portInUseExits1(Class<?> main) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Child child = new Child(main, "--port", String.valueOf(taken.getLocalPort()))) {
            assertThat(child.awaitExit()).isEmpty();
            assertThat(child.process.exitValue()).isEqualTo(1);
            List<String> err = child.stderr();
            assertThat(err).isNotEmpty();
            assertThat(err.getLast()).startsWith((main == NettyServer.class ? "netty-server" : "helidon-server")
                    + ": cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ").contains("Address already in use");
        }
    }
}

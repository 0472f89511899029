package io.loombench.server;

import io.loombench.common.Cli;
import io.loombench.server.TestSupport.Client;
import io.loombench.server.TestSupport.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.loombench.server.TestSupport.IO_TIMEOUT;
import static io.loombench.server.TestSupport.ascii;
import static io.loombench.server.TestSupport.get;
import static io.loombench.server.TestSupport.serverThreads;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code server} command line. Option parsing and its error policy run in-process (fast);
 * what needs a real process runs in a child JVM started with this JVM's binary and class path:
 * the ready line with the bound port, and SIGTERM ending in a graceful shutdown that prints the
 * {@code stopped:} line.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServerMainTest {

    private static final Pattern READY = Pattern.compile(
            "listening on (tcp|udp)://127\\.0\\.0\\.1:(\\d+) model=(virtual|pool|nio) protocol=(echo|http)( pool-threads=\\d+| loops=\\d+)?");
    /** A child JVM may take a while to start on a loaded 2-core machine. */
    private static final long CHILD_TIMEOUT_SECONDS = 30;

    // ---------------------------------------------------------------- in-process

    private record Run(int code, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    /** Runs the command as {@code main} would, capturing its output; the exit code is returned, not exited with. */
    private static Run runInProcess(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Cli.run(new ServerMain(), args);
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        Run run = runInProcess("--help");
        assertThat(run.code()).isZero();
        assertThat(run.err()).isEmpty();
        String help = run.out();
        List<OptionSpec> options = new CommandLine(new ServerMain()).getCommandSpec().options();
        assertThat(options).hasSizeGreaterThan(10);
        for (OptionSpec option : options) {
            if (option.usageHelp() || option.versionHelp()) {
                continue;
            }
            String entry = helpEntry(help, option.longestName());
            assertThat(entry).as("help of %s", option.longestName())
                    .contains("Default:")
                    .contains(option.defaultValueString());
        }
    }

    /**
     * The text of one option in the option list, wrapped lines joined: from its name at the start
     * of a line to the next option's.
     */
    private static String helpEntry(String help, String name) {
        List<String> lines = help.lines().toList();
        StringBuilder entry = new StringBuilder();
        boolean inside = false;
        for (String line : lines) {
            boolean optionLine = line.matches("\\s{2,}(-\\w, )?--[\\w-]+.*");
            if (optionLine) {
                inside = line.strip().startsWith(name + "=") || line.strip().startsWith(name + " ")
                        || line.strip().contains(", " + name);
            } else if (line.isBlank()) {
                inside = false;
            }
            if (inside) {
                entry.append(' ').append(line.strip());
            }
        }
        assertThat(entry).as("entry for %s in the help", name).isNotEmpty();
        return entry.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "--model foo",
            "--port -1",
            "--port 65536",
            "--idle-timeout xyz",
            "--read-timeout 0s",
            "--transport udp --protocol http",
            "--transport sctp",
            "--pool-threads 0",
            "--loops -2",
            "--buffer-size 1k",
            "--max-body 1x",
            "--think-ms -5",
            "--no-such-option",
            "--port",
            "stray-argument"})
    void badOptionsPrintOneLineAndExitWithUsageError(String args) {
        Run run = runInProcess(args.split(" "));
        assertThat(run.code()).as("exit code for %s", args).isEqualTo(Cli.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).as("stderr for %s", args).hasSize(1);
        assertThat(run.errLines().get(0)).startsWith("server: ").endsWith("(see --help)");
        assertThat(serverThreads()).isEmpty();
    }

    @Test
    void portInUseExitsWithFailure() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run run = runInProcess("--port", String.valueOf(taken.getLocalPort()));
            assertThat(run.code()).isEqualTo(Cli.FAILED);
            assertThat(run.out()).isEmpty();
            assertThat(run.errLines()).hasSize(1);
            assertThat(run.errLines().get(0)).startsWith("server: cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
        assertThat(serverThreads()).isEmpty();
    }

    // ---------------------------------------------------------------- child JVM

    /** A server in a child JVM; its stdout lines are collected by a reader thread. */
    private static final class Child implements AutoCloseable {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final List<String> all = new ArrayList<>();
        private final Thread reader;

        Child(String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(
                    ProcessHandle.current().info().command().orElseThrow(),
                    "-cp", System.getProperty("java.class.path"),
                    ServerMain.class.getName()));
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

        /**
         * Sends SIGTERM. Through the process handle: {@link Process#destroy()} sends the same
         * signal but also closes our ends of the child's stdout and stderr, losing what it prints
         * while it shuts down.
         */
        void sigterm() {
            assertThat(process.toHandle().destroy()).as("SIGTERM sent").isTrue();
        }

        /** The next stdout line, waiting at most {@link #CHILD_TIMEOUT_SECONDS}. */
        String nextLine() throws InterruptedException {
            String line = lines.poll(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertThat(line).as("a line from the child's stdout").isNotNull();
            all.add(line);
            return line;
        }

        /** Waits for the exit, then returns the rest of stdout. */
        List<String> awaitExit() throws InterruptedException {
            assertThat(process.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("child exited").isTrue();
            reader.join(TimeUnit.SECONDS.toMillis(CHILD_TIMEOUT_SECONDS));
            List<String> rest = new ArrayList<>();
            lines.drainTo(rest);
            all.addAll(rest);
            return rest;
        }

        /** The child's stderr, less the JVM's own notice of JAVA_TOOL_OPTIONS, which a CI machine may set. */
        String stderr() throws IOException {
            String text = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            return text.lines().filter(line -> !line.startsWith("Picked up ")).map(line -> line + "\n")
                    .collect(Collectors.joining());
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** Reads the ready line and returns the address it announces. */
    private static InetSocketAddress awaitReady(Child child, String transport, Model model, String protocol) throws InterruptedException {
        String line = child.nextLine();
        Matcher ready = READY.matcher(line);
        assertThat(ready.matches()).as("ready line: %s", line).isTrue();
        assertThat(ready.group(1)).isEqualTo(transport);
        assertThat(ready.group(3)).isEqualTo(model.name().toLowerCase());
        assertThat(ready.group(4)).isEqualTo(protocol);
        int port = Integer.parseInt(ready.group(2));
        assertThat(port).isBetween(1, 65_535);
        return new InetSocketAddress("127.0.0.1", port);
    }

    /**
     * {@code --port 0} announces the real port, the server answers on it, and SIGTERM ends in a
     * graceful shutdown: the idle connection is closed and the counters are printed once.
     * SIGTERM makes the JVM exit with 128 + 15 after its shutdown hooks.
     */
    @ParameterizedTest
    @EnumSource(Model.class)
    void readyLineThenSigtermShutsDownGracefully(Model model) throws Exception {
        try (Child child = new Child("--port", "0", "--model", model.name().toLowerCase(), "--shutdown-grace", "5s")) {
            InetSocketAddress address = awaitReady(child, "tcp", model, "http");
            try (Client first = new Client(address); Client idle = new Client(address)) {
                HttpResponse response = first.exchange(get("/plaintext"));
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.bodyText()).isEqualTo("Hello, World!");
                assertThat(idle.exchange(get("/json")).status()).isEqualTo(200);

                child.sigterm();
                idle.assertClosedByServer();
                first.assertClosedByServer();
            }
            List<String> rest = child.awaitExit();
            assertThat(child.process.exitValue()).isEqualTo(128 + 15);
            assertThat(rest).as("stdout after the ready line").hasSize(1);
            assertThat(rest.get(0)).startsWith("stopped: accepted=2 active=0 rejected=0 requests=2 ")
                    .endsWith("errors=none");
            assertThat(child.stderr()).isEmpty();
        }
    }

    @Test
    void udpReadyLineThenSigterm() throws Exception {
        try (Child child = new Child("--transport", "udp", "--protocol", "echo", "--model", "nio", "--port", "0");
             DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            InetSocketAddress address = awaitReady(child, "udp", Model.NIO, "echo");
            socket.setSoTimeout((int) IO_TIMEOUT.toMillis());
            byte[] payload = ascii("hello over udp");
            socket.send(new DatagramPacket(payload, payload.length, address));
            DatagramPacket echo = new DatagramPacket(new byte[100], 100);
            socket.receive(echo);
            assertThat(new String(echo.getData(), 0, echo.getLength(), StandardCharsets.US_ASCII)).isEqualTo("hello over udp");

            child.sigterm();
            List<String> rest = child.awaitExit();
            assertThat(rest).hasSize(1);
            assertThat(rest.get(0)).startsWith("stopped: accepted=1 active=0 rejected=0 requests=1 ");
            assertThat(child.stderr()).isEmpty();
        }
    }

    /** Options that do nothing in the chosen configuration are named on stderr; the server still starts. */
    @Test
    void optionsThatDoNotApplyAreNoted() throws Exception {
        try (Child child = new Child("--port", "0", "--model", "virtual", "--loops", "3", "--pool-threads", "5",
                "--think-ms", "5", "--max-body", "1k")) {
            awaitReady(child, "tcp", Model.VIRTUAL, "http");
            child.sigterm();
            child.awaitExit();
            assertThat(child.stderr().lines().toList()).containsExactly(
                    "server: note: --loops applies to --model nio only; ignored",
                    "server: note: --pool-threads applies to --model pool only; ignored",
                    "server: note: --think-ms applies to --protocol echo only; ignored");
        }
    }

    /** The real process, not just the in-process runner, exits with 2 and one line on a bad option. */
    @Test
    void badOptionInARealProcessExitsWithTwo() throws Exception {
        try (Child child = new Child("--model", "foo")) {
            assertThat(child.awaitExit()).isEmpty();
            assertThat(child.process.exitValue()).isEqualTo(Cli.USAGE);
            assertThat(child.stderr().lines().toList()).hasSize(1).first().asString().startsWith("server: ");
        }
    }
}

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

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.loombench.server.TestSupport.IO_TIMEOUT;
import static io.loombench.server.TestSupport.ascii;
import static io.loombench.server.TestSupport.get;
import static io.loombench.server.TestSupport.serverThreads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code server} command line. Option parsing and its error policy run in-process (fast);
 * what needs a real process runs in a child JVM started by {@link ServerProcess} with this JVM's
 * binary and class path: the ready line with the bound port, and SIGTERM ending in a graceful
 * shutdown that prints the {@code stopped:} line.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServerMainTest {

    private static final Pattern READY = Pattern.compile(
            "listening on (tcp|udp)://127\\.0\\.0\\.1:(\\d+) model=(virtual|pool|nio) protocol=(echo|http)( pool-threads=\\d+| loops=\\d+)?"
                    + "( max-connections=\\d+ backlog=\\d+( \\(capped by net\\.core\\.somaxconn; asked \\d+\\))?)?");
    /** A child JVM may take a while to start on a loaded 2-core machine. */
    private static final long CHILD_TIMEOUT_SECONDS = 30;
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(CHILD_TIMEOUT_SECONDS);

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
            "--body-timeout 0s",
            "--write-timeout -1s",
            "--max-datagram 65528",
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

    /** A server in a child JVM, started with this JVM's binary and class path. */
    private static ServerProcess child(String... args) throws IOException, InterruptedException {
        return ServerProcess.builder()
                .mainClass(System.getProperty("java.class.path"), ServerMain.class.getName())
                .args(List.of(args))
                .readyTimeout(Duration.ofSeconds(CHILD_TIMEOUT_SECONDS))
                .start();
    }

    /** The child's stderr, less the JVM's own notice of JAVA_TOOL_OPTIONS, which a CI machine may set. */
    private static List<String> stderr(ServerProcess child) {
        return child.stderr().stream().filter(line -> !line.startsWith("Picked up ")).toList();
    }

    /** Checks the ready line and returns the address it announces. */
    private static InetSocketAddress assertReady(ServerProcess child, String transport, Model model, String protocol) {
        Matcher ready = READY.matcher(child.readyLine());
        assertThat(ready.matches()).as("ready line: %s", child.readyLine()).isTrue();
        assertThat(ready.group(1)).isEqualTo(transport);
        assertThat(ready.group(3)).isEqualTo(model.name().toLowerCase());
        assertThat(ready.group(4)).isEqualTo(protocol);
        int port = Integer.parseInt(ready.group(2));
        assertThat(port).isBetween(1, 65_535);
        assertThat(child.address()).isEqualTo(new InetSocketAddress("127.0.0.1", port));
        assertThat(child.preamble()).isEmpty();
        return child.address();
    }

    /**
     * {@code --port 0} announces the real port, the server answers on it, and SIGTERM ends in a
     * graceful shutdown: the idle connection is closed and the counters are printed once.
     * SIGTERM makes the JVM exit with 128 + 15 after its shutdown hooks.
     */
    @ParameterizedTest
    @EnumSource(Model.class)
    void readyLineThenSigtermShutsDownGracefully(Model model) throws Exception {
        try (ServerProcess child = child("--port", "0", "--model", model.name().toLowerCase(), "--shutdown-grace", "5s")) {
            InetSocketAddress address = assertReady(child, "tcp", model, "http");
            try (Client first = new Client(address); Client idle = new Client(address)) {
                HttpResponse response = first.exchange(get("/plaintext"));
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.bodyText()).isEqualTo("Hello, World!");
                assertThat(idle.exchange(get("/json")).status()).isEqualTo(200);

                child.signalStop();
                idle.assertClosedByServer();
                first.assertClosedByServer();
            }
            assertThat(child.awaitExit(CHILD_TIMEOUT)).isEqualTo(128 + 15);
            assertThat(child.output()).as("stdout after the ready line").hasSize(1);
            assertThat(child.output().get(0)).startsWith("stopped: accepted=2 active=0 rejected=0 requests=2 ")
                    .endsWith("errors=none");
            assertThat(child.stoppedLine()).contains(child.output().get(0));
            assertThat(stderr(child)).isEmpty();
        }
    }

    @Test
    void udpReadyLineThenSigterm() throws Exception {
        try (ServerProcess child = child("--transport", "udp", "--protocol", "echo", "--model", "nio", "--port", "0");
             DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            InetSocketAddress address = assertReady(child, "udp", Model.NIO, "echo");
            assertThat(child.transport()).isEqualTo("udp");
            socket.setSoTimeout((int) IO_TIMEOUT.toMillis());
            byte[] payload = ascii("hello over udp");
            socket.send(new DatagramPacket(payload, payload.length, address));
            DatagramPacket echo = new DatagramPacket(new byte[100], 100);
            socket.receive(echo);
            assertThat(new String(echo.getData(), 0, echo.getLength(), StandardCharsets.US_ASCII)).isEqualTo("hello over udp");

            child.stop(CHILD_TIMEOUT);
            assertThat(child.output()).hasSize(1);
            assertThat(child.output().get(0)).startsWith("stopped: datagrams=1 active=0 rejected=0 requests=1 ");
            assertThat(stderr(child)).isEmpty();
        }
    }

    /**
     * Options that do nothing in the chosen configuration are named on stderr, and so is a
     * connection limit the open-file limit cannot hold; the server still starts.
     */
    @Test
    void optionsThatDoNotApplyAreNoted() throws Exception {
        try (ServerProcess child = child("--port", "0", "--model", "virtual", "--loops", "3", "--pool-threads", "5",
                "--think-ms", "5", "--max-body", "1k", "--max-connections", "100000000")) {
            assertReady(child, "tcp", Model.VIRTUAL, "http");
            child.stop(CHILD_TIMEOUT);
            List<String> err = stderr(child);
            assertThat(err).hasSize(4).startsWith(
                    "server: note: --loops applies to --model nio only; ignored",
                    "server: note: --pool-threads applies to --model pool only; ignored",
                    "server: note: --think-ms applies to --protocol echo only; ignored");
            assertThat(err.get(3)).matches("server: note: --max-connections 100000000 is above the \\d+ connections "
                    + "the open-file limit \\(\\d+\\) leaves room for; accepts fail once it is reached \\(ulimit -n raises it\\)");
        }
    }

    /** Over UDP the listen backlog and the NIO model's loop count do nothing: one loop receives and answers. */
    @Test
    void udpOptionsThatDoNotApplyAreNoted() throws Exception {
        try (ServerProcess child = child("--transport", "udp", "--protocol", "echo", "--model", "nio", "--port", "0",
                "--loops", "3", "--backlog", "5")) {
            assertReady(child, "udp", Model.NIO, "echo");
            assertThat(child.readyLine()).doesNotContain("loops=", "backlog=");
            child.stop(CHILD_TIMEOUT);
            assertThat(stderr(child)).containsExactly(
                    "server: note: --loops applies to --transport tcp only (UDP answers on the loop that receives); ignored",
                    "server: note: --backlog applies to --transport tcp only; ignored");
        }
    }

    /**
     * The real process, not just the in-process runner, exits with 2 and one line on a bad option;
     * the launcher says it exited before it was ready and quotes that line.
     */
    @Test
    void badOptionInARealProcessExitsWithTwo() {
        assertThatThrownBy(() -> child("--model", "foo"))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("server exited with status " + Cli.USAGE + " before it was ready: server: ")
                .hasMessageContaining("--model");
    }
}

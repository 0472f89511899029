package io.loombench.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The {@code bin/} launchers, run as a user runs them. They live here because this module's tests
 * run after the reactor has built both runnable jars.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LaunchersTest {
    private static final Path BIN = Path.of(System.getProperty("bench.serverJar")).getParent().getParent().getParent().resolve("bin");

    private record Run(int status, String out, String err) {
    }

    private static Run run(String launcher, String... args) throws IOException, InterruptedException {
        return run(Map.of(), launcher, args);
    }

    private static Run run(Map<String, String> environment, String launcher, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(BIN.resolve(launcher).toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        // Both pipes at once: a launcher that fills one while the test drains the other would block forever.
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        byte[] err = process.getErrorStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s exited", launcher).isTrue();
        return new Run(process.exitValue(), new String(out.join(), StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private static byte[] readAll(InputStream stream) {
        try {
            return stream.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Help and version texts are all a user asked for: no note about which Java runs them. */
    @Test
    void helpAndVersionSayNothingAboutJava() throws Exception {
        for (String launcher : List.of("server", "loadgen")) {
            for (String ask : List.of("--help", "--version")) {
                Run run = run(launcher, ask);
                assertThat(run.status()).as("%s %s", launcher, ask).isZero();
                assertThat(run.out()).as("%s %s", launcher, ask).isNotBlank();
                assertThat(run.err()).as("%s %s", launcher, ask).doesNotContain("using Java");
            }
        }
    }

    /** Something that runs says which Java runs it. */
    @Test
    void aRunNamesItsJava() throws Exception {
        Run run = run("loadgen", "http", "http://127.0.0.1:1/", "-d", "1s");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("loadgen: using Java ").contains("cannot reach http://127.0.0.1:1/");
    }

    /** The comparison scripts refuse an unknown option in one line that points at their help, which works. */
    @Test
    void theComparisonScriptsPointAtTheirHelp() throws Exception {
        for (String script : List.of("compare-with-wrk", "compare-servers")) {
            Run run = run(script, "--no-such-option");
            assertThat(run.status()).as(script).isEqualTo(2);
            assertThat(run.err().strip()).isEqualTo(script + ": unknown option --no-such-option (see --help)");
            assertThat(run(script, "--help").status()).as(script).isZero();
        }
        // The help is the script's whole header comment, its last option included.
        assertThat(run("compare-servers", "--help").out().strip()).endsWith("measured side by side rather than against a figure from another day.");
    }

    /**
     * A short real run of one of our models (no peer, so no class path to resolve): both tables,
     * the rate and the server's CPU per request with how busy each side was. The CPU comes from
     * /proc and the shell's {@code times}, so a cost of zero or a busy share past what one CPU can
     * give (wrk and the server are pinned to one each) would mean a parsing slip.
     */
    @Test
    void compareServersReportsTheRateAndTheServersCpuPerRequest() throws Exception {
        assumeTrue(onPath("wrk"), "wrk is not on PATH (apt-get install wrk); .ci/run installs it");
        Run run = run("compare-servers", "--servers", "nio", "--connections", "8", "--duration", "1s", "--rounds", "1", "--port", freePort());
        assertThat(run.status()).as(run.err()).isZero();
        Matcher rate = Pattern.compile("(?m)^\\| nio \\| (\\d+) \\|$").matcher(run.out());
        assertThat(rate.find()).as(run.out()).isTrue();
        assertThat(Long.parseLong(rate.group(1))).isPositive();
        Matcher cost = Pattern.compile("(?m)^\\| nio \\| (\\d+\\.\\d\\d) µs \\(server (\\d+)%, wrk (\\d+)%\\) \\|$").matcher(run.out());
        assertThat(cost.find()).as(run.out()).isTrue();
        assertThat(Double.parseDouble(cost.group(1))).isPositive();
        assertThat(Integer.parseInt(cost.group(2))).isPositive().isLessThanOrEqualTo(110);
        assertThat(Integer.parseInt(cost.group(3))).isPositive().isLessThanOrEqualTo(110);
        Matcher steal = Pattern.compile("(?m)^CPU steal over the measured runs \\(the hypervisor's share of the CPU's time\\):"
                + " servers' CPU 1 (\\d+\\.\\d)% \\(most in one run (\\d+\\.\\d)%\\), wrk's CPU 0 (\\d+\\.\\d)% \\(most (\\d+\\.\\d)%\\)$")
                .matcher(run.out());
        assertThat(steal.find()).as(run.out()).isTrue();
        for (int share = 1; share <= 4; share++) {
            assertThat(Double.parseDouble(steal.group(share))).isBetween(0.0, 100.0);
        }
    }

    /**
     * A peer runs from what the build left in benchmarks/target (its classes and the list of its
     * jars), with no Maven call that an empty local repository or an offline machine could fail,
     * and our model's cell gives its ratio to it (one round: no bracket of rounds).
     */
    @Test
    void compareServersRunsAPeerFromTheBuild() throws Exception {
        assumeTrue(onPath("wrk"), "wrk is not on PATH (apt-get install wrk); .ci/run installs it");
        Run run = run("compare-servers", "--servers", "nio,netty", "--connections", "8", "--duration", "1s", "--rounds", "1", "--port", freePort());
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("(?m)^\\| netty \\| [1-9]\\d* \\|$")
                .containsPattern("(?m)^\\| nio \\| [1-9]\\d* \\(\\d+\\.\\d\\dx netty\\) \\|$");
    }

    /**
     * {@code --baseline} runs our model from another built checkout in the same round, named by its
     * commit, and our model's cell gives its ratio to it. This checkout serves as its own baseline,
     * being the one built checkout a test can count on.
     */
    @Test
    void compareServersRunsABaselineCheckoutBesideOurModel() throws Exception {
        assumeTrue(onPath("wrk"), "wrk is not on PATH (apt-get install wrk); .ci/run installs it");
        Path checkout = BIN.getParent();
        Run run = run("compare-servers", "--servers", "nio", "--baseline", checkout.toString(),
                "--connections", "8", "--duration", "1s", "--rounds", "1", "--port", freePort());
        assertThat(run.status()).as(run.err()).isZero();
        Matcher baseline = Pattern.compile("(?m)^\\| (nio@\\S+) \\| [1-9]\\d* \\|$").matcher(run.out());
        assertThat(baseline.find()).as(run.out()).isTrue();
        assertThat(run.out()).containsPattern("(?m)^\\| nio \\| [1-9]\\d* \\(\\d+\\.\\d\\dx " + Pattern.quote(baseline.group(1)) + "\\) \\|$")
                .contains("; " + baseline.group(1).replace("nio@", "MODEL@") + " is " + checkout);
    }

    /** A baseline that is not a built checkout is refused before anything runs, in one line. */
    @Test
    void compareServersRefusesABaselineThatIsNotABuiltCheckout() throws Exception {
        Path empty = Files.createTempDirectory("not-a-checkout");
        Run run = run("compare-servers", "--servers", "nio", "--baseline", empty.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("compare-servers: --baseline " + empty
                + " is not a built loombench checkout (bin/server and server/target/server-*-all.jar; mvn -DskipTests package there)");
        Files.delete(empty);
    }

    /**
     * A loopback port nothing listens on now, for a script that takes its port as an option: a
     * fixed one would collide with anything else on the machine that holds it.
     */
    private static String freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return String.valueOf(socket.getLocalPort());
        }
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv("PATH").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    /**
     * bin/loadgen starts its JVM with loadgen/jvm.options (Serial, a 16 MB young generation), and
     * options in LOOMBENCH_JAVA_OPTS come after them, so they win. The JVM's own flag table, printed
     * before the version, says where each value came from.
     */
    @Test
    void loadgenRunsWithItsJvmOptionsAndTheUsersWin() throws Exception {
        Run defaults = run(Map.of("LOOMBENCH_JAVA_OPTS", "-XX:+PrintFlagsFinal"), "loadgen", "--version");
        assertThat(defaults.status()).isZero();
        assertThat(defaults.out()).containsPattern("bool UseSerialGC += true +\\{product\\} \\{command line\\}")
                .containsPattern("size_t MaxNewSize += 16777216 ");

        Run overridden = run(Map.of("LOOMBENCH_JAVA_OPTS", "-XX:+PrintFlagsFinal -Xmn32m"), "loadgen", "--version");
        assertThat(overridden.status()).isZero();
        assertThat(overridden.out()).containsPattern("size_t MaxNewSize += 33554432 ");
    }
}

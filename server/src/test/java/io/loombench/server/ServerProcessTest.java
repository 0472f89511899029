package io.loombench.server;

import io.loombench.common.ProcessUsage;
import io.loombench.server.TestSupport.Client;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.loombench.server.TestSupport.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The launcher a benchmark uses to run a server under test in its own JVM: pinning, the JVM's own
 * lines before the ready line, reading the child's cost from /proc, the log, and the failures it
 * must report in one line rather than hang on.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServerProcessTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(30);

    /** Stands in for a server that starts but never says it is ready. */
    public static final class SilentMain {
        public static void main(String[] args) throws InterruptedException {
            Thread.sleep(TimeUnit.SECONDS.toMillis(60));
        }
    }

    private static ServerProcess.Builder server(String... args) {
        return ServerProcess.builder()
                .mainClass(System.getProperty("java.class.path"), ServerMain.class.getName())
                .args(List.of(args))
                .readyTimeout(CHILD_TIMEOUT);
    }

    private static boolean tasksetInstalled() {
        try {
            return new ProcessBuilder("taskset", "--version").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /**
     * Pinned to CPU 0 from its start, the child JVM sees one processor: the NIO model's default of
     * one loop per processor says so in the ready line, and the kernel's affinity list agrees.
     */
    @Test
    void pinnedChildSeesOnlyItsCpus() throws Exception {
        assumeTrue(tasksetInstalled() && ProcessUsage.supported(), "needs taskset and /proc");
        try (ServerProcess child = server("--port", "0", "--model", "nio").cpus("0").start()) {
            assertThat(child.command()).startsWith("taskset", "-c", "0");
            assertThat(child.readyLine()).contains(" loops=1 ");
            String status = Files.readString(Path.of("/proc", Long.toString(child.pid()), "status"));
            assertThat(status).containsPattern("(?m)^Cpus_allowed_list:\\s+0$");
        }
    }

    /** The child's RSS, threads and CPU time are its own, and grow with what it does. */
    @Test
    void usageIsTheChildsOwn() throws Exception {
        assumeTrue(ProcessUsage.supported(), "needs /proc");
        try (ServerProcess child = server("--port", "0", "--model", "pool", "--pool-threads", "4").start()) {
            ProcessUsage usage = child.usage();
            assertThat(usage.rssBytes()).isGreaterThan(10L << 20);
            assertThat(usage.threads()).isGreaterThan(4);
            try (Client client = new Client(child.address())) {
                for (int i = 0; i < 20; i++) {
                    assertThat(client.exchange(get("/cpu?work=1000000")).status()).isEqualTo(200);
                }
            }
            assertThat(child.usage().cpuNanos()).isGreaterThan(usage.cpuNanos());
            assertThat(child.pid()).isNotEqualTo(ProcessHandle.current().pid());
        }
    }

    /** The JVM's own stdout lines before the ready line are kept apart; everything goes to the log. */
    @Test
    void jvmFlagsLineIsPreambleAndTheLogHasEverything(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("logs/server.log");
        int status;
        ServerProcess child = server("--port", "0", "--model", "virtual")
                .jvmArgs(List.of("-XX:+PrintCommandLineFlags")).log(log).start();
        try (child) {
            assertThat(child.preamble()).singleElement().asString().contains("-XX:+PrintCommandLineFlags");
            status = child.stop(CHILD_TIMEOUT);
        }
        assertThat(status).isEqualTo(128 + 15);
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertThat(lines.get(0)).startsWith("command: ").contains(ServerMain.class.getName());
        if (System.getProperty("java.class.path").contains(System.getProperty("user.home") + "/")) {
            // The class path names the home directory (the local Maven repository); the log writes it as ~.
            assertThat(lines.get(0)).doesNotContain(System.getProperty("user.home") + "/").contains("~/");
        }
        assertThat(lines).contains(child.readyLine()).anyMatch(line -> line.startsWith("stopped: "));
    }

    @Test
    void aChildThatNeverGetsReadyIsKilledAndNamed() {
        ServerProcess.Builder silent = ServerProcess.builder()
                .mainClass(System.getProperty("java.class.path"), SilentMain.class.getName())
                .readyTimeout(Duration.ofSeconds(2));
        long before = ProcessHandle.current().children().count();
        assertThatThrownBy(silent::start)
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("server printed no ready line within 2 s")
                .hasMessageContaining(SilentMain.class.getName());
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).count()).isLessThanOrEqualTo(before);
    }

    @Test
    void aMissingJavaBinaryIsNamed() {
        ServerProcess.Builder missing = server("--port", "0").java(Path.of("/nonexistent/bin/java"));
        assertThatThrownBy(missing::start)
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot start the server: ")
                .hasMessageContaining("/nonexistent/bin/java");
    }

    @Test
    void readyLinePatternTakesIpv4Ipv6AndAnyTail() {
        assertThat(ServerProcess.READY_LINE.matcher("listening on tcp://127.0.0.1:8080 model=nio protocol=http loops=2").matches()).isTrue();
        assertThat(ServerProcess.READY_LINE.matcher("listening on udp://[::1]:9000").matches()).isTrue();
        assertThat(ServerProcess.READY_LINE.matcher("listening on tcp://127.0.0.1").matches()).isFalse();
        assertThat(ServerProcess.READY_LINE.matcher("not listening on tcp://127.0.0.1:1").matches()).isFalse();
    }
}

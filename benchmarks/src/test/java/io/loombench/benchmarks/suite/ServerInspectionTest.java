package io.loombench.benchmarks.suite;

import io.loombench.server.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live heap read from a real server JVM under each collector a user may pass in
 * {@code -Dbench.serverJvmArgs}: a collector's own "used" figure differs in form between them
 * (ZGC's is in megabytes), a class histogram's total does not.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ServerInspectionTest {
    /** The JDK running the tests: the servers' JDK in the build, with its jcmd beside its java. */
    private static final Path JAVA = Path.of(ProcessHandle.current().info().command().orElseThrow());

    @Test
    void readsTheBytesOnTheHistogramsTotalLine() {
        String histogram = """
                12345:
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:         32365       27555216  jdk.internal.vm.StackChunk (java.base@25.0.3)
                   2:         30289        5699104  [B (java.base@25.0.3)
                Total        713993       77856064
                """;
        assertThat(ServerInspection.liveBytes(histogram)).hasValue(77_856_064L);
    }

    @Test
    void aJcmdThatCouldNotAttachGivesNoReading() {
        assertThat(ServerInspection.liveBytes("12345:\ncom.sun.tools.attach.AttachNotSupportedException: Unable to open socket file\n"))
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-XX:+UseSerialGC", "-XX:+UseG1GC", "-XX:+UseZGC"})
    void readsARunningServersLiveHeapUnderEachCollector(String collector) throws Exception {
        try (ServerProcess server = ServerProcess.builder()
                .java(JAVA)
                .jvmArgs(List.of(collector, "-Xmx256m"))
                .jar(Path.of(System.getProperty("bench.serverJar")))
                .args(List.of("--model", "nio", "--protocol", "echo", "--port", "0"))
                .readyTimeout(Duration.ofSeconds(60))
                .start()) {
            OptionalLong live = new ServerInspection(JAVA.resolveSibling("jcmd")).heapAfterGc(server.pid());
            // An idle server's objects: more than its classes' mirrors alone, less than its heap's cap.
            assertThat(live).isPresent();
            assertThat(live.getAsLong()).isBetween(1L << 20, 256L << 20);
        }
    }

    @Test
    void noJcmdGivesNoReading() throws Exception {
        assertThat(new ServerInspection(Path.of("/nonexistent/jcmd")).heapAfterGc(ProcessHandle.current().pid())).isEmpty();
    }
}

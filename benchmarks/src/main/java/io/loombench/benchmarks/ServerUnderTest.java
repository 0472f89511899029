package io.loombench.benchmarks;

import io.loombench.common.ProcessUsage;
import io.loombench.server.ServerProcess;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The server of one trial, in its own JVM on the server CPUs, started the same way for every
 * model and peer: same {@code java}, same flags, same CPUs. Each child also records JFR's
 * {@code jdk.VirtualThreadPinned} events (and nothing else), which only virtual threads can
 * produce; the recording runs in every child alike, so that it cannot favour one model.
 *
 * <p>Its cost is read from {@code /proc/<pid>}: {@link #idle()} once it is ready, before any
 * connection, and {@link #usage()} whenever asked.
 */
public final class ServerUnderTest implements AutoCloseable {
    /** Long enough for a graceful stop after a run that held thousands of connections. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final String PINNED_EVENT = "jdk.VirtualThreadPinned";
    private static final String PINNED_SETTINGS = """
            <?xml version="1.0" encoding="UTF-8"?>
            <configuration version="2.0" label="loombench" description="Virtual thread pinning, every occurrence, with its stack">
              <event name="jdk.VirtualThreadPinned">
                <setting name="enabled">true</setting>
                <setting name="stackTrace">true</setting>
                <setting name="threshold">0 ms</setting>
              </event>
            </configuration>
            """;

    private final ServerProcess process;
    private final ProcessUsage idle;
    private final Path recording;
    private final int cpuCount;

    private ServerUnderTest(ServerProcess process, ProcessUsage idle, Path recording, int cpuCount) {
        this.process = process;
        this.idle = idle;
        this.recording = recording;
        this.cpuCount = cpuCount;
    }

    /**
     * Starts the server for {@code point}; its files (log, JFR recording) are named after
     * {@code trialId}. Returns when it is ready to accept.
     */
    public static ServerUnderTest start(Point point, BenchSettings settings, String trialId) throws IOException, InterruptedException {
        Path jfrDir = Files.createDirectories(settings.outputDir().resolve("jfr"));
        Path jfc = jfrDir.resolve("pinned.jfc");
        if (!Files.exists(jfc)) {
            Files.writeString(jfc, PINNED_SETTINGS, StandardCharsets.UTF_8);
        }
        Path recording = jfrDir.resolve(trialId + ".jfr");
        List<String> jvmArgs = new ArrayList<>(settings.serverJvmArgs());
        // Netty's native epoll would otherwise draw the JDK's restricted-method warning; every
        // child gets the same flags, so every child gets this one.
        jvmArgs.add("--enable-native-access=ALL-UNNAMED");
        jvmArgs.add("-XX:+PrintCommandLineFlags");
        jvmArgs.add("-XX:StartFlightRecording:filename=" + recording + ",settings=" + jfc + ",dumponexit=true");
        ServerProcess.Builder builder = ServerProcess.builder()
                .java(settings.serverJava())
                .jvmArgs(jvmArgs)
                .cpus(settings.serverCpus())
                .args(point.serverArgs())
                .log(settings.outputDir().resolve("logs").resolve(trialId + ".server.log"));
        if (point.server().isModel()) {
            builder.jar(settings.serverJar());
        } else {
            builder.mainClass(settings.peerClasspath(), point.server().peerMainClass());
        }
        ServerProcess process = builder.start();
        try {
            return new ServerUnderTest(process, process.usage(), recording, settings.serverCpuCount());
        } catch (IOException | RuntimeException e) {
            process.close();
            throw e;
        }
    }

    /** The server process's id, for tools that inspect it ({@code jcmd}, {@code /proc/<pid>/fd}). */
    public long pid() {
        return process.pid();
    }

    public InetSocketAddress address() {
        return process.address();
    }

    /** The server's cost once started, before any connection. */
    public ProcessUsage idle() {
        return idle;
    }

    public ProcessUsage usage() throws IOException {
        return process.usage();
    }

    /** How many CPUs the server may run on. */
    public int cpuCount() {
        return cpuCount;
    }

    /** The effective JVM flags the child printed before its ready line. */
    List<String> jvmNotes() {
        return process.preamble();
    }

    /**
     * Stops the server gracefully and counts the pinning events it recorded.
     *
     * @return {@code jdk.VirtualThreadPinned} events over the whole trial
     * @throws IOException if the server did not stop cleanly or left no readable recording
     */
    public long stop() throws IOException, InterruptedException {
        process.stop(STOP_GRACE);
        if (process.stoppedLine().isEmpty()) {
            throw new IOException("the server did not stop gracefully (no 'stopped:' line); see its log");
        }
        long pinned = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                if (event.getEventType().getName().equals(PINNED_EVENT)) {
                    pinned++;
                }
            }
        }
        return pinned;
    }

    /** Kills what is left of the server, if {@link #stop()} was not reached. */
    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}

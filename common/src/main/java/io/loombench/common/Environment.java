package io.loombench.common;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where a result was measured. Every result file carries one, because a latency figure means
 * little without the JDK, the flags, the cores and the commit that produced it.
 *
 * @param javaVersion    {@code java.runtime.version}
 * @param javaVendor     {@code java.vendor}
 * @param vmName         {@code java.vm.name}
 * @param jvmArguments   flags the JVM was started with
 * @param processors     {@link Runtime#availableProcessors()}
 * @param maxHeapBytes   {@link Runtime#maxMemory()}
 * @param os             name, version and architecture
 * @param hostname       the machine's name, or "unknown"
 * @param commit         the git commit of the working directory, or "unknown"
 * @param capturedAt     when this was captured
 */
public record Environment(String javaVersion, String javaVendor, String vmName, List<String> jvmArguments,
                          int processors, long maxHeapBytes, String os, String hostname, String commit,
                          Instant capturedAt) {

    public Environment {
        jvmArguments = List.copyOf(jvmArguments);
    }

    /** Reads the environment of this JVM; asks git for the commit (bounded to 2 s). */
    public static Environment capture() {
        return new Environment(
                System.getProperty("java.runtime.version"),
                System.getProperty("java.vendor"),
                System.getProperty("java.vm.name"),
                ManagementFactory.getRuntimeMXBean().getInputArguments(),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                readHostname(),
                gitCommit(),
                Instant.now());
    }

    private static String readHostname() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        return run("hostname");
    }

    private static String gitCommit() {
        String fromEnv = System.getenv("LOOMBENCH_COMMIT");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        return run("git", "rev-parse", "--short=12", "HEAD");
    }

    /** First line of a short command's output, or "unknown" if it fails or takes over 2 s. */
    private static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (InputStream output = process.getInputStream()) {
                if (!process.waitFor(2, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    process.destroyForcibly();
                    return "unknown";
                }
                String text = new String(output.readAllBytes(), StandardCharsets.UTF_8).strip();
                int newline = text.indexOf('\n');
                return text.isEmpty() ? "unknown" : newline < 0 ? text : text.substring(0, newline);
            }
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}

package io.loombench.benchmarks.suite;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads what a result must carry to be read by anyone else: the JVMs (the harness's and the
 * server's, asked the way they will run: on their CPUs, so the ergonomics they print are the ones
 * the benchmarks get), the CPU, memory, kernel, commit, placement and command.
 */
final class EnvironmentProbe {
    private static final long COMMAND_SECONDS = 30;

    private EnvironmentProbe() {
    }

    static RunEnvironment capture(SuiteSettings settings, Matrix matrix, Harness harness, Path projectDir, Instant startedAt,
                                  String command) throws IOException, InterruptedException {
        RunEnvironment.Placement placement = harness.placement();
        Path harnessJava = Path.of(ProcessHandle.current().info().command().orElse("java"));
        RunEnvironment.Jvm harnessJvm = probeJvm(harnessJava, placement.pinned() ? placement.generatorCpus() : null,
                ManagementFactory.getRuntimeMXBean().getInputArguments());
        RunEnvironment.Jvm server = serverJvm(settings, harness);
        String commit = run(projectDir, "git", "rev-parse", "--short=12", "HEAD").strip();
        boolean dirty = !run(projectDir, "git", "status", "--porcelain", "--untracked-files=no").isBlank();
        return new RunEnvironment(startedAt.toString(), command, matrix.name(), settings.include(), harnessJvm, server,
                cpuModel(), harness.cpus().size(), memoryBytes(), System.getProperty("os.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"), hostname(),
                commit.isEmpty() ? "unknown" : commit, dirty, placement, matrix.allSettings());
    }

    /** The server children's JVM as the harness starts them: its binary and flags, on the server's CPUs. */
    static RunEnvironment.Jvm serverJvm(SuiteSettings settings, Harness harness) throws IOException, InterruptedException {
        RunEnvironment.Placement placement = harness.placement();
        List<String> serverFlags = settings.serverJvmArgs().isBlank() ? List.of() : List.of(settings.serverJvmArgs().split("\\s+"));
        return probeJvm(harness.serverJava(), placement.pinned() ? placement.serverCpus() : null, serverFlags);
    }

    /** Asks a JVM for its identity and ergonomics by running it with {@code flags} (pinned to {@code cpus} when given). */
    private static RunEnvironment.Jvm probeJvm(Path java, String cpus, List<String> flags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (cpus != null) {
            command.addAll(List.of("taskset", "-c", cpus));
        }
        command.add(java.toString());
        command.addAll(flags.stream().filter(flag -> flag.startsWith("-XX") || flag.startsWith("-Xm") || flag.startsWith("-Xs")).toList());
        command.addAll(List.of("-XX:+PrintCommandLineFlags", "-XshowSettings:properties", "-version"));
        String output = run(null, command.toArray(String[]::new));
        String effective = output.lines().filter(line -> line.startsWith("-XX:")).findFirst().orElse("").strip();
        return new RunEnvironment.Jvm(java.toString(), property(output, "java.runtime.version"), property(output, "java.vendor"),
                property(output, "java.vm.name"), flags, effective);
    }

    private static String property(String settings, String name) {
        return settings.lines().map(String::strip).filter(line -> line.startsWith(name + " = "))
                .map(line -> line.substring(name.length() + 3)).findFirst().orElse("unknown");
    }

    private static String cpuModel() throws IOException {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
                .map(line -> line.substring(line.indexOf(':') + 1).strip()).findFirst().orElse("unknown");
    }

    private static long memoryBytes() throws IOException {
        return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(line -> line.startsWith("MemTotal:"))
                .map(line -> Long.parseLong(line.replaceAll("\\D", "")) * 1024).findFirst().orElse(0L);
    }

    private static String hostname() throws IOException {
        Path name = Path.of("/proc/sys/kernel/hostname");
        return Files.isReadable(name) ? Files.readString(name).strip() : "unknown";
    }

    /** A short command's output (stdout and stderr), or empty if it fails or takes over 30 s. */
    private static String run(Path dir, String... command) throws InterruptedException {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            if (dir != null) {
                builder.directory(dir.toFile());
            }
            Process process = builder.start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return "";
            }
            return new String(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}

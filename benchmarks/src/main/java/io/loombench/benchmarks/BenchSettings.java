package io.loombench.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What a JMH fork needs to know to run a point, passed by the suite runner as system properties
 * (see {@code SuiteRunner}); a fork started some other way gets the defaults below.
 *
 * @param serverJar     the loombench server's runnable jar ({@code bench.serverJar})
 * @param serverJava    the {@code java} binary for server children ({@code bench.serverJava});
 *                      default: the fork's own
 * @param serverJvmArgs flags for every server child, models and peers alike ({@code bench.serverJvmArgs}, space separated)
 * @param serverCpus    CPUs for server children in taskset syntax, or empty for no pinning ({@code bench.serverCpus})
 * @param serverCpuCount how many CPUs the server may use: the size of {@code serverCpus}, or all of the machine's
 * @param outputDir     where a run keeps its files: hlog/, jfr/, logs/ ({@code bench.out})
 * @param peerClasspath the class path the peers run from: the fork's own
 */
public record BenchSettings(Path serverJar, Path serverJava, List<String> serverJvmArgs, String serverCpus,
                            int serverCpuCount, Path outputDir, String peerClasspath) {

    static final String SERVER_JAR = "bench.serverJar";
    static final String SERVER_JAVA = "bench.serverJava";
    static final String SERVER_JVM_ARGS = "bench.serverJvmArgs";
    static final String SERVER_CPUS = "bench.serverCpus";
    static final String OUTPUT_DIR = "bench.out";

    /** Reads the fork's system properties. */
    public static BenchSettings fromSystemProperties() {
        Path jar = Path.of(System.getProperty(SERVER_JAR, "server/target/server-0.1.0-SNAPSHOT-all.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no server jar at " + jar.toAbsolutePath()
                    + "; build it with 'mvn -DskipTests package' or pass -D" + SERVER_JAR + "=PATH");
        }
        String java = System.getProperty(SERVER_JAVA, "");
        Path serverJava = java.isBlank() ? Path.of(ProcessHandle.current().info().command().orElse("java")) : Path.of(java);
        String flags = System.getProperty(SERVER_JVM_ARGS, "").strip();
        List<String> jvmArgs = flags.isEmpty() ? List.of() : Arrays.asList(flags.split("\\s+"));
        String cpus = System.getProperty(SERVER_CPUS, "").strip();
        int cpuCount = cpus.isEmpty() ? Runtime.getRuntime().availableProcessors() : CpuList.parse(cpus).size();
        Path out = Path.of(System.getProperty(OUTPUT_DIR, "target/bench-out"));
        return new BenchSettings(jar, serverJava, jvmArgs, cpus.isEmpty() ? null : cpus, cpuCount, out,
                System.getProperty("java.class.path"));
    }
}

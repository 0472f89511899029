package io.loombench.benchmarks.suite;

import io.loombench.benchmarks.BenchSettings;
import io.loombench.benchmarks.CpuList;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What every point of a run shares, checked before anything runs: the server's jar, the
 * {@code java} its children run on, and the CPU placement, which {@link #prepare} also applies
 * to this JVM (so that the JMH forks it starts inherit the generator's CPUs).
 *
 * @param serverJar  the loombench server's runnable jar
 * @param serverJava the {@code java} binary of every server child
 * @param placement  where servers and generator run
 * @param cpus       the CPUs the run may use, as found before pinning this JVM to the generator's
 */
record Harness(Path serverJar, Path serverJava, RunEnvironment.Placement placement, List<Integer> cpus) {

    /**
     * Checks the settings, decides the placement and pins this JVM to the generator's CPUs.
     *
     * @throws IllegalArgumentException for a missing jar or java binary, naming the remedy
     */
    static Harness prepare(SuiteSettings settings) throws IOException, InterruptedException {
        Path serverJar = settings.serverJar();
        if (!Files.isRegularFile(serverJar)) {
            throw new IllegalArgumentException("no server jar at " + serverJar + "; build it with 'mvn -DskipTests package'");
        }
        Path serverJava = settings.serverJava().isEmpty()
                ? Path.of(ProcessHandle.current().info().command().orElse("java")) : Path.of(settings.serverJava());
        if (!Files.isExecutable(serverJava)) {
            throw new IllegalArgumentException("bench.serverJava " + serverJava + " is not an executable java binary");
        }
        List<Integer> cpus = Placement.allowedCpus();
        RunEnvironment.Placement placement = Placement.decide(settings.sharedCpus(), cpus, Placement.tasksetInstalled());
        Placement.pinSelf(placement);
        return new Harness(serverJar, serverJava, placement, List.copyOf(cpus));
    }

    /** How a tool in this JVM starts server children the way the suite's forks do, keeping their files in {@code outputDir}. */
    BenchSettings childSettings(String serverJvmArgs, Path outputDir) {
        return new BenchSettings(serverJar, serverJava,
                serverJvmArgs.isBlank() ? List.of() : List.of(serverJvmArgs.strip().split("\\s+")),
                placement.pinned() ? placement.serverCpus() : null, CpuList.parse(placement.serverCpus()).size(),
                outputDir, System.getProperty("java.class.path"));
    }
}

package io.loombench.benchmarks.suite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How the suite's tools start the load generator in a process of its own: exactly as
 * {@code bin/loadgen} does, with the JVM options file the loadgen module ships
 * ({@code loadgen/jvm.options}, a {@code java @file} argument file) before its runnable jar, so the
 * generator whose memory the scale check reports is the one a user runs.
 *
 * @param jar        the loadgen's runnable jar
 * @param jvmOptions its JVM options file
 */
record LoadgenLauncher(Path jar, Path jvmOptions) {

    LoadgenLauncher {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no loadgen jar at " + jar + "; build it with 'mvn -DskipTests package'");
        }
        if (!Files.isRegularFile(jvmOptions)) {
            throw new IllegalArgumentException("no loadgen JVM options file at " + jvmOptions + " (bench.loadgenJvmOptions)");
        }
    }

    /** The command line that runs the loadgen CLI with {@code args}, on the JVM {@code java}. */
    List<String> command(String java, List<String> args) {
        List<String> command = new ArrayList<>(List.of(java, "@" + jvmOptions, "-jar", jar.toString()));
        command.addAll(args);
        return command;
    }
}

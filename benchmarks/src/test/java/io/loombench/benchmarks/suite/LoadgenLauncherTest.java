package io.loombench.benchmarks.suite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadgenLauncherTest {

    /** The options file comes first, as bin/loadgen passes it, so the generator measured is the one users run. */
    @Test
    void passesTheOptionsFileBeforeTheJar(@TempDir Path dir) throws Exception {
        Path jar = Files.createFile(dir.resolve("loadgen.jar"));
        Path options = Files.writeString(dir.resolve("jvm.options"), "-Xmn16m\n");

        List<String> command = new LoadgenLauncher(jar, options).command("/jdk/bin/java", List.of("http", "http://127.0.0.1:1/"));

        assertThat(command).containsExactly("/jdk/bin/java", "@" + options, "-jar", jar.toString(), "http", "http://127.0.0.1:1/");
    }

    @Test
    void aMissingJarOrOptionsFileIsOneLineNamingIt(@TempDir Path dir) throws Exception {
        Path jar = Files.createFile(dir.resolve("loadgen.jar"));
        Path options = dir.resolve("jvm.options");

        assertThatThrownBy(() -> new LoadgenLauncher(jar, options))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no loadgen JVM options file at " + options + " (bench.loadgenJvmOptions)");
        assertThatThrownBy(() -> new LoadgenLauncher(dir.resolve("none.jar"), options))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no loadgen jar at " + dir.resolve("none.jar"));
    }
}

package io.loombench.deploy;

import io.loombench.common.Protocol;
import io.loombench.common.Transport;
import io.loombench.server.Server;
import io.loombench.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image's Java runtime, jlink'd from the modules {@code image.modules} in deploy/pom.xml, is
 * enough for the loadgen. Checked without building the image: jdeps must find no module outside
 * that list, and the loadgen must run a load, each protocol for a second against a loopback
 * server, in a JVM limited to those modules ({@code --limit-modules}, which leaves the same
 * modules observable as jlink's {@code --add-modules} puts in the image) with the image's class
 * path and JVM options. {@code --help} and {@code merge} are no test of this: they load too few
 * classes, and passed while every load run in the image failed for want of jdk.management.
 */
class ImageRuntimeTest {
    /** The list jlink is given: one definition, in the pom, passed here by surefire. */
    private static final List<String> MODULES = List.of(property("loombench.image.modules").split(","));

    private static String property(String name) {
        String value = System.getProperty(name);
        assertThat(value).as("system property %s (set in deploy/pom.xml's surefire configuration)", name).isNotBlank();
        return value.strip();
    }

    /** The image's class path: the loadgen and its runtime dependencies, as Jib puts them in /app. */
    private static String classPath() {
        try {
            return Files.readString(Path.of(property("loombench.image.classpath"))).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void jdepsFindsNoModuleOutsideTheList() {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("--multi-release", "21", "--ignore-missing-deps", "--print-module-deps"));
        args.addAll(List.of(classPath().split(File.pathSeparator)));
        int status = jdeps.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
        assertThat(status).as("jdeps %s: %s", args, err).isZero();
        List<String> found = List.of(out.toString().strip().split(","));
        assertThat(found).as("the modules jdeps finds").contains("java.base");
        assertThat(MODULES).as("image.modules in deploy/pom.xml").containsAll(found);
    }

    @Test
    @Timeout(120)
    void anHttpLoadRunsOnTheListedModules() throws Exception {
        try (Server server = Server.start(ServerConfig.builder().port(0).build())) {
            assertRunsALoad("http", "http://127.0.0.1:" + server.address().getPort() + "/plaintext");
        }
    }

    @Test
    @Timeout(120)
    void aTcpLoadRunsOnTheListedModules() throws Exception {
        try (Server server = Server.start(ServerConfig.builder().protocol(Protocol.ECHO).port(0).build())) {
            assertRunsALoad("tcp", "127.0.0.1:" + server.address().getPort());
        }
    }

    @Test
    @Timeout(120)
    void aUdpLoadRunsOnTheListedModules() throws Exception {
        try (Server server = Server.start(ServerConfig.builder().transport(Transport.UDP).protocol(Protocol.ECHO).port(0).build())) {
            assertRunsALoad("udp", "127.0.0.1:" + server.address().getPort());
        }
    }

    /** Runs a one-second load as the image's entrypoint would, on the listed modules alone. */
    private static void assertRunsALoad(String protocol, String target) throws IOException, InterruptedException {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + property("loombench.image.jvm-options"),
                "-Djava.awt.headless=true",
                "--limit-modules", String.join(",", MODULES),
                "-cp", classPath(),
                "io.loombench.loadgen.cli.LoadgenMain",
                protocol, target, "-c", "2", "-R", "100", "-d", "1s", "--warmup", "0");
        Path output = Files.createTempFile("loadgen-" + protocol, ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("the loadgen did not end within 60 s: " + Files.readString(output));
            }
            assertRan(command, process.exitValue(), Files.readString(output));
        } finally {
            Files.delete(output);
        }
    }

    private static void assertRan(List<String> command, int status, String printed) {
        assertThat(status).as("exit status of %s%n%s", command, printed).isZero();
        assertThat(printed).as("the run's summary")
                .containsPattern("(?m)^  requests +[0-9,]+ measured and answered")
                .containsPattern("(?m)^  errors +none$");
    }
}

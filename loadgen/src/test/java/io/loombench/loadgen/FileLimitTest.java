package io.loombench.loadgen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class FileLimitTest {
    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void aUnixJdkTellsTheLimitAndTheDescriptorsOpen() {
        FileLimit.Usage usage = FileLimit.usage().orElseThrow();

        assertThat(usage.limit()).isPositive();
        assertThat(usage.open()).as("this JVM's jars and sockets at least").isPositive().isLessThanOrEqualTo(usage.limit());
    }

    /**
     * A runtime without jdk.management, such as a jlink'd one that left it out, cannot tell: the
     * usage is unknown, and a spec of more connections than any limit allows is not refused for
     * it, instead of the run failing with NoClassDefFoundError for com.sun.management.
     */
    @Test
    void withoutJdkManagementTheUsageIsUnknownAndNoSpecIsRefused() throws Exception {
        Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "--limit-modules", "java.base,java.management", "-cp", System.getProperty("java.class.path"),
                WithoutJdkManagement.class.getName()).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes());
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output.strip()).isEqualTo("usage unknown, spec not refused");
    }

    /** Run in a JVM whose modules are limited to java.base and java.management. */
    static final class WithoutJdkManagement {
        public static void main(String[] args) {
            if (ModuleLayer.boot().findModule("jdk.management").isPresent()) {
                throw new IllegalStateException("run this with --limit-modules java.base,java.management");
            }
            LoadSpec spec = LoadSpec.builder(LoadProtocol.TCP_ECHO, new InetSocketAddress(InetAddress.getLoopbackAddress(), 9))
                    .connections(Integer.MAX_VALUE).build();
            FileLimit.requireRoomFor(spec);
            System.out.println(FileLimit.usage().map(usage -> "usage " + usage).orElse("usage unknown") + ", spec not refused");
        }
    }
}

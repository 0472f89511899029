package io.loombench.common;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

/** The reading itself; what a runtime without jdk.management gives is checked through its users (FileLimitTest). */
class OpenFilesTest {
    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void aUnixJdkTellsTheLimitAndTheDescriptorsOpenWithinIt() {
        OpenFiles files = OpenFiles.ofThisProcess().orElseThrow();

        assertThat(files.limit()).isPositive();
        assertThat(files.open()).as("this JVM's jars at least").isPositive().isLessThanOrEqualTo(files.limit());
    }
}

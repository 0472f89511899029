package io.loombench.common;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

import static org.assertj.core.api.Assertions.assertThat;

/** One-line descriptions of what went wrong. */
class CliTest {

    @Test
    void fileProblemsSayWhatHappenedToWhichFile() {
        assertThat(Cli.describe(new NoSuchFileException("/proc/x.tmp"))).isEqualTo("no such file or directory (/proc/x.tmp)");
        assertThat(Cli.describe(new AccessDeniedException("/srv/private/x"))).isEqualTo("permission denied (/srv/private/x)");
        assertThat(Cli.describe(new FileSystemException("/a/b", null, "Not a directory"))).isEqualTo("Not a directory (/a/b)");
    }

    @Test
    void otherProblemsGiveTheirFirstLineOrTheirType() {
        assertThat(Cli.describe(new IOException("Connection refused\n\tat somewhere"))).isEqualTo("Connection refused");
        assertThat(Cli.describe(new IllegalStateException())).isEqualTo("IllegalStateException");
    }
}

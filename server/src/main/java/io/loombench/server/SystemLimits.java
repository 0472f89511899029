package io.loombench.server;

import io.loombench.common.OpenFiles;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What the operating system lets one server process hold, read once where the defaults need it:
 * the open-file limit (one descriptor per connection) and the kernel's cap on a listen backlog.
 */
final class SystemLimits {
    /**
     * Descriptors left to the JVM and the server besides connections: jars, selectors and their
     * wake-up pipes, the listening socket, JFR's files; a running server holds about 40.
     */
    static final int DESCRIPTOR_MARGIN = 500;
    /** Connections allowed when the open-file limit cannot be read (not a Unix JDK, or no jdk.management). */
    static final int FALLBACK_MAX_CONNECTIONS = 10_000;

    private static final Path SOMAXCONN = Path.of("/proc/sys/net/core/somaxconn");

    private SystemLimits() {
    }

    /**
     * The process's open-file limit, as the JVM left it (HotSpot raises the soft limit to the hard
     * one at start), or empty where the JDK cannot tell ({@link OpenFiles}).
     */
    static OptionalLong openFileLimit() {
        return OpenFiles.ofThisProcess().filter(files -> files.limit() > 0)
                .map(files -> OptionalLong.of(files.limit())).orElse(OptionalLong.empty());
    }

    /**
     * The most connections this process can hold: its open-file limit less
     * {@value #DESCRIPTOR_MARGIN} (less half, for a limit under twice that), or
     * {@value #FALLBACK_MAX_CONNECTIONS} where the limit is unknown. At most {@link Integer#MAX_VALUE}.
     */
    static int maxConnections() {
        OptionalLong limit = openFileLimit();
        if (limit.isEmpty()) {
            return FALLBACK_MAX_CONNECTIONS;
        }
        return maxConnections(limit.getAsLong());
    }

    static int maxConnections(long openFileLimit) {
        long margin = Math.min(DESCRIPTOR_MARGIN, openFileLimit / 2);
        return (int) Math.clamp(openFileLimit - margin, 1, Integer.MAX_VALUE);
    }

    /**
     * {@code net.core.somaxconn}: the kernel silently shortens any longer listen backlog to this.
     * Empty where it cannot be read (not Linux).
     */
    static OptionalInt somaxconn() {
        // One read of the whole line: a sysctl file answers a read at a later offset with end of
        // file, so Files.readString, which reads its first byte alone, would see only "4" of "4096".
        try (BufferedReader reader = Files.newBufferedReader(SOMAXCONN)) {
            String line = reader.readLine();
            return line == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(line.strip()));
        } catch (IOException | NumberFormatException | SecurityException e) {
            return OptionalInt.empty();
        }
    }
}

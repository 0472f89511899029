package io.loombench.benchmarks.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the scale and soak checks read from a running server JVM beyond {@code /proc}'s RSS: its
 * live heap, with {@code jcmd}, and its open file descriptors.
 *
 * @param jcmd the {@code jcmd} of the servers' JDK; a missing one makes {@link #heapAfterGc} empty
 */
record ServerInspection(Path jcmd) {
    /** The histogram's last line: {@code Total}, the instances, then the bytes of every live object. */
    private static final Pattern TOTAL = Pattern.compile("^Total\\s+\\d+\\s+(\\d+)\\s*$", Pattern.MULTILINE);

    /**
     * The server's live heap, in bytes: the objects a full collection leaves, as
     * {@code jcmd GC.class_histogram} counts them (without {@code -all} it collects first). A
     * count of objects, not a collector's "used" figure, so it reads the same under every
     * collector: Serial's and G1's {@code GC.heap_info} say "used ...K" per generation or region
     * set, ZGC's "used ...M" for the whole heap, in megabytes. Empty without {@code jcmd}, or when
     * the server did not answer (it is going away). The collection, and the walk that counts the
     * heap, pause the server.
     */
    OptionalLong heapAfterGc(long pid) throws IOException, InterruptedException {
        if (!Files.isExecutable(jcmd)) {
            return OptionalLong.empty();
        }
        return liveBytes(run(jcmd.toString(), Long.toString(pid), "GC.class_histogram"));
    }

    /** The bytes on a class histogram's {@code Total} line; empty when {@code jcmd} printed none. */
    static OptionalLong liveBytes(String histogram) {
        Matcher total = TOTAL.matcher(histogram);
        return total.find() ? OptionalLong.of(Long.parseLong(total.group(1))) : OptionalLong.empty();
    }

    /** The process's open file descriptors: its sockets, each connection's among them. */
    static int openFiles(long pid) throws IOException {
        try (Stream<Path> open = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) open.count();
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return new String(output, StandardCharsets.UTF_8);
    }
}

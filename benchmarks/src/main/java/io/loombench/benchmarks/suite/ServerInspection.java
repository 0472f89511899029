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
    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    /**
     * Forces a full collection in the server ({@code jcmd GC.run}) and reads the heap in use after
     * it ({@code GC.heap_info}), in bytes: the live heap. Empty without {@code jcmd}, or when the
     * server did not answer (it is going away). The full collection pauses the server.
     */
    OptionalLong heapAfterGc(long pid) throws IOException, InterruptedException {
        if (!Files.isExecutable(jcmd)) {
            return OptionalLong.empty();
        }
        run(jcmd.toString(), Long.toString(pid), "GC.run");
        String info = run(jcmd.toString(), Long.toString(pid), "GC.heap_info");
        long usedKib = 0;
        boolean any = false;
        for (String line : info.lines().toList()) {
            // Metaspace is reported too; only the Java heap's generations count.
            if (line.contains("Metaspace") || line.contains("class space")) {
                continue;
            }
            Matcher used = USED.matcher(line);
            if (used.find()) {
                usedKib += Long.parseLong(used.group(1));
                any = true;
            }
        }
        return any ? OptionalLong.of(usedKib * 1024) : OptionalLong.empty();
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

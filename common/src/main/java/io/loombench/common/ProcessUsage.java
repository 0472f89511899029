package io.loombench.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What a process costs at one moment, read from Linux's {@code /proc/<pid>}: the figures a
 * benchmark reports for a server under test and for the generator itself.
 *
 * @param rssBytes resident set size ({@code VmRSS} of {@code /proc/<pid>/status}), bytes
 * @param threads  threads of the process, every kind ({@code Threads} of {@code /proc/<pid>/status})
 * @param cpuNanos user plus system CPU time since the process started ({@code utime + stime} of
 *                 {@code /proc/<pid>/stat}), nanoseconds, in steps of one clock tick (10 ms at the
 *                 usual 100 Hz): meaningful over intervals of seconds, not milliseconds
 */
public record ProcessUsage(long rssBytes, int threads, long cpuNanos) {
    /** Fields of /proc/pid/stat after the command name, counted from 1 at the state field (field 3). */
    private static final int UTIME_AFTER_COMM = 14 - 3;
    private static final int STIME_AFTER_COMM = 15 - 3;
    /** Linux's USER_HZ: 100 on every mainstream architecture, and what /proc reports ticks in. */
    private static final long TICKS_PER_SECOND = 100;

    /** Reads the usage of process {@code pid}; fails if it does not exist (or this is not Linux). */
    public static ProcessUsage of(long pid) throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        String status = Files.readString(proc.resolve("status"), StandardCharsets.US_ASCII);
        long rssKib = statusField(status, "VmRSS:");
        long threads = statusField(status, "Threads:");
        String stat = Files.readString(proc.resolve("stat"), StandardCharsets.US_ASCII);
        // The command name is in parentheses and may itself hold spaces and parentheses.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[UTIME_AFTER_COMM]) + Long.parseLong(fields[STIME_AFTER_COMM]);
        return new ProcessUsage(rssKib * 1024, (int) threads, ticks * TimeUnit.SECONDS.toNanos(1) / TICKS_PER_SECOND);
    }

    /** The usage of this JVM's own process. */
    public static ProcessUsage self() throws IOException {
        return of(ProcessHandle.current().pid());
    }

    /** True where {@code /proc} can be read, that is on Linux. */
    public static boolean supported() {
        return Files.isReadable(Path.of("/proc/self/stat"));
    }

    private static long statusField(String status, String name) throws IOException {
        int at = status.indexOf('\n' + name);
        if (at < 0) {
            // A zombie has no VmRSS line: nothing resident.
            if (name.equals("VmRSS:")) {
                return 0;
            }
            throw new IOException("no " + name + " in /proc status");
        }
        int start = at + 1 + name.length();
        int end = status.indexOf('\n', start);
        String value = status.substring(start, end < 0 ? status.length() : end).strip();
        int space = value.indexOf(' ');
        return Long.parseLong(space < 0 ? value : value.substring(0, space));
    }
}

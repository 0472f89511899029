package io.loombench.loadgen.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Whether standard error is a terminal, so a progress line helps rather than clutters a log. */
final class Terminal {
    private Terminal() {
    }

    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            // No /proc (not Linux): fall back to the JDK's notion of an interactive console.
            return System.console() != null;
        }
    }
}

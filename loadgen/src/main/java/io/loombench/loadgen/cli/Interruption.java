package io.loombench.loadgen.cli;

import sun.misc.Signal;

import java.util.Optional;

/**
 * SIGINT (Ctrl-C) and SIGTERM end a run early instead of ending the JVM: the run stops, its
 * summary says it was interrupted, every output file is written, and the command exits with
 * 128 + the signal's number, as a shell expects of a process a signal ended. The JVM's own
 * handling (shutdown hooks) would exit with that status too, but could not tell the summary and
 * the JSON which signal it was, nor let the main thread finish writing first.
 *
 * <p>{@code sun.misc.Signal} is the JDK's supported-in-practice way to handle a signal (module
 * {@code jdk.unsupported}, exported on every JDK since 9); nothing else in the JDK offers it.
 */
final class Interruption {
    private static final int SIGINT = 2;
    private static final int SIGTERM = 15;

    private volatile String signal;
    private volatile int number;

    private Interruption() {
    }

    /** Handles SIGINT and SIGTERM from now on by calling {@code stop} once, on the signal's thread. */
    static Interruption install(Runnable stop) {
        Interruption interruption = new Interruption();
        for (String name : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(name), received -> {
                if (interruption.signal == null) {
                    interruption.number = received.getNumber();
                    interruption.signal = "SIG" + received.getName();
                    stop.run();
                }
            });
        }
        return interruption;
    }

    /** The signal that interrupted the run, such as {@code SIGINT}; empty when none did. */
    Optional<String> signal() {
        return Optional.ofNullable(signal);
    }

    /** 128 + the signal's number (130 for SIGINT, 143 for SIGTERM); only when {@link #signal()} is present. */
    int exitCode() {
        return 128 + (number > 0 ? number : signal != null && signal.equals("SIGINT") ? SIGINT : SIGTERM);
    }
}

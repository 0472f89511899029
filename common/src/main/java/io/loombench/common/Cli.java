package io.loombench.common;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * How every loombench command line reports problems: one line on stderr, never a stack trace,
 * and an exit code that tells a script what kind of problem it was.
 */
public final class Cli {
    /** The run went as asked. */
    public static final int OK = 0;
    /** The run happened but failed: the target misbehaved, a strict check failed, a socket would not bind. */
    public static final int FAILED = 1;
    /** Bad usage: an unknown option, a value out of range, an unreachable target. Nothing ran. */
    public static final int USAGE = 2;

    private Cli() {
    }

    /**
     * Runs a picocli command with the one-line error policy and returns its exit code.
     * {@link IllegalArgumentException}s thrown by the command count as usage errors.
     */
    public static int run(Object command, String... args) {
        return run(command, new PrintWriter(System.err, true), args);
    }

    /** As {@link #run(Object, String...)}, with errors and usage problems going to {@code err}. */
    public static int run(Object command, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(command);
        commandLine.setErr(err);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler((e, ignored) -> usageError(e.getCommandLine(), e.getMessage()));
        commandLine.setExecutionExceptionHandler((e, cmd, ignored) -> {
            if (e instanceof IllegalArgumentException || e instanceof CommandLine.ParameterException) {
                return usageError(cmd, e.getMessage());
            }
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + describe(e));
            return FAILED;
        });
        return commandLine.execute(args);
    }

    private static int usageError(CommandLine commandLine, String message) {
        PrintWriter err = commandLine.getErr();
        err.println(commandLine.getCommandSpec().qualifiedName() + ": " + firstLine(message) + " (see --help)");
        return USAGE;
    }

    /** The exception's message, or its type when it has none. */
    public static String describe(Throwable e) {
        if (e instanceof FileSystemException file) {
            // Its message is often just the path; say what went wrong with it.
            String reason = file.getReason() != null ? file.getReason() : switch (file) {
                case AccessDeniedException denied -> "permission denied";
                case NoSuchFileException missing -> "no such file or directory";
                case NotDirectoryException notDirectory -> "not a directory";
                case FileAlreadyExistsException exists -> "already exists";
                default -> file.getClass().getSimpleName();
            };
            return reason + " (" + file.getFile() + ")";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : firstLine(message);
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}

package io.loombench.common;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
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
     * Input that is well formed but cannot be used: a target that does not answer, a host that
     * does not resolve, a file that cannot be read or written. Exit code {@link #USAGE} like a
     * usage error (nothing ran), but its line does not point at {@code --help}, which cannot help.
     */
    public static final class InputFailure extends IllegalArgumentException {
        public InputFailure(String message) {
            super(message);
        }
    }

    /**
     * Runs a picocli command with the one-line error policy and returns its exit code.
     * {@link IllegalArgumentException}s thrown by the command count as usage errors, and their
     * line ends with a pointer to {@code --help}; an {@link InputFailure} ends without it.
     * An unknown option gets the nearest known ones suggested, and enum values are listed as
     * they are written on the command line (lowercase).
     */
    public static int run(Object command, String... args) {
        return run(command, new PrintWriter(System.err, true), args);
    }

    /**
     * The command line {@link #run} parses with: enum values as written (lowercase) and in any
     * case. For a caller that checks arguments without running them.
     */
    public static CommandLine commandLine(Object command) {
        CommandLine commandLine = new CommandLine(command);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        LowercaseEnums.register(commandLine);
        return commandLine;
    }

    /** As {@link #run(Object, String...)}, with errors and usage problems going to {@code err}. */
    public static int run(Object command, PrintWriter err, String... args) {
        CommandLine commandLine = commandLine(command);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler((e, ignored) -> usageError(e.getCommandLine(), withSuggestions(e)));
        commandLine.setExecutionExceptionHandler((e, cmd, ignored) -> {
            if (e instanceof InputFailure failure) {
                cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + firstLine(failure.getMessage()));
                return USAGE;
            }
            if (e instanceof IllegalArgumentException || e instanceof CommandLine.ParameterException) {
                return usageError(cmd, e.getMessage());
            }
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + describe(e));
            return FAILED;
        });
        return commandLine.execute(args);
    }

    /**
     * The message, in the command's words where picocli's are not: an unknown first word of a
     * command that has subcommands is an unknown command, with the commands listed; an unknown
     * option is named alone, without the value after it that picocli also reports as unmatched,
     * with the nearest known ones ({@code --modle}: did you mean {@code --model}?).
     */
    private static String withSuggestions(CommandLine.ParameterException e) {
        if (!(e instanceof CommandLine.UnmatchedArgumentException unmatched) || unmatched.getUnmatched().isEmpty()) {
            return firstLine(e.getMessage());
        }
        List<String> words = unmatched.getUnmatched();
        List<String> commands = visibleSubcommands(e.getCommandLine());
        if (!words.getFirst().startsWith("-") && !commands.isEmpty()) {
            return "unknown command '" + words.getFirst() + "'; the commands are " + String.join(", ", commands);
        }
        List<String> options = words.stream().filter(word -> word.startsWith("-")).map(word -> "'" + word + "'").toList();
        String message = options.isEmpty() ? firstLine(e.getMessage())
                : (options.size() == 1 ? "Unknown option: " : "Unknown options: ") + String.join(", ", options);
        List<String> suggestions = unmatched.getSuggestions();
        if (suggestions.isEmpty()) {
            return message;
        }
        return message + "; did you mean " + String.join(" or ", suggestions.subList(0, Math.min(3, suggestions.size()))) + "?";
    }

    private static List<String> visibleSubcommands(CommandLine commandLine) {
        return commandLine.getSubcommands().entrySet().stream()
                .filter(entry -> !entry.getValue().getCommandSpec().usageMessage().hidden())
                .map(Map.Entry::getKey).distinct().toList();
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

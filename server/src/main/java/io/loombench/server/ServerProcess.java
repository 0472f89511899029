package io.loombench.server;

import io.loombench.common.ProcessUsage;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under test in a JVM of its own, so that its memory, threads and CPU time are its own
 * and can be read from {@code /proc/<pid>}. Started from a command line, it is ready when it
 * prints its ready line ({@code listening on <transport>://<host>:<port> ...}, the line
 * {@link ServerMain} prints and that a reference server started this way must print too); it is
 * stopped with SIGTERM, which the loombench server answers with a graceful shutdown and a
 * {@code stopped:} line.
 *
 * <p>Optionally pinned: with {@link Builder#cpus(String)} the JVM is started under
 * {@code taskset -c <cpus>}, so from its first instruction it runs only there, and its
 * {@link Runtime#availableProcessors()} (and so its GC and JIT threads, and the NIO model's default
 * loop count) reflect that share.
 *
 * <p>Two daemon threads drain the child's stdout and stderr for its whole life, so it never blocks
 * on a full pipe; what it prints is kept (stderr: its last {@value #STDERR_LINES_KEPT} lines) and,
 * with {@link Builder#log(Path)}, copied to a file.
 */
public final class ServerProcess implements AutoCloseable {
    /** The ready line: transport, host (IPv6 in brackets), port, then anything. */
    public static final Pattern READY_LINE = Pattern.compile("listening on (tcp|udp)://(\\[[0-9a-fA-F:.]+]|[^:\\s]+):(\\d+)(?: .*)?");
    private static final int STDERR_LINES_KEPT = 1000;
    private static final Duration READER_JOIN = Duration.ofSeconds(10);

    private final Process process;
    private final List<String> command;
    private final List<String> preamble = new ArrayList<>();
    private final List<String> output = new ArrayList<>();
    private final Deque<String> stderr = new ArrayDeque<>();
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private final Writer log;
    private final Thread stdoutReader;
    private final Thread stderrReader;
    private InetSocketAddress address;
    private String transport;

    private ServerProcess(Process process, List<String> command, Writer log) {
        this.process = process;
        this.command = List.copyOf(command);
        this.log = log;
        this.stdoutReader = drain(process.getInputStream(), "server-stdout-" + process.pid(), this::onStdout);
        this.stderrReader = drain(process.getErrorStream(), "server-stderr-" + process.pid(), this::onStderr);
    }

    /** A builder for the server jar or main class and its arguments; {@link Builder#start()} launches. */
    public static Builder builder() {
        return new Builder();
    }

    /** Where the server listens, as its ready line announced it. */
    public InetSocketAddress address() {
        return address;
    }

    /** {@code tcp} or {@code udp}, from the ready line. */
    public String transport() {
        return transport;
    }

    public long pid() {
        return process.pid();
    }

    /** The full command line the child was started with. */
    public List<String> command() {
        return command;
    }

    /** The ready line itself. */
    public String readyLine() {
        return ready.getNow("");
    }

    /** What the child printed on stdout before its ready line (the JVM's own notes, such as its effective flags). */
    public synchronized List<String> preamble() {
        return List.copyOf(preamble);
    }

    /** What the child printed on stdout after its ready line, so far. */
    public synchronized List<String> output() {
        return List.copyOf(output);
    }

    /** The last lines the child printed on stderr, so far. */
    public synchronized List<String> stderr() {
        return List.copyOf(stderr);
    }

    /** The {@code stopped: ...} line, once the server has printed it. */
    public synchronized Optional<String> stoppedLine() {
        return output.stream().filter(line -> line.startsWith("stopped:")).findFirst();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** The child's resident memory, threads and CPU time now, from {@code /proc}. */
    public ProcessUsage usage() throws IOException {
        return ProcessUsage.of(process.pid());
    }

    /**
     * Sends SIGTERM through the process handle; {@link Process#destroy()} sends the same signal but
     * also closes our ends of the child's pipes, losing what it prints while it shuts down.
     */
    public void signalStop() {
        process.toHandle().destroy();
    }

    /**
     * Waits up to {@code timeout} for the child to exit, then kills it if it has not, and waits
     * for what it printed to be read.
     *
     * @return the exit status (128 + signal for a JVM ended by one)
     */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            process.destroyForcibly();
            process.waitFor(READER_JOIN.toNanos(), TimeUnit.NANOSECONDS);
        }
        stdoutReader.join(READER_JOIN);
        stderrReader.join(READER_JOIN);
        closeLog();
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** SIGTERM, then {@link #awaitExit(Duration) awaitExit(grace)}. */
    public int stop(Duration grace) throws InterruptedException {
        signalStop();
        return awaitExit(grace);
    }

    /** Stops the child if it still runs, allowing it 30 s to shut down gracefully. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop(Duration.ofSeconds(30));
        } else {
            awaitExit(Duration.ZERO);
        }
    }

    private synchronized void onStdout(String line) {
        writeLog(line);
        if (ready.isDone()) {
            output.add(line);
            return;
        }
        Matcher matcher = READY_LINE.matcher(line);
        if (!matcher.matches()) {
            preamble.add(line);
            return;
        }
        String host = matcher.group(2);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        transport = matcher.group(1);
        address = new InetSocketAddress(host, Integer.parseInt(matcher.group(3)));
        ready.complete(line);
    }

    private synchronized void onStderr(String line) {
        writeLog("stderr: " + line);
        if (stderr.size() == STDERR_LINES_KEPT) {
            stderr.removeFirst();
        }
        stderr.addLast(line);
    }

    private void writeLog(String line) {
        if (log == null) {
            return;
        }
        try {
            log.write(line);
            log.write('\n');
        } catch (IOException e) {
            // A full disk must not take the server down with it; the lines stay in memory.
        }
    }

    private synchronized void closeLog() {
        if (log != null) {
            try {
                log.close();
            } catch (IOException ignored) {
                // As above: the log is a copy.
            }
        }
    }

    private static Thread drain(InputStream stream, String name, Consumer<String> sink) {
        return Thread.ofPlatform().daemon().name(name).start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    sink.accept(line);
                }
            } catch (IOException ignored) {
                // The child is gone; what it printed has been taken.
            }
        });
    }

    /** Waits for the ready line; on failure kills the child and says why in one line. */
    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        process.onExit().thenRun(() -> {
            try {
                stdoutReader.join(READER_JOIN);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ready.completeExceptionally(new IOException("exited with status " + process.exitValue() + " before it was ready"));
        });
        try {
            ready.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            String why = e instanceof TimeoutException ? "printed no ready line within " + timeout.toSeconds() + " s" : e.getCause().getMessage();
            process.destroyForcibly();
            awaitExit(READER_JOIN);
            List<String> err = stderr();
            throw new IOException("server " + why + (err.isEmpty() ? "" : ": " + err.get(err.size() - 1)) + " (command: " + String.join(" ", command) + ")");
        }
    }

    /**
     * How to start a server child. The defaults: this JVM's own {@code java} binary, no JVM
     * flags, no pinning, 60 s to become ready (a JVM starting on a loaded 2-core machine).
     */
    public static final class Builder {
        private Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        private final List<String> jvmArgs = new ArrayList<>();
        private List<String> launch;
        private final List<String> args = new ArrayList<>();
        private String cpus;
        private Duration readyTimeout = Duration.ofSeconds(60);
        private Path log;

        private Builder() {
        }

        /** The {@code java} binary to run the server on (say a JDK 21 while the harness runs on 25). */
        public Builder java(Path value) { java = Objects.requireNonNull(value); return this; }
        /** JVM flags, before the jar or main class. */
        public Builder jvmArgs(List<String> values) { jvmArgs.addAll(values); return this; }
        /** Runs {@code java -jar jar}. */
        public Builder jar(Path jar) { launch = List.of("-jar", jar.toString()); return this; }
        /** Runs {@code java -cp classpath mainClass}. */
        public Builder mainClass(String classpath, String mainClass) { launch = List.of("-cp", classpath, mainClass); return this; }
        /** The server's own arguments, after the jar or main class. */
        public Builder args(List<String> values) { args.addAll(values); return this; }
        /** Pins the child to these CPUs ({@code taskset -c} syntax: {@code 1}, {@code 2-3}, {@code 0,2}); null for no pinning. */
        public Builder cpus(String value) { cpus = value; return this; }
        public Builder readyTimeout(Duration value) { readyTimeout = Objects.requireNonNull(value); return this; }
        /** Copies everything the child prints (stderr lines prefixed {@code stderr: }) to this file. */
        public Builder log(Path value) { log = value; return this; }

        /** The command line {@link #start()} runs. */
        public List<String> command() {
            if (launch == null) {
                throw new IllegalStateException("give the server's jar or main class");
            }
            List<String> command = new ArrayList<>();
            if (cpus != null) {
                command.addAll(List.of("taskset", "-c", cpus));
            }
            command.add(java.toString());
            command.addAll(jvmArgs);
            command.addAll(launch);
            command.addAll(args);
            return command;
        }

        /**
         * Starts the child and returns once it has printed its ready line.
         *
         * @throws IOException if it cannot start, exits first, or is not ready in time (it is then
         *                     killed; the message names the reason, its last stderr line and the command)
         */
        public ServerProcess start() throws IOException, InterruptedException {
            List<String> command = command();
            Writer logWriter = null;
            if (log != null) {
                Files.createDirectories(log.toAbsolutePath().getParent());
                logWriter = new BufferedWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8));
                // The home directory as ~ (a class path from the local Maven repository names it
                // many times), so that a log committed with results names no account on any machine.
                String home = System.getProperty("user.home");
                String shown = String.join(" ", command);
                logWriter.write("command: " + (home.length() > 1 ? shown.replace(home + "/", "~/") : shown) + "\n");
            }
            Process process;
            try {
                process = new ProcessBuilder(command).start();
            } catch (IOException e) {
                if (logWriter != null) {
                    logWriter.close();
                }
                String tool = cpus != null ? "taskset (util-linux) or " + java : java.toString();
                throw new IOException("cannot start the server: " + e.getMessage() + "; is " + tool + " installed?", e);
            }
            ServerProcess server = new ServerProcess(process, command, logWriter);
            server.awaitReady(readyTimeout);
            return server;
        }
    }
}

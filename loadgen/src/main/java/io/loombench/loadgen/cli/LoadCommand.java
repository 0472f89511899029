package io.loombench.loadgen.cli;

import io.loombench.common.Cli;
import io.loombench.loadgen.FileLimit;
import io.loombench.loadgen.LocalPorts;
import io.loombench.loadgen.IntervalStats;
import io.loombench.loadgen.LoadListener;
import io.loombench.loadgen.LoadResult;
import io.loombench.loadgen.LoadSpec;
import io.loombench.loadgen.Start;
import io.loombench.loadgen.TargetProbe;
import io.loombench.loadgen.engine.LoadRun;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What every protocol's command does: build the spec, check the target answers, run with a
 * progress line, print the summary, write the requested files, and choose the exit code.
 *
 * <p>Exit codes: 0 when every request succeeded, 1 when any failed (or, with {@code --strict},
 * when the run fell short of what was asked, or when the generator itself failed, which gives no
 * result at all), 2 for bad input, more connections than the process can open, or an unreachable
 * target. With {@code --find-capacity} the runs are a {@link CapacityFinder}'s, with its exit codes.
 */
abstract class LoadCommand implements Callable<Integer> {
    @Mixin
    RunOptions options;

    @Spec
    CommandSpec command;

    /** The spec for this protocol and target, with the shared options applied. */
    abstract LoadSpec spec();

    /** The target as the user wrote it, for titles. */
    abstract String targetText();

    @Override
    public Integer call() throws IOException, InterruptedException {
        LoadSpec spec = spec();
        OutputFiles outputs = options.outputs;
        outputs.requireDistinct();
        try {
            FileLimit.requireRoomFor(spec);
        } catch (IllegalArgumentException e) {
            throw new Cli.InputFailure(e.getMessage());
        }
        LocalPorts.read().flatMap(ports -> ports.openingNote(spec)).ifPresent(note -> System.err.println("loadgen: note: " + note));
        try {
            TargetProbe.check(spec.protocol(), spec.target(), spec.connectTimeout());
        } catch (IOException e) {
            throw new Cli.InputFailure("cannot reach " + targetText() + ": " + Cli.describe(e));
        }
        String title = command.qualifiedName() + " " + targetText();
        PrintStream out = System.out;
        if (options.findCapacity != null) {
            try (AtomicFile json = outputs.json == null ? null : OutputFiles.open("--json", outputs.json)) {
                return new CapacityFinder(spec, options, progress(), out).run(title, json, commandLine());
            }
        }
        // Every output file is opened before the run, so one that cannot be written stops the
        // command at once with exit code 2, not after a long run.
        try (HlogWriter hlog = outputs.hlog == null ? null : new HlogWriter(OutputFiles.open("--hlog", outputs.hlog), hlogComments(spec, title));
             AtomicFile json = outputs.json == null ? null : OutputFiles.open("--json", outputs.json);
             AtomicFile hgrm = outputs.hgrm == null ? null : OutputFiles.open("--hgrm", outputs.hgrm)) {
            LoadRun run;
            try {
                run = LoadRun.start(spec);
            } catch (IllegalArgumentException e) {
                throw new Cli.InputFailure(e.getMessage());
            }
            Interruption interruption = Interruption.install(run::stop);
            // Any other way the JVM is asked to end (SIGHUP, System.exit elsewhere) still lets the
            // run stop and its files be written before it does.
            CountDownLatch reported = new CountDownLatch(1);
            Thread stopOnExit = new Thread(() -> {
                run.stop();
                awaitQuietly(reported, spec.timeout().toMillis() + 10_000);
            }, "loadgen-stop");
            Runtime.getRuntime().addShutdownHook(stopOnExit);
            try {
                LoadResult result = run.await(listeners(hlog));
                Optional<String> signal = interruption.signal();
                int exitCode = signal.isPresent() ? interruption.exitCode() : exitCode(result);
                out.print(Summary.format(result, title, signal));
                out.flush();
                writeFiles(result, exitCode, signal, hlog, json, hgrm);
                if (exitCode == Cli.FAILED) {
                    command.commandLine().getErr().println(command.qualifiedName() + ": FAILED: " + failure(result));
                }
                return exitCode;
            } finally {
                reported.countDown();
                removeHook(stopOnExit);
            }
        }
    }

    /** What ran, and what a merge checks: the shard, the spec's hash and the fixed start. */
    private static List<String> hlogComments(LoadSpec spec, String title) {
        List<String> comments = new ArrayList<>();
        comments.add(title);
        comments.add("shard " + spec.shard() + " of spec " + SpecJson.hash(SpecJson.write(spec)));
        if (spec.start() instanceof Start.At at) {
            comments.add("start-at " + at.instant());
        }
        return comments;
    }

    /** The progress line on stderr, when it is a terminal and not {@code --quiet}. */
    private LoadListener progress() {
        return !options.quiet && Terminal.stderrIsTerminal() ? new Progress(System.err) : LoadListener.NONE;
    }

    private LoadListener listeners(HlogWriter hlog) {
        List<LoadListener> listeners = new ArrayList<>();
        listeners.add(progress());
        if (hlog != null) {
            listeners.add(hlog);
        }
        return (IntervalStats interval) -> listeners.forEach(listener -> listener.onInterval(interval));
    }

    /** Why the run failed, in one line: its errors by kind, or, with {@code --strict}, how it fell short. */
    private static String failure(LoadResult result) {
        if (result.failed()) {
            return String.format(Locale.ROOT, "%,d requests or connection attempts failed (%s)", result.totalErrors(),
                    Summary.errors(result.errors()));
        }
        return "--strict, and " + result.warnings().getFirst();
    }

    private int exitCode(LoadResult result) {
        if (result.failed() || (options.strict && !result.warnings().isEmpty())) {
            return Cli.FAILED;
        }
        return Cli.OK;
    }

    private void writeFiles(LoadResult result, int exitCode, Optional<String> signal, HlogWriter hlog, AtomicFile json,
                            AtomicFile hgrm) throws IOException {
        if (hlog != null) {
            hlog.commit();
        }
        if (json != null) {
            JsonReport.write(result, String.join(" ", commandLine()), exitCode, signal, json.stream());
            json.commit();
        }
        if (hgrm != null) {
            OutputFiles.writeHgrm(result.response(), hgrm);
        }
    }

    private List<String> commandLine() {
        List<String> words = new ArrayList<>();
        words.add("loadgen");
        words.addAll(command.commandLine().getParseResult().originalArgs());
        return words;
    }

    private static void awaitQuietly(CountDownLatch latch, long millis) {
        try {
            latch.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: the hook is running and waits for us.
        }
    }
}

package io.loombench.loadgen.cli;

import io.loombench.common.Cli;
import io.loombench.common.Environment;
import io.loombench.loadgen.LoadResult;
import io.loombench.loadgen.LoadSpec;
import io.loombench.loadgen.Phase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code loadgen merge}: the {@code --json} outputs of a run's shards combined into the whole
 * run's summary, JSON, hgrm and hlog, exactly as one process would have written them had it made
 * the whole load ({@link ShardMerge} says how).
 */
@Command(name = "merge", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true, version = LoadgenMain.VERSION,
        description = {"Combines the --json outputs of the shards of one run (--shard I/N) into the whole run's summary, and its --json,"
                + " --hlog and --hgrm if asked: counts and errors summed, histograms added (the merged percentiles are those of every"
                + " value any shard recorded), intervals added second by second on one timeline.",
                "Refuses, one line each, files of different specs, a shard given twice, files that overlap and, without --allow-missing,"
                        + " missing shards."},
        footer = {"", "Example:", "  loadgen merge shard-0.json shard-1.json shard-2.json --json merged.json --hlog merged.hlog", "",
                "Exit codes: 0 no request failed in any shard; 1 some did (or --strict and the merged run fell short);"
                        + " 2 files that cannot be read or merged."})
final class MergeCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "The shards' --json outputs (or earlier merges of some of them).")
    List<Path> files = new ArrayList<>();

    @Option(names = "--allow-missing", description = "Merge even when some of the run's shards are not among FILE; the summary says which.")
    boolean allowMissing;

    @Option(names = "--strict", description = "Exit 1 when the merged run carries any warning (a shard short of its rate, late, missing).")
    boolean strict;

    @Mixin
    OutputFiles outputs = new OutputFiles();

    @Spec
    CommandSpec command;

    @Override
    public Integer call() throws IOException {
        outputs.requireDistinct();
        List<RunFile> runs = files.stream().map(RunFile::read).toList();
        for (RunFile run : runs) {
            for (Path output : new Path[] {outputs.json, outputs.hlog, outputs.hgrm}) {
                if (output != null && output.toAbsolutePath().normalize().equals(run.path().toAbsolutePath().normalize())) {
                    throw new Cli.InputFailure(output + " is both an input and an output");
                }
            }
        }
        List<String> problems = ShardMerge.check(runs, allowMissing);
        if (!problems.isEmpty()) {
            problems.forEach(problem -> command.commandLine().getErr().println(command.qualifiedName() + ": " + problem));
            return Cli.USAGE;
        }
        LoadResult merged = ShardMerge.merge(runs, Environment.capture());
        Coverage coverage = ShardMerge.coverage(runs);
        int exitCode = merged.failed() || (strict && !merged.warnings().isEmpty()) ? Cli.FAILED : Cli.OK;
        String title = command.qualifiedName() + " " + describeTarget(merged.spec());
        PrintStream out = System.out;
        out.print(header(runs, coverage, runs.getFirst().specHash()));
        out.print(Summary.format(merged, title, Optional.empty()));
        out.flush();
        writeFiles(merged, runs, coverage, exitCode, title);
        if (exitCode == Cli.FAILED) {
            command.commandLine().getErr().println(command.qualifiedName() + ": FAILED: " + (merged.failed()
                    ? String.format(Locale.ROOT, "%,d requests or connection attempts failed (%s)", merged.totalErrors(), Summary.errors(merged.errors()))
                    : "--strict, and " + merged.warnings().getFirst()));
        }
        return exitCode;
    }

    /** A line for the merge and one per file: which shard, where it ran, what it did. */
    private static String header(List<RunFile> runs, Coverage coverage, String specHash) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "merged %d of %d shards of spec %s%s%n", coverage.present().size(), coverage.count(), specHash,
                coverage.missing().isEmpty() ? "" : "; missing: " + ShardMerge.list(coverage.missing())));
        text.append(String.format(Locale.ROOT, "  %-8s%-20s%-26s%12s%12s%10s%6s  %s%n", "shard", "host", "measured from", "conns", "answered",
                "p99 ms", "exit", "file"));
        for (RunFile run : runs) {
            LoadResult result = run.result();
            text.append(String.format(Locale.ROOT, "  %-8s%-20s%-26s%,12d%,12d%10.3f%6d  %s%n", ShardMerge.list(run.coverage().present()),
                    truncate(run.hostname(), 19), result.measuredStart(), result.peakConnections(), result.completed(),
                    result.response().getTotalCount() == 0 ? 0.0 : result.response().getValueAtPercentile(99) / 1000.0,
                    run.exitCode(), run.path()));
        }
        text.append('\n');
        return text.toString();
    }

    private void writeFiles(LoadResult merged, List<RunFile> runs, Coverage coverage, int exitCode, String title) throws IOException {
        if (outputs.json != null) {
            try (AtomicFile json = OutputFiles.open("--json", outputs.json)) {
                Map<String, Object> tree = JsonReport.tree(merged, commandLine(), exitCode, Optional.empty(), coverage);
                tree.put("mergedFrom", runs.stream().map(MergeCommand::source).toList());
                JsonReport.write(tree, json.stream());
                json.commit();
            }
        }
        if (outputs.hlog != null) {
            List<String> comments = List.of(title, "shards " + ShardMerge.list(coverage.present()) + " of " + coverage.count()
                    + " of spec " + runs.getFirst().specHash());
            try (HlogWriter hlog = new HlogWriter(OutputFiles.open("--hlog", outputs.hlog), comments)) {
                for (LoadResult.IntervalSummary interval : merged.intervals()) {
                    if (interval.phase() == Phase.MEASURING || interval.phase() == Phase.DRAINING) {
                        hlog.onInterval(ShardMerge.toIntervalStats(interval, merged.startedAt()));
                    }
                }
                hlog.commit();
            }
        }
        if (outputs.hgrm != null) {
            try (AtomicFile hgrm = OutputFiles.open("--hgrm", outputs.hgrm)) {
                OutputFiles.writeHgrm(merged.response(), hgrm);
            }
        }
    }

    private static Map<String, Object> source(RunFile run) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("file", run.path().toString());
        map.put("shards", run.coverage().present());
        map.put("hostname", run.hostname());
        map.put("startedAt", run.result().startedAt().toString());
        map.put("measuredStart", run.result().measuredStart().toString());
        map.put("lateSeconds", run.result().lateSeconds());
        map.put("exitCode", run.exitCode());
        map.put("interrupted", run.interrupted());
        map.put("completed", run.result().completed());
        return map;
    }

    private static String describeTarget(LoadSpec spec) {
        String address = spec.target().getAddress().getHostAddress() + ":" + spec.target().getPort();
        return switch (spec.protocol()) {
            case HTTP -> "http " + address + spec.http().target();
            case TCP_ECHO -> "tcp " + address;
            case UDP_ECHO -> "udp " + address;
        };
    }

    private static String truncate(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length - 1) + "~";
    }

    private String commandLine() {
        List<String> words = new ArrayList<>();
        words.add("loadgen");
        words.addAll(command.commandLine().getParseResult().originalArgs());
        return String.join(" ", words);
    }
}

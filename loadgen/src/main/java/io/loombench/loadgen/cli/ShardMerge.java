package io.loombench.loadgen.cli;

import io.loombench.common.CpuSteal;
import io.loombench.common.Environment;
import io.loombench.loadgen.EncodedHistograms;
import io.loombench.loadgen.LoadError;
import io.loombench.loadgen.IntervalStats;
import io.loombench.loadgen.LatencyHistograms;
import io.loombench.loadgen.LoadResult;
import io.loombench.loadgen.LoadSpec;
import io.loombench.loadgen.Phase;
import io.loombench.loadgen.Start;
import org.HdrHistogram.Histogram;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The outputs of a run's shards combined into the output of the whole run, with nothing
 * resampled: counts and errors are summed, histograms added (HdrHistogram addition, exact, so the
 * merged percentiles are those of one histogram holding every value any shard recorded), and
 * intervals added on one absolute timeline, second by second from the earliest measured start.
 *
 * <p>{@link #check} refuses, with one line per problem, outputs that are not shards of one run:
 * different specs, a shard given twice, files that overlap (a merge and one of the shards it
 * holds), and, unless allowed, missing shards.
 */
final class ShardMerge {
    private ShardMerge() {
    }

    /**
     * What is wrong with merging {@code files}, one line each; empty when they can be merged.
     *
     * @param allowMissing merge even when some of the run's shards are not among the files
     */
    static List<String> check(List<RunFile> files, boolean allowMissing) {
        List<String> problems = new ArrayList<>();
        RunFile first = files.getFirst();
        Map<Path, RunFile> byPath = new HashMap<>();
        Map<Integer, RunFile> byShard = new TreeMap<>();
        for (RunFile file : files) {
            RunFile same = byPath.putIfAbsent(file.path().toAbsolutePath().normalize(), file);
            if (same != null) {
                problems.add(file.path() + " is given twice");
                continue;
            }
            if (!file.specHash().equals(first.specHash()) || file.coverage().count() != first.coverage().count()) {
                problems.add(String.format(Locale.ROOT, "%s is of spec %s in %d shards, %s of spec %s in %d: not shards of one run",
                        file.path(), file.specHash(), file.coverage().count(), first.path(), first.specHash(), first.coverage().count()));
                continue;
            }
            for (int shard : file.coverage().present()) {
                RunFile holder = byShard.putIfAbsent(shard, file);
                if (holder != null) {
                    problems.add(holder.coverage().present().size() == 1 && file.coverage().present().size() == 1
                            ? String.format(Locale.ROOT, "shard %d/%d is in both %s and %s", shard, first.coverage().count(), holder.path(), file.path())
                            : String.format(Locale.ROOT, "%s and %s overlap: both hold shard %d/%d", holder.path(), file.path(), shard,
                            first.coverage().count()));
                }
            }
        }
        if (problems.isEmpty() && !allowMissing) {
            List<Integer> missing = coverage(files).missing();
            if (!missing.isEmpty()) {
                problems.add(String.format(Locale.ROOT, "shard%s %s of %d missing (--allow-missing merges without %s)",
                        missing.size() == 1 ? "" : "s", list(missing), first.coverage().count(), missing.size() == 1 ? "it" : "them"));
            }
        }
        return problems;
    }

    /** The shards the files hold together. */
    static Coverage coverage(List<RunFile> files) {
        TreeSet<Integer> present = new TreeSet<>();
        files.forEach(file -> present.addAll(file.coverage().present()));
        return new Coverage(files.getFirst().coverage().count(), List.copyOf(present));
    }

    /**
     * The whole run's result from files that {@link #check} accepted.
     *
     * @param environment where the merge ran, which the result records
     */
    static LoadResult merge(List<RunFile> files, Environment environment) {
        List<LoadResult> results = files.stream().map(RunFile::result).toList();
        LoadSpec spec = results.getFirst().spec().toBuilder().threads(files.stream().mapToInt(RunFile::threads).sum()).build();
        Map<LoadError, Long> errors = new EnumMap<>(LoadError.class);
        Map<String, Long> statusClasses = new TreeMap<>();
        Histogram response = LatencyHistograms.newHistogram();
        Histogram service = LatencyHistograms.newHistogram();
        Histogram sendLag = LatencyHistograms.newHistogram();
        for (LoadResult result : results) {
            result.errors().forEach((kind, count) -> errors.merge(kind, count, Long::sum));
            result.statusClasses().forEach((statusClass, count) -> statusClasses.merge(statusClass, count, Long::sum));
            response.add(result.response());
            service.add(result.service());
            sendLag.add(result.sendLag());
        }
        Instant startedAt = results.stream().map(LoadResult::startedAt).min(Comparator.naturalOrder()).orElseThrow();
        Instant measuredStart = results.stream().map(LoadResult::measuredStart).min(Comparator.naturalOrder()).orElseThrow();
        Instant measuredEnd = results.stream().map(r -> r.measuredStart().plusNanos(Math.round(r.measuredSeconds() * 1e9)))
                .max(Comparator.naturalOrder()).orElseThrow();
        List<LoadResult.IntervalSummary> intervals = intervals(results, startedAt, measuredStart);
        long peak = intervals.stream().mapToLong(LoadResult.IntervalSummary::peakConnections).max()
                .orElse(results.stream().mapToLong(LoadResult::peakConnections).sum());
        return new LoadResult(spec, environment, startedAt, measuredStart,
                results.stream().mapToDouble(LoadResult::lateSeconds).max().orElse(0),
                results.stream().mapToDouble(LoadResult::openingSeconds).max().orElse(0),
                Duration.between(measuredStart, measuredEnd).toNanos() / 1e9,
                sum(results, LoadResult::requested), sum(results, LoadResult::sent), sum(results, LoadResult::completed),
                sum(results, LoadResult::unsent), errors, new LinkedHashMap<>(statusClasses), sum(results, LoadResult::bytesSent),
                sum(results, LoadResult::bytesReceived), peak, sum(results, LoadResult::connects),
                sum(results, LoadResult::stalledConnects), sum(results, LoadResult::reordered), sum(results, LoadResult::late),
                response, service, sendLag, intervals, results.stream().anyMatch(LoadResult::stoppedEarly),
                // The worst shard's: a stolen generator delays its own connections' sends, and
                // those delays are in the merged percentiles.
                results.stream().flatMap(result -> result.cpuSteal().stream()).max(Comparator.comparingDouble(CpuSteal.Share::share)),
                warnings(files, measuredStart));
    }

    /**
     * The shards' intervals added second by second on the wall clock: an interval belongs to the
     * second, counted from the earliest measured start, nearest its start. Shards that share a
     * {@code --start-at} have their measured seconds at the same instants, so each merged second
     * holds one interval of each shard. (A short first or last interval can share its second with
     * a neighbour of the same shard.)
     */
    private static List<LoadResult.IntervalSummary> intervals(List<LoadResult> results, Instant startedAt, Instant origin) {
        TreeMap<Long, Map<Integer, List<LoadResult.IntervalSummary>>> bySecond = new TreeMap<>();
        for (int shard = 0; shard < results.size(); shard++) {
            for (LoadResult.IntervalSummary interval : results.get(shard).intervals()) {
                long second = Math.floorDiv(interval.startMillis() - origin.toEpochMilli() + 500, 1000);
                bySecond.computeIfAbsent(second, s -> new TreeMap<>()).computeIfAbsent(shard, s -> new ArrayList<>()).add(interval);
            }
        }
        List<LoadResult.IntervalSummary> merged = new ArrayList<>();
        for (Map<Integer, List<LoadResult.IntervalSummary>> byShard : bySecond.values()) {
            merged.add(add(byShard, startedAt));
        }
        return merged;
    }

    /**
     * One second of the merged run: its shards' intervals added, except the connections at peak,
     * which are each shard's highest in the second, added.
     */
    private static LoadResult.IntervalSummary add(Map<Integer, List<LoadResult.IntervalSummary>> byShard, Instant startedAt) {
        List<LoadResult.IntervalSummary> parts = byShard.values().stream().flatMap(List::stream).toList();
        long start = parts.stream().mapToLong(LoadResult.IntervalSummary::startMillis).min().orElseThrow();
        long end = parts.stream().mapToLong(LoadResult.IntervalSummary::endMillis).max().orElseThrow();
        Histogram response = LatencyHistograms.newHistogram();
        Histogram service = LatencyHistograms.newHistogram();
        Histogram sendLag = LatencyHistograms.newHistogram();
        long completed = 0;
        long errors = 0;
        long peak = 0;
        Phase phase = Phase.OPENING;
        for (LoadResult.IntervalSummary part : parts) {
            response.add(part.histograms().decodedResponse());
            service.add(part.histograms().decodedService());
            sendLag.add(part.histograms().decodedSendLag());
            completed += part.completed();
            errors += part.errors();
            phase = later(phase, part.phase());
        }
        for (List<LoadResult.IntervalSummary> shard : byShard.values()) {
            peak += shard.stream().mapToLong(LoadResult.IntervalSummary::peakConnections).max().orElse(0);
        }
        boolean measured = response.getTotalCount() > 0;
        double seconds = (end - start) / 1000.0;
        return new LoadResult.IntervalSummary(start, end, (end - startedAt.toEpochMilli()) / 1000.0, phase,
                seconds > 0 ? completed / seconds : 0, completed, errors, peak,
                measured ? response.getValueAtPercentile(50) : 0, measured ? response.getValueAtPercentile(99) : 0,
                measured ? response.getMaxValue() : 0, EncodedHistograms.of(response, service, sendLag));
    }

    /** A second measured by any shard is measured; otherwise it is in the phase the furthest shard is in. */
    private static Phase later(Phase a, Phase b) {
        if (a == Phase.MEASURING || b == Phase.MEASURING) {
            return Phase.MEASURING;
        }
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** A merged interval as the interval log takes it, its histograms stamped with its start and end. */
    static IntervalStats toIntervalStats(LoadResult.IntervalSummary interval, Instant startedAt) {
        Histogram response = interval.histograms().decodedResponse();
        Histogram service = interval.histograms().decodedService();
        Histogram sendLag = interval.histograms().decodedSendLag();
        for (Histogram histogram : List.of(response, service, sendLag)) {
            histogram.setStartTimeStamp(interval.startMillis());
            histogram.setEndTimeStamp(interval.endMillis());
        }
        double seconds = (interval.endMillis() - interval.startMillis()) / 1000.0;
        return new IntervalStats(interval.startMillis(), (interval.endMillis() - startedAt.toEpochMilli()) / 1000.0, seconds,
                interval.phase(), interval.completed(), interval.errors(), interval.peakConnections(), interval.peakConnections(),
                response, service, sendLag);
    }

    /** Each shard's warnings, under its name, and what the merge itself notices. */
    private static List<String> warnings(List<RunFile> files, Instant origin) {
        List<String> warnings = new ArrayList<>();
        Coverage coverage = coverage(files);
        if (!coverage.missing().isEmpty()) {
            warnings.add(String.format(Locale.ROOT, "shard%s %s of %d missing: this is %d of the run's %d shards, and its counts and rate"
                            + " are theirs alone", coverage.missing().size() == 1 ? "" : "s", list(coverage.missing()), coverage.count(),
                    coverage.present().size(), coverage.count()));
        }
        long spreadMillis = files.stream().mapToLong(f -> f.result().measuredStart().toEpochMilli() - origin.toEpochMilli()).max().orElse(0);
        if (spreadMillis > Start.LATE_TOLERANCE_MILLIS) {
            warnings.add(String.format(Locale.ROOT, "the shards' measured periods began up to %.3f s apart%s: the merged period spans them all,"
                    + " and its rate is over that span", spreadMillis / 1000.0,
                    files.getFirst().result().spec().start() instanceof Start.At ? "" : " (they had no common --start-at)"));
        }
        for (RunFile file : files) {
            String name = "shard " + list(file.coverage().present()) + " (" + file.path().getFileName() + ")";
            if (file.interrupted()) {
                warnings.add(name + " was interrupted");
            }
            file.result().warnings().forEach(warning -> warnings.add(name + ": " + warning));
        }
        return warnings;
    }

    private static long sum(List<LoadResult> results, java.util.function.ToLongFunction<LoadResult> value) {
        return results.stream().mapToLong(value).sum();
    }

    static String list(List<Integer> shards) {
        return shards.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}

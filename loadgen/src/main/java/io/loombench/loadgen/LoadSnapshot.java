package io.loombench.loadgen;

import org.HdrHistogram.Histogram;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a run in progress has measured so far, for callers that cut a run into periods of their
 * own (a JMH iteration, for one): take a snapshot at each boundary and subtract the earlier one
 * with {@link #since}. Nothing is lost or counted twice between consecutive snapshots: every
 * latency a worker records lands in exactly one of them.
 *
 * <p>Counts are cumulative from the run's start over every phase. Histograms are cumulative too,
 * in microseconds, and hold what the run measures (requests whose intended send time fell in the
 * measured period, as in {@link LoadResult}); a latency is in the snapshot taken after its answer
 * arrived.
 *
 * @param nanoTime        {@link System#nanoTime()} when the snapshot was taken
 * @param sent            requests written
 * @param completed       answers received
 * @param errors          failures by kind, every kind present
 * @param openConnections connections open at the moment of the snapshot (a gauge, not a count)
 * @param response        response times: answer minus intended send time
 * @param service         service times: answer minus actual send time
 * @param sendLag         send lags (open model only)
 */
public record LoadSnapshot(long nanoTime, long sent, long completed, Map<LoadError, Long> errors,
                           long openConnections, Histogram response, Histogram service, Histogram sendLag) {

    public LoadSnapshot {
        errors = Collections.unmodifiableMap(new EnumMap<>(errors));
    }

    /**
     * What happened between {@code earlier} and this snapshot of the same run: counts and
     * histograms are differences; {@link #openConnections()} is this snapshot's.
     */
    public LoadSnapshot since(LoadSnapshot earlier) {
        Map<LoadError, Long> difference = new EnumMap<>(LoadError.class);
        for (LoadError kind : LoadError.values()) {
            difference.put(kind, errors(kind) - earlier.errors(kind));
        }
        return new LoadSnapshot(nanoTime, sent - earlier.sent, completed - earlier.completed, difference,
                openConnections, minus(response, earlier.response), minus(service, earlier.service),
                minus(sendLag, earlier.sendLag));
    }

    /** Seconds from {@code earlier} to this snapshot. */
    public double secondsSince(LoadSnapshot earlier) {
        return (nanoTime - earlier.nanoTime) / 1e9;
    }

    public long errors(LoadError kind) {
        return errors.getOrDefault(kind, 0L);
    }

    public long totalErrors() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    private static Histogram minus(Histogram later, Histogram earlier) {
        Histogram difference = later.copy();
        difference.subtract(earlier);
        return difference;
    }
}

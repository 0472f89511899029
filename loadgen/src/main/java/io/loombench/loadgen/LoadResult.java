package io.loombench.loadgen;

import io.loombench.common.CpuSteal;
import io.loombench.common.Environment;
import org.HdrHistogram.Histogram;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a run measured. Latency histograms are in microseconds and hold only requests whose
 * intended send time fell in the measured period.
 *
 * @param spec            what was asked for
 * @param environment     where it ran
 * @param startedAt       when the run started
 * @param measuredStart   when its measured period started, on this host's wall clock (the same for every shard
 *                        of a run with a fixed start, to the precision the hosts' clocks agree)
 * @param lateSeconds     with a fixed start ({@link Start.At}), how long after it the last connection first
 *                        opened (or the run ended, if some never did); 0 when in time or without a fixed start
 * @param openingSeconds  how long the opening took: until every connection had opened once, or until it gave up
 * @param measuredSeconds length of the measured period actually run: from its start to its end, or to the
 *                        last send of a request due in it that had to wait past the end for a free
 *                        pipeline slot (shorter if the run was stopped)
 * @param requested       requests the open model asked for in the measured period (0 in the closed model); if the
 *                        run was stopped early, those due in the part that ran ({@code measuredSeconds} of it)
 * @param sent            requests sent, in every phase
 * @param completed       answers to measured requests
 * @param unsent          measured requests that came due but were never sent (connection down or pipeline full)
 * @param errors          failures by kind, every kind present
 * @param statusClasses   HTTP answers by status class ("2xx" ...), in every phase; empty for echo
 * @param bytesSent       bytes written, in every phase
 * @param bytesReceived   bytes read, in every phase
 * @param peakConnections most connections open at the same moment
 * @param connects        successful connection attempts, reconnects included
 * @param stalledConnects connection attempts given up because they were still pending after the stall time
 *                        (the target's listen queue was probably full) and made again; not errors
 * @param reordered       UDP answers that overtook an earlier datagram's answer
 * @param late            UDP answers that came after their datagram was counted lost
 * @param response        response time: answer minus intended send time (corrected for coordinated omission)
 * @param service         service time: answer minus actual send time (what a closed-loop tool reports)
 * @param sendLag         actual send minus the moment the request could be sent (its intended time, or when
 *                        its blocked connection freed a slot): the generator's own delay (empty in the closed model)
 * @param intervals       per-interval summaries, for plots
 * @param stoppedEarly    true when {@code stop()} (or {@code failFast}) ended the run before its measured
 *                        period did: the figures cover only the part that ran
 * @param cpuSteal        the share of the generator's CPUs' time the hypervisor took during the measured period
 *                        (see {@link CpuSteal}); empty where it cannot be read (not Linux, or no whole measured interval)
 * @param warnings        where the run fell short of what was asked; empty when it did not
 */
public record LoadResult(LoadSpec spec, Environment environment, Instant startedAt, Instant measuredStart, double lateSeconds,
                         double openingSeconds, double measuredSeconds,
                         long requested, long sent, long completed, long unsent, Map<LoadError, Long> errors,
                         Map<String, Long> statusClasses, long bytesSent, long bytesReceived, long peakConnections,
                         long connects, long stalledConnects, long reordered, long late, Histogram response, Histogram service,
                         Histogram sendLag, List<IntervalSummary> intervals, boolean stoppedEarly, Optional<CpuSteal.Share> cpuSteal,
                         List<String> warnings) {

    public LoadResult {
        errors = Collections.unmodifiableMap(new EnumMap<>(errors));
        statusClasses = Map.copyOf(statusClasses);
        intervals = List.copyOf(intervals);
        warnings = List.copyOf(warnings);
    }

    /**
     * One interval: its numbers, and its measured histograms, encoded, so that intervals of the
     * shards of a run can be added on one timeline.
     *
     * @param startMillis     wall-clock start of the interval (epoch milliseconds)
     * @param endMillis       wall-clock end of the interval (epoch milliseconds)
     * @param elapsedSeconds  seconds since the start, at the end of the interval
     * @param phase           the phase the interval started in; {@link Phase#MEASURING} if it holds measured answers
     * @param rate            answers per second in the interval, any phase
     * @param completed       answers in the interval, any phase
     * @param errors          errors in the interval
     * @param peakConnections the most connections open at the same moment during the interval
     * @param p50Micros       median measured response time, 0 when none was measured
     * @param p99Micros       99th percentile measured response time, 0 when none was measured
     * @param maxMicros       largest measured response time, 0 when none was measured
     * @param histograms      the interval's measured response, service and send-lag times
     */
    public record IntervalSummary(long startMillis, long endMillis, double elapsedSeconds, Phase phase, double rate,
                                  long completed, long errors, long peakConnections, long p50Micros, long p99Micros,
                                  long maxMicros, EncodedHistograms histograms) {
    }

    /** True when a fixed start came before the last connection first opened, by more than {@link Start#LATE_TOLERANCE}. */
    public boolean startedLate() {
        return lateSeconds > Start.LATE_TOLERANCE.toNanos() / 1e9;
    }

    /** Measured answers per second. */
    public double achievedRate() {
        return measuredSeconds > 0 ? completed / measuredSeconds : 0;
    }

    public long totalErrors() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    public long errors(LoadError kind) {
        return errors.getOrDefault(kind, 0L);
    }

    /** True when the run failed: some request failed or a connection attempt did. */
    public boolean failed() {
        return totalErrors() > 0;
    }
}

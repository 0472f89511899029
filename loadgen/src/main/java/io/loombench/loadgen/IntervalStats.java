package io.loombench.loadgen;

import org.HdrHistogram.Histogram;

/**
 * One reporting interval of a run, merged over all workers: a second, aligned so that one interval
 * ends where the measured period starts (the one before it may be up to 1.5 s), and a last, shorter
 * one when the run ends.
 *
 * @param startMillis    wall-clock start of the interval (epoch milliseconds)
 * @param elapsedSeconds seconds since the run started, at the end of the interval
 * @param seconds        length of the interval
 * @param phase          the phase the interval started in; {@link Phase#MEASURING} if it holds measured answers
 * @param completed      answers received in the interval, in any phase
 * @param errors         errors counted in the interval
 * @param openConnections connections open at the end of the interval
 * @param peakConnections the most connections open at the same moment during the interval
 * @param response       measured response times of the interval, in microseconds from the intended send
 * @param service        measured service times of the interval, in microseconds from the actual send
 * @param sendLag        measured send lags of the interval, in microseconds
 */
public record IntervalStats(long startMillis, double elapsedSeconds, double seconds, Phase phase,
                            long completed, long errors, long openConnections, long peakConnections,
                            Histogram response, Histogram service, Histogram sendLag) {

    /** Answers per second over the interval. */
    public double rate() {
        return seconds > 0 ? completed / seconds : 0;
    }
}

package io.loombench.benchmarks.report;

import java.util.List;

/**
 * One score of a point as JMH aggregated it over every measured iteration of every fork: the
 * primary metric or one secondary metric.
 *
 * @param value   the score in {@code unit}: a mean, sum, minimum or maximum of the iterations, as
 *                the metric's aggregation policy says ({@link io.loombench.benchmarks.Metric})
 * @param error   half-width of JMH's 99.9% confidence interval of the mean, in {@code unit}; NaN
 *                where JMH gives none (fewer than three samples, or a sum, minimum or maximum)
 * @param unit    JMH's {@code scoreUnit}
 * @param rawData the iterations' scores, one list per fork, in the order they were measured
 */
public record Score(double value, double error, String unit, List<List<Double>> rawData) {

    public Score {
        rawData = rawData.stream().map(List::copyOf).toList();
    }

    /** The error, with "none given" as 0: how the gate and the ratio intervals count a NaN error. */
    public double errorOrZero() {
        return Double.isNaN(error) ? 0 : error;
    }

    /** Measured iterations over all forks. */
    public int samples() {
        return rawData.stream().mapToInt(List::size).sum();
    }

    /** The score with its confidence interval, [value - error, value + error]. */
    public Interval interval() {
        return Interval.around(value, errorOrZero());
    }
}

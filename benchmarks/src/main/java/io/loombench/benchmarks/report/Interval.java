package io.loombench.benchmarks.report;

/**
 * A value and a closed interval {@code [low, high]} that holds it: a score with its error, or a
 * ratio of two scores. {@code high} may be infinite (a ratio over a score whose interval reaches 0).
 */
public record Interval(double value, double low, double high) {

    public Interval {
        if (low > value || value > high) {
            throw new IllegalArgumentException("interval [" + low + ", " + high + "] does not hold " + value);
        }
    }

    /** {@code [value - halfWidth, value + halfWidth]}. */
    public static Interval around(double value, double halfWidth) {
        return new Interval(value, value - halfWidth, value + halfWidth);
    }

    /**
     * {@code a / b}, with the conservative interval {@code [a.low / b.high, a.high / b.low]}: every
     * ratio of a value in {@code a} to a value in {@code b}. Scores are not negative, so a low end
     * below 0 counts as 0, and a divisor interval reaching 0 leaves the ratio unbounded above.
     *
     * @param b an interval with a positive value
     */
    public static Interval ratio(Interval a, Interval b) {
        double low = Math.max(0, a.low) / b.high;
        double high = b.low > 0 ? a.high / b.low : Double.POSITIVE_INFINITY;
        double value = a.value / b.value;
        return new Interval(value, Math.min(low, value), Math.max(high, value));
    }

    public boolean contains(double x) {
        return low <= x && x <= high;
    }
}

package io.loombench.loadgen;

import io.loombench.common.DurationConverter;
import org.HdrHistogram.Histogram;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A latency service-level objective: "the response time at {@code percentile} is at most
 * {@code bound}", as in {@code p99<=10ms}.
 *
 * <p>It is checked against a histogram of microseconds (such as {@link LoadResult#response()},
 * measured from each request's intended send time), with {@link #valueIn(Histogram)}: the
 * histogram's value at the percentile ({@link Histogram#getMaxValue()} for {@code max}). HdrHistogram
 * reports that value as the highest value equivalent to it at the histogram's precision (3
 * significant digits in loadgen), so a reading never errs on the lenient side: a value the
 * histogram cannot tell from one above the bound counts as above it, which can make a run that
 * was within the bound by less than 0.1% miss.
 *
 * <p>A percentile needs samples: a run's p99.99 rests on its 0.01% slowest answers, which is one
 * request in a run of 10,000. Size the runs so that the percentile holds at least a few dozen.
 *
 * @param percentile the percentile, above 0 and at most 100; 100 is the maximum
 * @param bound      the most the response time at that percentile may be; above 0 and at most
 *                   {@link LoadSpec#MAX_DURATION}, which is as far as loadgen's histograms reach
 */
public record Slo(double percentile, Duration bound) {
    /** What {@link #parse} accepts, for messages. */
    public static final String FORM = "p<percentile> or max, then <=, then a duration in us, ms or s"
            + " (e.g. p99<=10ms, p99.9<=500us, max<=1s)";

    private static final Pattern SLO = Pattern.compile("(?:p(\\d+(?:\\.\\d+)?)|(max))\\s*<=\\s*(\\S+)", Pattern.CASE_INSENSITIVE);
    /**
     * A bound needs its unit: in {@code p99<=10} a bare number would mean seconds to
     * {@link DurationConverter} but milliseconds to many readers, so it is refused.
     */
    private static final Pattern BOUND = Pattern.compile("\\d+(us|ms|s)");

    public Slo {
        Objects.requireNonNull(bound, "bound");
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("an SLO's percentile must be above 0 and at most 100, was " + percentile);
        }
        if (bound.isNegative() || bound.isZero() || bound.compareTo(LoadSpec.MAX_DURATION) > 0) {
            throw new IllegalArgumentException("an SLO's bound must be above 0 and at most 1h, was " + DurationConverter.format(bound));
        }
    }

    /**
     * Reads an SLO as written on a command line: {@code p50}, {@code p90}, {@code p99},
     * {@code p99.9}, {@code p99.99} (any percentile above 0 and below 100) or {@code max}, then
     * {@code <=}, then a bound with its unit ({@code us}, {@code ms} or {@code s}). Case and spaces
     * around {@code <=} do not matter.
     *
     * @throws IllegalArgumentException with a one-line message naming the text and the expected form
     */
    public static Slo parse(String text) {
        Objects.requireNonNull(text, "text");
        Matcher matcher = SLO.matcher(text.strip());
        if (!matcher.matches()) {
            throw invalid(text, "");
        }
        double percentile;
        if (matcher.group(2) != null) {
            percentile = 100;
        } else {
            percentile = Double.parseDouble(matcher.group(1));
            if (!(percentile > 0 && percentile < 100)) {
                throw invalid(text, ": the percentile must be above 0 and below 100 (write max for the largest)");
            }
        }
        String boundText = matcher.group(3).toLowerCase(Locale.ROOT);
        if (!BOUND.matcher(boundText).matches()) {
            throw invalid(text, ": the bound must be a whole number with its unit, us, ms or s");
        }
        Duration bound;
        try {
            bound = DurationConverter.parse(boundText);
        } catch (IllegalArgumentException e) {
            throw invalid(text, ": the bound is out of range");
        }
        if (bound.isZero() || bound.compareTo(LoadSpec.MAX_DURATION) > 0) {
            throw invalid(text, ": the bound must be above 0 and at most 1h");
        }
        return new Slo(percentile, bound);
    }

    private static IllegalArgumentException invalid(String text, String reason) {
        return new IllegalArgumentException("'" + text + "' is not an SLO" + reason + "; write " + FORM);
    }

    /** The histogram's value at this SLO's percentile, in the histogram's unit; 0 when it is empty. */
    public long valueIn(Histogram histogram) {
        return percentile == 100 ? histogram.getMaxValue() : histogram.getValueAtPercentile(percentile);
    }

    /** True when a response time of {@code micros} microseconds at this percentile is within the bound. */
    public boolean metBy(long micros) {
        return micros <= bound.toNanos() / 1000;
    }

    /** The bound in microseconds, rounded down (a bound from {@link #parse} is a whole number of them). */
    public long boundMicros() {
        return bound.toNanos() / 1000;
    }

    /** {@code p99}, {@code p99.9}, or {@code max}. */
    public String label() {
        return percentile == 100 ? "max" : "p" + BigDecimal.valueOf(percentile).stripTrailingZeros().toPlainString();
    }

    /** The SLO as {@link #parse} reads it: {@code p99<=10ms}. */
    @Override
    public String toString() {
        return label() + "<=" + format(bound);
    }

    /** A bound as {@link #parse} reads it: {@code 10ms}, {@code 500us}, {@code 1s}. */
    static String format(Duration bound) {
        long nanos = bound.toNanos();
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + "s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + "ms";
        }
        if (nanos % 1_000L == 0) {
            return nanos / 1_000L + "us";
        }
        return DurationConverter.format(bound);
    }
}

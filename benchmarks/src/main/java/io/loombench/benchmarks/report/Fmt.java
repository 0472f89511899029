package io.loombench.benchmarks.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/**
 * How the report writes numbers: thousands separators, latencies to 3 significant digits, the
 * same on every machine (no locale but {@code en-US}'s separators). A missing value (NaN) is
 * {@code n/a}.
 */
final class Fmt {
    static final String MISSING = "n/a";

    private static final DecimalFormatSymbols SYMBOLS = DecimalFormatSymbols.getInstance(Locale.US);

    private Fmt() {
    }

    /** A whole number with thousands separators: {@code 152,913}. */
    static String count(double v) {
        if (!Double.isFinite(v)) {
            return nonFinite(v);
        }
        return new DecimalFormat("#,##0", SYMBOLS).format(Math.rint(v));
    }

    /**
     * A measured amount (req/s, MiB, KiB, µs, threads): whole with separators from 100 up, 3
     * significant digits below, so that small amounts keep their precision.
     */
    static String amount(double v) {
        return Double.isFinite(v) && Math.abs(v) >= 100 ? count(v) : sig3(v);
    }

    /** Three significant digits, trailing zeros kept ({@code 0.130}, {@code 13.7}, {@code 1,370}). */
    static String sig3(double v) {
        if (!Double.isFinite(v)) {
            return nonFinite(v);
        }
        if (v == 0) {
            return "0";
        }
        BigDecimal rounded = new BigDecimal(Double.toString(v)).round(new MathContext(3, RoundingMode.HALF_EVEN));
        int magnitude = rounded.precision() - rounded.scale() - 1;
        if (magnitude >= 3) {
            return count(rounded.doubleValue());
        }
        return rounded.setScale(2 - magnitude, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** Up to 3 significant digits without trailing zeros, for settings: {@code 10}, {@code 0.5}, {@code 2.25}. */
    static String brief(double v) {
        String s = sig3(v);
        return s.contains(".") && !s.contains(",") ? s.replaceFirst("\\.?0+$", "") : s;
    }

    /** A ratio, 3 significant digits: {@code 1.14}, {@code 0.203}. */
    static String ratio(double v) {
        return sig3(v);
    }

    /** {@code 1.14 [1.10, 1.19]}. */
    static String ratio(Interval r) {
        return ratio(r.value()) + " [" + ratio(r.low()) + ", " + ratio(r.high()) + "]";
    }

    /** A share of 1 as a percentage, 1 decimal: {@code 97.5%}. */
    static String percent(double fraction) {
        if (!Double.isFinite(fraction)) {
            return nonFinite(fraction);
        }
        return new DecimalFormat("#,##0.0", SYMBOLS).format(fraction * 100) + "%";
    }

    /** A change as a signed percentage: {@code +12.3%}, {@code -4.0%}. */
    static String change(double fraction) {
        if (!Double.isFinite(fraction)) {
            return nonFinite(fraction);
        }
        String p = percent(Math.abs(fraction));
        return (fraction < 0 ? "-" : "+") + p;
    }

    /** A share of the CPUs, 0..1, 2 decimals. */
    static String share(double v) {
        if (!Double.isFinite(v)) {
            return nonFinite(v);
        }
        return new DecimalFormat("0.00", SYMBOLS).format(v);
    }

    /**
     * A score with its error, the error to no finer a grain than the score: {@code 152,913 ± 4,210},
     * {@code 14,998 ± 5}, {@code 19.8 ± 1.19}; {@code ± ?} where JMH gives no error.
     */
    static String withError(Score s) {
        return withError(s.value(), s.error());
    }

    static String withError(double value, double error) {
        if (Double.isNaN(error)) {
            return amount(value) + " ± ?";
        }
        return amount(value) + " ± " + (Math.abs(value) >= 100 && error >= 1 ? count(error) : amount(error));
    }

    private static String nonFinite(double v) {
        return Double.isNaN(v) ? MISSING : v > 0 ? "∞" : "-∞";
    }
}

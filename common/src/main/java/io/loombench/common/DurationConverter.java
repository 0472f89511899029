package io.loombench.common;

import picocli.CommandLine;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads durations the way load tools write them: {@code 500ms}, {@code 30s}, {@code 2m},
 * {@code 1h}, a bare number meaning seconds (as in wrk's {@code -d 30}), or ISO-8601 ({@code PT30S}).
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    /** Beyond this many seconds a duration with a fraction is not written in milliseconds (no sane value is). */
    private static final long MAX_SECONDS_IN_MILLIS = 1_000_000_000_000L;
    private static final Pattern WITH_UNIT = Pattern.compile("(\\d+)(us|ms|s|m|h)?");

    @Override
    public Duration convert(String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /**
     * Writes a duration the way {@link #parse} reads it, for messages: {@code 30s}, {@code 500ms},
     * {@code -1ms}, {@code 0.25ms} (below a millisecond, as a decimal). Never overflows.
     */
    public static String format(Duration duration) {
        long seconds = duration.getSeconds();
        int nanos = duration.getNano();
        if (nanos == 0) {
            return seconds + "s";
        }
        if (Math.abs(seconds) > MAX_SECONDS_IN_MILLIS) {
            return duration.toString();
        }
        if (nanos % 1_000_000 == 0) {
            return seconds * 1000 + nanos / 1_000_000 + "ms";
        }
        return seconds * 1e3 + nanos / 1e6 + "ms";
    }

    /** @throws IllegalArgumentException with a message naming the value, when it is not a duration */
    public static Duration parse(String value) {
        String text = value.trim();
        Matcher matcher = WITH_UNIT.matcher(text);
        if (matcher.matches()) {
            long amount;
            try {
                amount = Long.parseLong(matcher.group(1));
            } catch (NumberFormatException e) {
                throw invalid(value);
            }
            String unit = matcher.group(2) == null ? "s" : matcher.group(2);
            try {
                return switch (unit) {
                    case "us" -> Duration.ofNanos(Math.multiplyExact(amount, 1000L));
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> throw invalid(value);
                };
            } catch (ArithmeticException e) {
                throw invalid(value);
            }
        }
        if (text.startsWith("PT") || text.startsWith("pt")) {
            try {
                Duration parsed = Duration.parse(text);
                if (!parsed.isNegative()) {
                    return parsed;
                }
            } catch (RuntimeException e) {
                throw invalid(value);
            }
        }
        throw invalid(value);
    }

    private static IllegalArgumentException invalid(String value) {
        return new IllegalArgumentException("'" + value + "' is not a duration (use e.g. 500ms, 30s, 2m, 1h)");
    }
}

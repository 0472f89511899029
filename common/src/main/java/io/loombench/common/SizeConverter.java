package io.loombench.common;

import picocli.CommandLine;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads byte sizes: a bare number of bytes, or with a binary suffix {@code k} (KiB), {@code m}
 * (MiB) or {@code g} (GiB), upper or lower case. The result must fit an int.
 */
public final class SizeConverter implements CommandLine.ITypeConverter<Integer> {
    private static final Pattern SIZE = Pattern.compile("(\\d+)([kKmMgG])?[bB]?");

    @Override
    public Integer convert(String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /** @throws IllegalArgumentException with a message naming the value, when it is not a size */
    public static int parse(String value) {
        Matcher matcher = SIZE.matcher(value.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a size (use e.g. 512, 16k, 1m)");
        }
        try {
            long amount = Long.parseLong(matcher.group(1));
            int shift = matcher.group(2) == null ? 0 : switch (Character.toLowerCase(matcher.group(2).charAt(0))) {
                case 'k' -> 10;
                case 'm' -> 20;
                default -> 30;
            };
            return Math.toIntExact(Math.multiplyExact(amount, 1L << shift));
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is too large (at most 2g - 1)");
        }
    }
}

package io.loombench.loadgen;

import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.DataFormatException;

/**
 * The one shape of every latency histogram of a run (microseconds, 1 µs to an hour, three
 * significant digits), and its encoding: HdrHistogram's compressed form, which keeps every
 * recorded value, so histograms written by several runs add up later exactly as if one had
 * recorded them all.
 */
public final class LatencyHistograms {
    /** The largest value tracked: {@link LoadSpec#MAX_DURATION}, in microseconds, so no run or stall can overflow. */
    public static final long HIGHEST_MICROS = 3_600_000_000L;
    /** Values are kept to within 0.1%. */
    public static final int SIGNIFICANT_DIGITS = 3;

    private LatencyHistograms() {
    }

    /** An empty histogram of this shape. */
    public static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_MICROS, SIGNIFICANT_DIGITS);
    }

    /** The compressed encoding of {@code histogram}; zero bytes when it is empty. */
    public static byte[] encode(Histogram histogram) {
        if (histogram.getTotalCount() == 0) {
            return new byte[0];
        }
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        return Arrays.copyOf(buffer.array(), length);
    }

    /**
     * The histogram {@link #encode} encoded, in this shape; zero bytes give an empty one.
     *
     * @throws IllegalArgumentException if the bytes are not a compressed histogram
     */
    public static Histogram decode(byte[] encoded) {
        Histogram histogram = newHistogram();
        if (encoded.length > 0) {
            try {
                histogram.add(Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(encoded), 0));
            } catch (DataFormatException | RuntimeException e) {
                throw new IllegalArgumentException("not an HdrHistogram compressed histogram (" + e + ")", e);
            }
        }
        return histogram;
    }

    /** {@link #encode}, as base64 text. */
    public static String base64(Histogram histogram) {
        return Base64.getEncoder().encodeToString(encode(histogram));
    }

    /** {@link #decode} of base64 text. */
    public static Histogram fromBase64(String text) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a histogram is not base64 (" + e.getMessage() + ")", e);
        }
        return decode(bytes);
    }
}

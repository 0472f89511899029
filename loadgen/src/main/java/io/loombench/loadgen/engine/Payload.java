package io.loombench.loadgen.engine;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * The bytes of echo requests: a fixed random pattern of 64 KiB, from which request {@code k} of
 * a connection takes {@code size} bytes starting at an offset that depends on {@code k}. Sender and
 * checker derive the same bytes, so an echo is checked byte for byte with nothing stored per
 * request, and a reordered, dropped, duplicated or corrupted byte is caught.
 */
final class Payload {
    private static final int PATTERN_BYTES = 1 << 16;
    private static final int MASK = PATTERN_BYTES - 1;
    /** A prime stride, so consecutive requests start at unrelated places in the pattern. */
    private static final int STRIDE = 7919;

    private final byte[] pattern = new byte[PATTERN_BYTES];

    Payload(long seed) {
        new SplittableRandom(seed).nextBytes(pattern);
    }

    /** The byte at {@code offset} of request {@code sequence}. */
    byte byteAt(long sequence, long offset) {
        return pattern[(int) ((sequence * STRIDE + offset) & MASK)];
    }

    /** Puts bytes {@code [offset, offset + n)} of request {@code sequence} into {@code out}. */
    void put(ByteBuffer out, long sequence, long offset, int n) {
        int start = (int) ((sequence * STRIDE + offset) & MASK);
        while (n > 0) {
            int chunk = Math.min(n, PATTERN_BYTES - start);
            out.put(pattern, start, chunk);
            n -= chunk;
            start = 0;
        }
    }

    /**
     * Checks {@code n} bytes of {@code in} from its position against bytes {@code [offset, offset + n)}
     * of request {@code sequence}, advancing the position. Returns false at the first difference.
     */
    boolean check(ByteBuffer in, long sequence, long offset, int n) {
        int position = in.position();
        for (int i = 0; i < n; i++) {
            if (in.get(position + i) != byteAt(sequence, offset + i)) {
                return false;
            }
        }
        in.position(position + n);
        return true;
    }
}

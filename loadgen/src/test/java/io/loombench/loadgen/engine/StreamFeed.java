package io.loombench.loadgen.engine;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Feeds bytes to a {@link StreamCodec} exactly as {@link StreamConnection} reads them, without a
 * socket: a direct input buffer kept in read mode between calls, compacted before each "read" and
 * flipped after it, a "read" delivering at most the buffer's free space, and answers parsed until
 * the codec asks for more, fails, or announces the close.
 *
 * <p>The outcome is a list of events, the same for every way of splitting the same input when the
 * codec is split-independent: {@code "200"} for a complete answer, {@code "200 close"} when the
 * codec said the connection ends after it, {@code "FAILED PROTOCOL"} (with {@link StreamCodec#failure()}),
 * and {@code "eof 200"} for an answer completed by the peer's close.
 */
final class StreamFeed {
    private StreamFeed() {
    }

    /** What the connection saw, and how many input bytes it never consumed. */
    record Outcome(List<String> events, int leftover) {
    }

    /** Input arriving in segments that end at {@code cuts} (ascending, within the input), then closed if {@code close}. */
    static Outcome feed(StreamCodec codec, int capacity, byte[] input, int[] cuts, boolean close) {
        codec.reset();
        ByteBuffer in = ByteBuffer.allocateDirect(capacity);
        in.clear().flip();
        List<String> events = new ArrayList<>();
        int position = 0;
        for (int s = 0; s <= cuts.length; s++) {
            int end = s < cuts.length ? cuts[s] : input.length;
            while (position < end) {
                in.compact();
                int n = Math.min(in.remaining(), end - position);
                in.put(input, position, n);
                in.flip();
                position += n;
                if (n == 0) {
                    throw new AssertionError("input buffer full and the codec still waits: it would never progress");
                }
                if (!parse(codec, in, events)) {
                    return new Outcome(events, in.remaining() + input.length - position);
                }
            }
        }
        if (close) {
            int status = codec.endOfInput();
            if (status != StreamCodec.INCOMPLETE) {
                events.add("eof " + status + (codec.closeAfter() ? " close" : ""));
            }
        }
        return new Outcome(events, in.remaining());
    }

    /** Returns false once the connection would stop reading (failure or announced close). */
    private static boolean parse(StreamCodec codec, ByteBuffer in, List<String> events) {
        while (in.hasRemaining()) {
            int status = codec.read(in);
            if (status == StreamCodec.INCOMPLETE) {
                return true;
            }
            if (status == StreamCodec.FAILED) {
                events.add("FAILED " + codec.failure());
                return false;
            }
            if (codec.closeAfter()) {
                events.add(status + " close");
                return false;
            }
            events.add(String.valueOf(status));
        }
        return true;
    }

    /** Every way of cutting {@code input} in two, one byte at a time, and some random cuttings; each with its name. */
    static List<Cutting> cuttings(int length, long seed) {
        List<Cutting> cuttings = new ArrayList<>();
        for (int p = 0; p <= length; p++) {
            cuttings.add(new Cutting("cut at " + p, new int[] {p}));
        }
        int[] bytewise = new int[length];
        for (int i = 0; i < length; i++) {
            bytewise[i] = i + 1;
        }
        cuttings.add(new Cutting("byte by byte", bytewise));
        SplittableRandom random = new SplittableRandom(seed);
        for (int r = 0; r < 20; r++) {
            List<Integer> cuts = new ArrayList<>();
            int at = 0;
            while (at < length) {
                at += 1 + random.nextInt(Math.max(1, length / 4));
                cuts.add(Math.min(at, length));
            }
            cuttings.add(new Cutting("random " + cuts, cuts.stream().mapToInt(Integer::intValue).toArray()));
        }
        return cuttings;
    }

    record Cutting(String name, int[] cuts) {
    }
}

package io.loombench.loadgen.engine;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Feeds bytes to a {@link StreamCodec} exactly as {@link StreamConnection} reads them, without a
 * socket: a shared direct input buffer cleared before each "read", the {@link CarriedInput} of the
 * last read put back in front, a "read" delivering at most the buffer's free space, answers
 * parsed until the codec asks for more, fails, or announces the close, and what it left unparsed
 * carried to the next read.
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
        CarriedInput carried = new CarriedInput();
        List<String> events = new ArrayList<>();
        int position = 0;
        int leftover = 0;
        for (int s = 0; s <= cuts.length; s++) {
            int end = s < cuts.length ? cuts[s] : input.length;
            while (position < end) {
                in.clear();
                carried.restoreInto(in);
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
                leftover = in.remaining();
                carried.carry(in);
            }
        }
        if (close && codec.endOfInput()) {
            events.add("eof " + codec.status() + (codec.closeAfter() ? " close" : ""));
        }
        return new Outcome(events, leftover);
    }

    /** Returns false once the connection would stop reading (failure or announced close). */
    private static boolean parse(StreamCodec codec, ByteBuffer in, List<String> events) {
        while (in.hasRemaining()) {
            StreamCodec.Read read = codec.read(in);
            if (read == StreamCodec.Read.INCOMPLETE) {
                return true;
            }
            if (read == StreamCodec.Read.INVALID) {
                events.add("FAILED " + codec.failure());
                return false;
            }
            if (codec.closeAfter()) {
                events.add(codec.status() + " close");
                return false;
            }
            events.add(String.valueOf(codec.status()));
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

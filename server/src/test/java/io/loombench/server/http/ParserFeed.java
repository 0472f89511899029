package io.loombench.server.http;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Feeds bytes to {@link RequestHeadParser} or {@link ChunkedBodyDecoder} the way a connection
 * driver does: an input buffer kept in read mode, compacted before each "read", a "read"
 * delivering at most its free space, the parser called after each until it is done or refuses.
 * Used by the fuzz tests, which run one input under several cuttings and compare the results.
 */
final class ParserFeed {

    /** One call of the parser on the buffer. */
    interface Parser {
        Step parse(ByteBuffer in);
    }

    /**
     * How a feed ended.
     *
     * @param step     the last step: DONE, REJECTED, or NEED_MORE once the input ran out
     * @param consumed input bytes the parser consumed in all
     */
    record Result(Step step, int consumed) {
    }

    private ParserFeed() {
    }

    /**
     * The input buffers every fuzz input runs with: the server's size, on the heap as every model
     * allocates it, and one smaller than the fuzz tests' field limit, direct, so that lines meet
     * the buffer's end and the scanner's path for buffers without an array runs too.
     */
    static final List<Supplier<ByteBuffer>> BUFFERS = List.of(() -> ByteBuffer.allocate(16 * 1024), () -> ByteBuffer.allocateDirect(100));

    /**
     * Delivers {@code input} in segments ending at {@code cuts} (ascending), each over as many
     * reads as the buffer needs. Fails if the parser asks for more while the buffer is full,
     * which would hang a connection.
     */
    static Result feed(byte[] input, ByteBuffer buffer, int[] cuts, Parser parser) {
        ByteBuffer in = buffer.flip();
        int capacity = in.capacity();
        int delivered = 0;
        int consumed = 0;
        for (int s = 0; s <= cuts.length; s++) {
            int end = s < cuts.length ? cuts[s] : input.length;
            while (delivered < end) {
                in.compact();
                if (!in.hasRemaining()) {
                    throw new AssertionError("the parser asked for more input with a full buffer of " + capacity + " bytes");
                }
                int n = Math.min(in.remaining(), end - delivered);
                in.put(input, delivered, n).flip();
                delivered += n;
                int before = in.position();
                Step step = parser.parse(in);
                consumed += in.position() - before;
                if (step != Step.NEED_MORE) {
                    return new Result(step, consumed);
                }
            }
        }
        return new Result(Step.NEED_MORE, consumed);
    }

    /** The cuttings every fuzz input runs under: whole, one byte at a time, and two random ones seeded by the input. */
    static List<int[]> cuttings(byte[] input) {
        List<int[]> cuttings = new ArrayList<>();
        cuttings.add(new int[0]);
        int[] bytewise = new int[Math.max(0, input.length - 1)];
        Arrays.setAll(bytewise, i -> i + 1);
        cuttings.add(bytewise);
        SplittableRandom random = new SplittableRandom(Arrays.hashCode(input));
        for (int r = 0; r < 2; r++) {
            List<Integer> cuts = new ArrayList<>();
            for (int at = 1 + random.nextInt(8); at < input.length; at += 1 + random.nextInt(24)) {
                cuts.add(at);
            }
            cuttings.add(cuts.stream().mapToInt(Integer::intValue).toArray());
        }
        return cuttings;
    }
}

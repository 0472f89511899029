package io.loombench.loadgen.engine;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link HttpResponseReader} as the connection feeds it ({@link StreamFeed}): whatever the
 * bytes, it never throws and never waits with its buffer full, every answer it reports has a
 * status from 100 to 599, a failure is a protocol error, and it reports the same answers however
 * the bytes are cut into reads, with the connection closing after them or not.
 *
 * <p>In {@code mvn verify} this replays the committed inputs in
 * {@code src/test/resources/io/loombench/loadgen/engine/HttpResponseReaderFuzzTestInputs/read}.
 */
class HttpResponseReaderFuzzTest {
    private static final byte[] GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** The connection's buffer, and a small one, so lines meet the buffer's end. */
    private static final List<Integer> CAPACITIES = List.of(16 * 1024, 64);

    @FuzzTest(maxDuration = "5m")
    void read(byte[] input) {
        for (boolean head : new boolean[] {false, true}) {
            for (int capacity : CAPACITIES) {
                for (boolean close : new boolean[] {false, true}) {
                    List<String> reference = null;
                    for (int[] cuts : cuttings(input)) {
                        StreamFeed.Outcome outcome = StreamFeed.feed(new HttpResponseReader(GET, head), capacity, input, cuts, close);
                        for (String event : outcome.events()) {
                            assertThat(event).matches("(eof )?[1-5][0-9][0-9]( close)?|FAILED PROTOCOL");
                        }
                        if (reference == null) {
                            reference = outcome.events();
                        } else {
                            assertThat(outcome.events()).as("the same input cut otherwise, buffer %d, close %s, HEAD %s", capacity, close, head)
                                    .isEqualTo(reference);
                        }
                    }
                }
            }
        }
    }

    /** Whole, one byte at a time, and two random cuttings seeded by the input. */
    private static List<int[]> cuttings(byte[] input) {
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

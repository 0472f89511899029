package io.loombench.server.http;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link ChunkedBodyDecoder}: whatever the bytes, it never throws, never asks for more with
 * its buffer full, and ends in exactly one of three ways: a complete body, a request for more
 * bytes, or a refusal with a 4xx or 5xx status. And it reaches the same end, with the same
 * decoded bytes and the same bytes consumed, however the bytes are cut into reads.
 *
 * <p>In {@code mvn verify} this replays the committed inputs in
 * {@code src/test/resources/io/loombench/server/http/ChunkedBodyDecoderFuzzTestInputs/decode}.
 */
class ChunkedBodyDecoderFuzzTest {
    /** Small limits, so short inputs reach the body, trailer and line limits. */
    private static final HttpLimits LIMITS = new HttpLimits(64, 256, 128, 8, 1000);

    @FuzzTest(maxDuration = "5m")
    void decode(byte[] input) {
        for (Supplier<ByteBuffer> buffer : ParserFeed.BUFFERS) {
            String reference = null;
            for (int[] cuts : ParserFeed.cuttings(input)) {
                ByteBuffer in = buffer.get();
                ChunkedBodyDecoder decoder = new ChunkedBodyDecoder(LIMITS);
                RequestHead head = new RequestHead();
                BodyBuffer body = new BodyBuffer();
                ParserFeed.Result result = ParserFeed.feed(input, in, cuts, buffered -> decoder.decode(buffered, body, head));
                byte[] decoded = contents(body);
                switch (result.step()) {
                    case DONE, NEED_MORE -> {
                        assertThat(head.failed()).isFalse();
                        assertThat((long) decoded.length).isLessThanOrEqualTo(LIMITS.maxBodyBytes());
                    }
                    case REJECTED -> assertThat(head.error().code()).isBetween(400, 599);
                }
                String outcome = result + " " + head.error() + " " + head.errorDetail() + " " + Arrays.toString(decoded);
                if (reference == null) {
                    reference = outcome;
                } else {
                    assertThat(outcome).as("the same input cut otherwise, %d-byte buffer, direct %s", in.capacity(), in.isDirect()).isEqualTo(reference);
                }
            }
        }
    }

    private static byte[] contents(BodyBuffer body) {
        ByteBuffer out = ByteBuffer.allocate(body.size());
        body.startSending();
        assertThat(body.drainInto(out)).isTrue();
        return out.array();
    }
}

package io.loombench.server.http;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.ByteBuffer;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link RequestHeadParser}: whatever the bytes, it never throws, never asks for more with
 * its buffer full, and ends in exactly one of three ways: a complete head, a request for more
 * bytes, or a refusal with a 4xx or 5xx status. And it reaches the same end, with the same head
 * and the same bytes consumed, however the bytes are cut into reads.
 *
 * <p>In {@code mvn verify} this replays the committed inputs in
 * {@code src/test/resources/io/loombench/server/http/RequestHeadParserFuzzTestInputs/parse};
 * the README says how to fuzz it for longer.
 */
class RequestHeadParserFuzzTest {
    /** Small limits, so inputs of a few hundred bytes reach every limit. */
    private static final HttpLimits LIMITS = new HttpLimits(64, 256, 128, 8, 1000);

    @FuzzTest(maxDuration = "5m")
    void parse(byte[] input) {
        for (Supplier<ByteBuffer> buffer : ParserFeed.BUFFERS) {
            String reference = null;
            for (int[] cuts : ParserFeed.cuttings(input)) {
                ByteBuffer in = buffer.get();
                RequestHeadParser parser = new RequestHeadParser(LIMITS);
                RequestHead head = new RequestHead();
                ParserFeed.Result result = ParserFeed.feed(input, in, cuts, buffered -> parser.parse(buffered, head));
                checkEnd(result.step(), head);
                String outcome = result + " " + describe(head);
                if (reference == null) {
                    reference = outcome;
                } else {
                    assertThat(outcome).as("the same input cut otherwise, %d-byte buffer, direct %s", in.capacity(), in.isDirect()).isEqualTo(reference);
                }
            }
        }
    }

    private static void checkEnd(Step step, RequestHead head) {
        switch (step) {
            case DONE -> {
                assertThat(head.failed()).isFalse();
                assertThat(head.method).isNotNull();
                assertThat(head.target.form()).isNotNull();
                assertThat(head.contentLength).isBetween(0L, LIMITS.maxBodyBytes());
                assertThat(head.chunked && head.contentLength > 0).as("chunked with a Content-Length").isFalse();
            }
            case NEED_MORE -> assertThat(head.failed()).isFalse();
            case REJECTED -> {
                assertThat(head.error()).isNotNull();
                assertThat(head.error().code()).isBetween(400, 599);
                assertThat(head.errorDetail()).isNotBlank();
            }
        }
    }

    private static String describe(RequestHead head) {
        return head.error() == null
                ? head.method + " " + (head.method == null ? "" : head.target.form() + " " + head.target) + " http11=" + head.http11
                + " close=" + head.connectionClose + " keepAlive=" + head.connectionKeepAlive + " length=" + head.contentLength
                + " chunked=" + head.chunked + " continue=" + head.expectContinue
                : head.error() + ": " + head.errorDetail();
    }
}

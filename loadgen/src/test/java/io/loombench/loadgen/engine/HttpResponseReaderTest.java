package io.loombench.loadgen.engine;

import io.loombench.loadgen.LoadError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HttpResponseReader} fed as the connection feeds it ({@link StreamFeed}): every response is
 * cut at every byte, byte by byte and at random, and must give the same statuses, in order, with
 * nothing left over; malformed framing must fail whatever the cuts.
 */
class HttpResponseReaderTest {
    /** Small, so that reads fill the buffer and lines cross its end; every valid line here fits. */
    private static final int SMALL = 64;
    /** The connection's real buffer size. */
    private static final int REAL = 16 * 1024;
    private static final String FAILED = "FAILED PROTOCOL";

    private static final byte[] GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Checks the events of every cutting of {@code response}, with both buffer sizes. */
    private static void check(String response, boolean head, boolean close, String... expected) {
        check(response, head, close, SMALL, expected);
        check(response, head, close, REAL, expected);
    }

    private static void check(String response, boolean head, boolean close, int capacity, String... expected) {
        byte[] input = response.getBytes(StandardCharsets.ISO_8859_1);
        HttpResponseReader reader = new HttpResponseReader(GET, head);
        boolean failing = expected.length > 0 && expected[expected.length - 1].startsWith("FAILED");
        for (StreamFeed.Cutting cutting : StreamFeed.cuttings(input.length, input.length)) {
            StreamFeed.Outcome outcome = StreamFeed.feed(reader, capacity, input, cutting.cuts(), close);
            String where = cutting.name() + ", buffer " + capacity + ", input:\n" + response;
            assertThat(outcome.events()).as(where).containsExactly(expected);
            if (expected.length > 0 && !failing) {
                assertThat(outcome.leftover()).as(where + "\nleft over").isZero();
            }
        }
    }

    private static void ok(String response, String... expected) {
        check(response, false, false, expected);
    }

    private static void fails(String response) {
        check(response, false, true, FAILED);
    }

    @Test
    void fixedLengthBody() {
        ok("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", "200");
        ok("HTTP/1.1 404 Not Found\r\ncontent-length:3\r\nX-Other: a:b\r\n\r\nnop", "404");
        ok("HTTP/1.1 200 OK\r\nContent-Length:  007 \t\r\n\r\n1234567", "200");
        ok("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "200");
        ok("HTTP/1.1 200\r\nContent-Length: 1\r\n\r\nx", "200");
        ok("HTTP/1.1 200 \r\nContent-Length: 1\r\n\r\nx", "200");
        // The same value twice is one length, not a conflict.
        ok("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab", "200");
    }

    @Test
    void bodyLargerThanTheBuffer() {
        String body = "x".repeat(3 * SMALL + 5);
        ok("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body, "200");
    }

    @Test
    void chunkedWithExtensionsAndTrailers() {
        String body26 = "abcdefghijklmnopqrstuvwxyz";
        ok("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n"
                + "1A ; ext=\"q;x\"\r\n" + body26 + "\r\n"
                + "a\t;e\r\n0123456789\r\n"
                + "0;last\r\nTrailer-One: 1\r\nTrailer-Two: 2\r\n\r\n", "200");
        ok("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", "200");
        ok("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip ,\tchunked \r\n\r\n3\r\nabc\r\n0\r\n\r\n", "200");
        ok("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n", "200");
        ok("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "200");
        // A chunk larger than the buffer.
        String big = "y".repeat(2 * SMALL + 3);
        ok("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(big.length()) + "\r\n" + big
                + "\r\n0\r\n\r\n", "200");
    }

    @Test
    void interimResponsesAreSkipped() {
        ok("HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                + "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok", "201");
        // An interim response's headers do not frame the final one.
        ok("HTTP/1.1 100 Continue\r\nContent-Length: 50\r\nConnection: close\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nz", "200");
    }

    @Test
    void noContentAndNotModifiedHaveNoBody() {
        ok("HTTP/1.1 204 No Content\r\n\r\n"
                + "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\nETag: \"x\"\r\n\r\n"
                + "HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "204", "304", "204", "200");
    }

    @Test
    void headResponsesHaveNoBody() {
        check("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "HTTP/1.1 404 Not Found\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n", true, false, "200", "200", "404", "200");
    }

    @Test
    void http10ClosesUnlessKeepAlive() {
        ok("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", "200 close");
        ok("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok"
                + "HTTP/1.0 204 No Content\r\nconnection: Keep-Alive\r\n\r\n"
                + "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx", "200", "204", "200 close");
        // Without a length, an HTTP/1.0 body runs to the close.
        check("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\nbody until close", false, true, "eof 200 close");
    }

    @Test
    void connectionCloseEndsTheConnection() {
        ok("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
                + "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 4\r\n\r\nbusy", "200", "503 close");
        ok("HTTP/1.1 200 OK\r\nConnection: Upgrade, CLOSE\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n",
                "200 close");
        ok("HTTP/1.1 200 OK\r\nConnection: X-Trace ,\tclose \r\nContent-Length: 0\r\n\r\n", "200 close");
        // Options are whole list members: a header name that merely contains "close" is not the close option.
        ok("HTTP/1.1 200 OK\r\nConnection: X-Close-Reason\r\nContent-Length: 0\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nConnection: closed\r\nContent-Length: 0\r\n\r\n", "200", "200");
        ok("HTTP/1.0 200 OK\r\nConnection: keep-alive-not\r\nContent-Length: 0\r\n\r\n", "200 close");
    }

    @Test
    void bodyDelimitedByTheClose() {
        check("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nsome body\r\nwith lines\n", false, true, "eof 200 close");
        check("HTTP/1.1 200 OK\r\n\r\n", false, true, "eof 200 close");
        // A coding other than a final chunked cannot be framed: the body runs to the close.
        check("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n", false, true, "eof 200 close");
        check("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\nabc", false, true,
                "eof 200 close");
        // A coding whose name merely ends in "chunked" is another coding.
        check("HTTP/1.1 200 OK\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n", false, true, "eof 200 close");
        check("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip chunked\r\n\r\n0\r\n\r\n", false, true, "eof 200 close");
    }

    @Test
    void closeInsideAFramedResponseCompletesNothing() {
        check("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf", false, true);
        check("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", false, true);
        check("HTTP/1.1 200 OK\r\nContent-Len", false, true);
        check("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx" + "HTTP/1.1 200 OK\r\n", false, true, "200");
    }

    @Test
    void pipelinedResponsesInOneBuffer() {
        String responses = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"
                + "HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n2;x\r\nhi\r\n0\r\nT: v\r\n\r\n"
                + "HTTP/1.1 204 No Content\r\n\r\n"
                + "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
                + "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 1\r\n\r\n!"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
        ok(responses, "200", "201", "204", "404", "500", "200 close");
    }

    @Test
    void readsOneAnswerPerCallAndStopsAtItsEnd() {
        HttpResponseReader reader = new HttpResponseReader(GET, false);
        byte[] two = ("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx"
                + "HTTP/1.1 202 Accepted\r\nContent-Length: 1\r\n\r\ny").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer in = ByteBuffer.allocateDirect(SMALL * 2).put(two).flip();
        assertThat(reader.read(in)).isEqualTo(StreamCodec.Read.ANSWER);
        assertThat(reader.status()).isEqualTo(200);
        assertThat(in.get(in.position())).isEqualTo((byte) 'H');
        assertThat(reader.read(in)).isEqualTo(StreamCodec.Read.ANSWER);
        assertThat(reader.status()).isEqualTo(202);
        assertThat(in.hasRemaining()).isFalse();
    }

    @Test
    void resetForgetsAHalfReadResponse() {
        HttpResponseReader reader = new HttpResponseReader(GET, false);
        ByteBuffer in = ByteBuffer.allocateDirect(SMALL);
        in.put("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc".getBytes(StandardCharsets.US_ASCII)).flip();
        assertThat(reader.read(in)).isEqualTo(StreamCodec.Read.INCOMPLETE);
        reader.reset();
        in.clear().put("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nz".getBytes(StandardCharsets.US_ASCII)).flip();
        assertThat(reader.read(in)).isEqualTo(StreamCodec.Read.ANSWER);
        assertThat(reader.status()).isEqualTo(200);
        assertThat(reader.closeAfter()).isFalse();
        assertThat(in.hasRemaining()).isFalse();
    }

    @Test
    void writesItsRequest() {
        HttpResponseReader reader = new HttpResponseReader(GET, false);
        assertThat(reader.requestBytes()).isEqualTo(GET.length);
        ByteBuffer out = ByteBuffer.allocate(GET.length);
        reader.putRequest(out, 0, 0, 5);
        reader.putRequest(out, 0, 5, GET.length - 5);
        assertThat(out.array()).isEqualTo(GET);
    }

    @Test
    void bareLineFeedsFail() {
        fails("HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n");
        fails("HTTP/1.1 200 OK\r\nContent-Length: 0\n\r\n");
        fails("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\n");
        fails("\n");
        fails("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\nx\r\n0\r\n\r\n");
        fails("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\n");
        fails("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: v\n\r\n");
    }

    @Test
    void bareCarriageReturnsAndMalformedTrailersFail() {
        fails("HTTP/1.1 200 OK\r\nX-A: a\rb\r\nContent-Length: 0\r\n\r\n");
        fails("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r;x\r\nx\r\n0\r\n\r\n");
        fails("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nno colon here\r\n\r\n");
        fails("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n: empty name\r\n\r\n");
        fails("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: v\r\n folded\r\n\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "HTTP/1.1 20 OK",
        "HTTP/1.1 2000 OK",
        "HTTP/1.1 2x0 OK",
        "HTTP/1.1 200OK",
        "HTTP/1.1  200 OK",
        "HTTP/1.1\t200 OK",
        "HTTP/1.1 099 Low",
        "HTTP/1.1 600 Beyond",
        "HTTP/1.1 999 Beyond",
        "HTTP/1.1 200 O\rK",
        "HTTP/1.1 -20 OK",
        "HTTP/1.x 200 OK",
        "HTTP/2.0 200 OK",
        "HTTP/1 200 OK",
        "http/1.1 200 OK",
        " HTTP/1.1 200 OK",
        "ICY 200 OK",
        "",
    })
    void badStatusLinesFail(String statusLine) {
        fails(statusLine + "\r\nContent-Length: 0\r\n\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+5", "-5", "5a", "0x5", "5 5", "5,5", "5, 5", "", "  ",
        "9223372036854775808", "99999999999999999999", "18446744073709551621"})
    void badContentLengthsFail(String value) {
        fails("HTTP/1.1 200 OK\r\nContent-Length: " + value + "\r\n\r\nhello");
    }

    @Test
    void largestContentLengthIsAccepted() {
        // Long.MAX_VALUE parses; the body then simply never ends within the test.
        check("HTTP/1.1 200 OK\r\nContent-Length: 9223372036854775807\r\n\r\nabc", false, true);
    }

    @Test
    void conflictingContentLengthsFail() {
        fails("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!");
        fails("HTTP/1.1 200 OK\r\nContent-Length: 0\r\ncontent-length: 1\r\n\r\nx");
        fails("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        fails("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"g", "", " 5", "5 x", "-1", "+1", "0x5", "10000000000000000",
        "8000000000000000"})
    void badChunkSizesFail(String sizeLine) {
        fails("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + sizeLine + "\r\nhello\r\n0\r\n\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"helloX\r\n", "hello\rX", "hello\n\r\n", "hello\r\r\n", "hello0\r\n\r\n", "hell\r\n"})
    void missingCrlfAfterChunkDataFails(String data) {
        fails("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n" + data + "0\r\n\r\n");
    }

    @Test
    void obsFoldFails() {
        fails("HTTP/1.1 200 OK\r\nX-A: a\r\n b\r\nContent-Length: 0\r\n\r\n");
        fails("HTTP/1.1 200 OK\r\nX-A: a\r\n\tb\r\nContent-Length: 0\r\n\r\n");
        fails("HTTP/1.1 200 OK\r\n Content-Length: 0\r\n\r\n");
        fails("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: a\r\n b\r\n\r\n");
    }

    @Test
    void badHeaderNamesFail() {
        fails("HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n");
        fails("HTTP/1.1 200 OK\r\n: 0\r\n\r\n");
        fails("HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n");
        fails("HTTP/1.1 200 OK\r\nNoColon\r\n\r\n");
        fails("HTTP/1.1 200 OK\r\nX\u00e9: 1\r\n\r\n");
        fails("HTTP/1.1 200 OK\r\nX\u0001: 1\r\n\r\n");
    }

    @Test
    void lineLongerThanTheBufferFails() {
        // Exactly filling the buffer, CRLF included, still parses.
        String fits = "X-Long: " + "v".repeat(SMALL - "X-Long: ".length() - 2);
        check("HTTP/1.1 200 OK\r\n" + fits + "\r\nContent-Length: 0\r\n\r\n", false, false, SMALL, "200");
        check("HTTP/1.1 200 OK\r\n" + fits + "v\r\nContent-Length: 0\r\n\r\n", false, true, SMALL, FAILED);
        check("HTTP/1.1 200 " + "r".repeat(SMALL) + "\r\nContent-Length: 0\r\n\r\n", false, true, SMALL, FAILED);
        check("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;" + "e".repeat(SMALL) + "\r\nx\r\n0\r\n\r\n",
                false, true, SMALL, FAILED);
        // Behind a complete response in the same buffer, the verdict is the same.
        check("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\n" + fits + "v\r\n\r\n",
                false, true, SMALL, "200", FAILED);
    }

    @Test
    void failureIsAProtocolError() {
        assertThat(new HttpResponseReader(GET, false).failure()).isEqualTo(LoadError.PROTOCOL);
    }

    @Test
    void everyPrefixOfAValidResponseIsIncompleteNotFailed() {
        String response = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3;e=1\r\nabc\r\n0\r\nT: 1\r\n\r\n";
        for (int length = 0; length < response.length(); length++) {
            check(response.substring(0, length), false, false, SMALL);
        }
    }
}

package io.loombench.server.http;

import io.loombench.server.http.SessionDriver.Exchange;
import io.loombench.server.http.SessionDriver.Setup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Random;

import static io.loombench.server.http.Responses.CONTINUE;
import static io.loombench.server.http.Responses.echo;
import static io.loombench.server.http.Responses.error;
import static io.loombench.server.http.Responses.get;
import static io.loombench.server.http.Responses.plaintext;
import static io.loombench.server.http.SessionDriver.runEverywhere;
import static org.assertj.core.api.Assertions.assertThat;

/** Request bodies: Content-Length streaming, chunked decoding, 100-continue. */
class HttpSessionBodyTest {
    private static final String NEXT = get("/plaintext");
    private static final String NOT_FOUND_DETAIL = "no such resource; try /plaintext, /json, /echo, /delay?ms=N or /cpu?work=N";

    /** Encodes a body as chunks of random sizes, hex digits in random case and with leading zeros, each with {@code ext}. */
    static String chunked(String body, Random random, String ext) {
        StringBuilder sb = new StringBuilder();
        int position = 0;
        while (position < body.length()) {
            int size = Math.min(body.length() - position, 1 + (random.nextBoolean() ? random.nextInt(16) : random.nextInt(5000)));
            String hex = Integer.toHexString(size);
            hex = random.nextBoolean() ? hex.toUpperCase() : hex;
            hex = "0".repeat(random.nextInt(3)) + hex;
            sb.append(hex).append(ext).append("\r\n").append(body, position, position + size).append("\r\n");
            position += size;
        }
        return sb.append("0").append(ext).append("\r\n\r\n").toString();
    }

    private static String echoRequest(String body) {
        return "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static String chunkedEcho(String encodedBody) {
        return "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + encodedBody;
    }

    // ---- Content-Length ----------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 100, 767, 768, 4095, 4096, 4097, 16_383, 16_384, 16_385, 65_536})
    void contentLengthBodiesRoundTripUnderEverySplit(int size) {
        String body = HttpSessionPipeliningTest.randomText(new Random(size), size);
        Exchange exchange = runEverywhere(Responses.bytes(echoRequest(body) + NEXT),
                Setup.DEFAULT, Setup.SMALL_OUT, Setup.SMALL_OUT.withIn(SessionDriver.SMALL_BUFFER));
        assertThat(exchange.normalized()).isEqualTo(echo(body, null) + plaintext());
        List<Responses.Response> responses = exchange.responses();
        assertThat(responses.get(0).body()).isEqualTo(Responses.bytes(body));
    }

    @Test
    void oneMebibyteBodyRoundTrips() {
        int size = 1 << 20;
        byte[] body = new byte[size];
        new Random(7).nextBytes(body);
        byte[] request = Responses.concat(Responses.bytes("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: " + size + "\r\n\r\n"),
                body, Responses.bytes(NEXT));
        Exchange exchange = runEverywhere(request, Setup.SMALL_OUT, Setup.DEFAULT, Setup.SMALL_OUT.withIn(SessionDriver.SMALL_BUFFER));
        List<Responses.Response> responses = exchange.responses();
        assertThat(responses).hasSize(2);
        assertThat(responses.get(0).field("Content-Length")).isEqualTo(Integer.toString(size));
        assertThat(responses.get(0).body()).isEqualTo(body);
        assertThat(responses.get(1).bodyText()).isEqualTo("Hello, World!");
    }

    @Test
    void bodiesOfOtherEndpointsAreReadAndDropped() {
        String requests = "GET /plaintext HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789"
                + "POST /nope HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nGET /"
                + "GET /delay?ms=2 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nxyz"
                + NEXT;
        Exchange exchange = runEverywhere(requests);
        assertThat(exchange.normalized()).isEqualTo(plaintext() + error(HttpStatus.NOT_FOUND, NOT_FOUND_DETAIL, null, null)
                + Responses.ok("text/plain", "2") + plaintext());
        assertThat(exchange.waits()).containsExactly(2L);
    }

    @Test
    void echoHeadGoesOutBeforeTheBodyArrives() {
        SessionDriver driver = new SessionDriver(Setup.SMALL_OUT);
        driver.feed("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc");
        assertThat(Responses.normalizeDates(Responses.text(driver.takeOutput())))
                .isEqualTo(Responses.response("200 OK", "application/octet-stream", 10, null, null) + "abc");
        driver.feed("defghij");
        assertThat(Responses.text(driver.takeOutput())).isEqualTo("defghij");
        assertThat(driver.session.idle()).isTrue();
    }

    // ---- chunked -----------------------------------------------------------------------------

    @Test
    void shortChunkedBodySplitEverywhere() {
        String encoded = "5\r\nhello\r\n1;a=b\r\n \r\nA\r\n0123456789\r\n0\r\n\r\n";
        Exchange exchange = runEverywhere(chunkedEcho(encoded) + NEXT);
        assertThat(exchange.normalized()).isEqualTo(echo("hello 0123456789", null) + plaintext());
    }

    @Test
    void chunkExtensionsAndTrailersAreAcceptedAndIgnored() {
        String encoded = "3;name=value;flag\r\nabc\r\n"
                + "003 ; quoted=\"a;b\\\"c\"\r\ndef\r\n"
                + "2\t;tab\r\ngh\r\n"
                + "0;last\r\nX-Checksum: 12345\r\nX-Empty:\r\nx-other:  spaced  \r\n\r\n";
        Exchange exchange = runEverywhere(chunkedEcho(encoded) + NEXT);
        assertThat(exchange.normalized()).isEqualTo(echo("abcdefgh", null) + plaintext());
    }

    @Test
    void chunkSizesOfEveryShapeAndHexCase() {
        StringBuilder encoded = new StringBuilder();
        StringBuilder body = new StringBuilder();
        int[] sizes = {1, 9, 0xa, 0xf, 0x10, 0x1f, 0xff, 0x100, 0xabc, 0xFFF, 0x1000, 0x1001};
        for (int i = 0; i < sizes.length; i++) {
            String data = String.valueOf((char) ('a' + i)).repeat(sizes[i]);
            String hex = Integer.toHexString(sizes[i]);
            encoded.append(i % 2 == 0 ? hex : hex.toUpperCase()).append("\r\n").append(data).append("\r\n");
            body.append(data);
        }
        encoded.append("0000\r\n\r\n");
        Exchange exchange = runEverywhere(Responses.bytes(chunkedEcho(encoded.toString()) + NEXT),
                Setup.DEFAULT, Setup.SMALL_OUT, Setup.SMALL_OUT.withIn(SessionDriver.SMALL_BUFFER));
        assertThat(exchange.normalized()).isEqualTo(echo(body.toString(), null) + plaintext());
    }

    @Test
    void emptyChunkedBody() {
        Exchange exchange = runEverywhere(chunkedEcho("0\r\n\r\n") + chunkedEcho("000;x\r\nTrailer: t\r\n\r\n") + NEXT);
        assertThat(exchange.normalized()).isEqualTo(echo("", null) + echo("", null) + plaintext());
    }

    @Test
    void randomChunkedBodiesUpToTheLimitRoundTrip() {
        Random random = new Random(3);
        for (int size : new int[] {1, 1000, 70_000, 1 << 20}) {
            String body = HttpSessionPipeliningTest.randomText(random, size);
            Exchange exchange = runEverywhere(Responses.bytes(chunkedEcho(chunked(body, random, "")) + NEXT),
                    Setup.SMALL_OUT, Setup.SMALL_OUT.withIn(SessionDriver.SMALL_BUFFER));
            assertThat(exchange.normalized()).isEqualTo(echo(body, null) + plaintext());
        }
    }

    @Test
    void chunkedBodiesOfOtherEndpointsAreDropped() {
        String requests = "GET /json HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nwxyz\r\n0\r\n\r\n"
                + "POST /plaintext HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nq\r\n0\r\n\r\n" + NEXT;
        Exchange exchange = runEverywhere(requests);
        assertThat(exchange.normalized()).isEqualTo(Responses.json()
                + error(HttpStatus.METHOD_NOT_ALLOWED, "/plaintext allows GET, HEAD, OPTIONS", "GET, HEAD, OPTIONS", null) + plaintext());
    }

    @Test
    void transferEncodingNamesAndChunkedAreCaseInsensitive() {
        Exchange exchange = runEverywhere("POST /echo HTTP/1.1\r\nHost: h\r\ntransfer-encoding:  Chunked \r\n\r\n2\r\nok\r\n0\r\n\r\n"
                + "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: CHUNKED\r\n\r\n2\r\nOK\r\n0\r\n\r\n");
        assertThat(exchange.normalized()).isEqualTo(echo("ok", null) + echo("OK", null));
    }

    @Test
    void transferCodingListsMayHoldEmptyElements() {
        Exchange exchange = runEverywhere("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: , chunked ,\r\n\r\n1\r\na\r\n0\r\n\r\n"
                + "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding:\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nc\r\n0\r\n\r\n");
        assertThat(exchange.normalized()).isEqualTo(echo("a", null) + echo("c", null));
    }

    /** Parameters of another coding are checked by their grammar, then the coding is refused anyway (501). */
    @Test
    void parametersOfOtherCodingsAreParsedThenTheCodingIs501() {
        Exchange exchange = runEverywhere("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: x ; p=1 ; q=\"a\\\"b\", chunked\r\n\r\n"
                + "1\r\nb\r\n0\r\n\r\n" + NEXT);
        assertThat(exchange.responses()).extracting(Responses.Response::status).containsExactly(501);
    }

    // ---- 100-continue ------------------------------------------------------------------------

    @Test
    void continueThenEcho() {
        Exchange exchange = runEverywhere("POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello" + NEXT);
        assertThat(exchange.normalized()).isEqualTo(CONTINUE + echo("hello", null) + plaintext());
        assertThat(exchange.responses()).extracting(Responses.Response::status).containsExactly(100, 200, 200);
    }

    @Test
    void continueIsSentBeforeTheBodyIsRead() {
        SessionDriver driver = new SessionDriver();
        driver.feed("GET /json HTTP/1.1\r\nHost: h\r\nExpect: 100-CONTINUE\r\nTransfer-Encoding: chunked\r\n\r\n");
        assertThat(Responses.text(driver.takeOutput())).isEqualTo(CONTINUE);
        assertThat(driver.session.idle()).isFalse();
        driver.feed("3\r\nabc\r\n0\r\n\r\n");
        assertThat(driver.closed()).isFalse();
        assertThat(Responses.normalizeDates(Responses.text(driver.takeOutput()))).isEqualTo(Responses.json());
    }

    @Test
    void continueThenChunkedEcho() {
        Exchange exchange = runEverywhere("POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\nabc\r\n0\r\n\r\n" + NEXT);
        assertThat(exchange.normalized()).isEqualTo(CONTINUE + echo("abc", null) + plaintext());
    }

    @Test
    void noContinueWithoutABody() {
        Exchange exchange = runEverywhere("GET /plaintext HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n\r\n"
                + "POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n"
                + "GET /nope HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n\r\n" + NEXT);
        assertThat(exchange.normalized()).isEqualTo(plaintext() + echo("", null)
                + error(HttpStatus.NOT_FOUND, NOT_FOUND_DETAIL, null, null) + plaintext());
    }

    /** RFC 9110 10.1.1: a server MUST ignore a 100-continue expectation in an HTTP/1.0 request. */
    @Test
    void http10ExpectationIsIgnored() {
        Exchange exchange = runEverywhere("POST /echo HTTP/1.0\r\nConnection: keep-alive\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi"
                + "POST /nope HTTP/1.0\r\nConnection: keep-alive\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nho"
                + "GET /plaintext HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        assertThat(exchange.normalized()).isEqualTo(echo("hi", "keep-alive")
                + error(HttpStatus.NOT_FOUND, NOT_FOUND_DETAIL, null, "keep-alive") + plaintext("keep-alive"));
        assertThat(exchange.closed()).isFalse();
    }

    /**
     * A request refused before its body was asked for: the final status, then close, since the client
     * may or may not send the body; the bytes behind it are never parsed as a request.
     */
    @Test
    void refusedExpectationIsAnsweredWithoutWaitingForTheBody() {
        SessionDriver driver = new SessionDriver();
        driver.feed("POST /nope HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 5\r\n\r\n");
        assertThat(Responses.normalizeDates(Responses.text(driver.takeOutput())))
                .isEqualTo(error(HttpStatus.NOT_FOUND, NOT_FOUND_DETAIL, null, "close"));
        assertThat(driver.closed()).isTrue();
    }

    @Test
    void refusedExpectationGetsTheFinalStatusAndCloses() {
        Exchange exchange = runEverywhere("POST /nope HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: " + NEXT.length()
                + "\r\n\r\n" + NEXT + NEXT);
        assertThat(exchange.normalized()).isEqualTo(error(HttpStatus.NOT_FOUND, NOT_FOUND_DETAIL, null, "close"));
        assertThat(exchange.closed()).isTrue();
        assertThat(exchange.requests()).isEqualTo(1);

        exchange = runEverywhere("POST /plaintext HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\n" + NEXT);
        assertThat(exchange.normalized()).isEqualTo(error(HttpStatus.METHOD_NOT_ALLOWED, "/plaintext allows GET, HEAD, OPTIONS", "GET, HEAD, OPTIONS", "close"));
        assertThat(exchange.closed()).isTrue();

        exchange = runEverywhere("GET /delay HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx" + NEXT);
        assertThat(exchange.normalized()).isEqualTo(error(HttpStatus.BAD_REQUEST, "query parameter ms=0..60000 required", null, "close"));
        assertThat(exchange.waits()).isEmpty();
    }
}

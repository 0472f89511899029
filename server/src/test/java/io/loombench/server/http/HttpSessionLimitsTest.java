package io.loombench.server.http;

import io.loombench.server.http.SessionDriver.Exchange;
import io.loombench.server.http.SessionDriver.Setup;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.loombench.server.http.Responses.echo;
import static io.loombench.server.http.Responses.get;
import static io.loombench.server.http.Responses.plaintext;
import static io.loombench.server.http.SessionDriver.runEverywhere;
import static org.assertj.core.api.Assertions.assertThat;

/** Limits on the request line (414), the header and trailer sections (431), the body (413) and lines vs. the input buffer. */
class HttpSessionLimitsTest {
    private static final HttpLimits LIMITS = new HttpLimits(64, 256, 256, 100, 1000);
    private static final Setup SMALL = new Setup(LIMITS, 1024, SessionDriver.SMALL_BUFFER);
    private static final Setup TINY_IN = new Setup(LIMITS, 80, SessionDriver.SMALL_BUFFER);
    private static final String NEXT = get("/plaintext");

    /** {@code GET /plaintext?aaa HTTP/1.1}, exactly {@code length} bytes without its CRLF. */
    private static String requestLine(int length) {
        String prefix = "GET /plaintext?";
        String suffix = " HTTP/1.1";
        return prefix + "a".repeat(length - prefix.length() - suffix.length()) + suffix;
    }

    /** Field lines of exactly {@code length} bytes, with their CRLFs and the final empty line. */
    private static String headerSection(int length) {
        String host = "Host: h\r\n";
        String pad = "X-Pad: ";
        return host + pad + "p".repeat(length - host.length() - pad.length() - 4) + "\r\n\r\n";
    }

    private static void assertErrorAndClose(Exchange exchange, HttpStatus status) {
        List<Responses.Response> responses = exchange.responses();
        assertThat(responses).hasSize(1);
        assertThat(responses.get(0).statusLine()).isEqualTo("HTTP/1.1 " + status.code() + " " + status.reason());
        assertThat(responses.get(0).field("Connection")).isEqualTo("close");
        assertThat(exchange.closed()).isTrue();
    }

    // ---- request line -----------------------------------------------------------------------

    @Test
    void requestLineAtTheLimitIsServed() {
        Exchange exchange = runEverywhere(requestLine(64) + "\r\nHost: h\r\n\r\n" + NEXT, SMALL, TINY_IN);
        assertThat(exchange.normalized()).isEqualTo(plaintext() + plaintext());
    }

    @Test
    void requestLineOneOverTheLimitIs414() {
        assertErrorAndClose(runEverywhere(requestLine(65) + "\r\nHost: h\r\n\r\n" + NEXT, SMALL, TINY_IN), HttpStatus.URI_TOO_LONG);
    }

    @Test
    void defaultRequestLineLimit() {
        Exchange exchange = runEverywhere(requestLine(8192) + "\r\nHost: h\r\n\r\n" + NEXT);
        assertThat(exchange.normalized()).isEqualTo(plaintext() + plaintext());
        assertErrorAndClose(runEverywhere(requestLine(8193) + "\r\nHost: h\r\n\r\n" + NEXT), HttpStatus.URI_TOO_LONG);
    }

    /** 414 at the first byte too many, without waiting for an end that may never come. */
    @Test
    void overlongRequestLineFailsBeforeItsEnd() {
        SessionDriver driver = new SessionDriver(SMALL);
        String line = requestLine(200);
        driver.feed(line.substring(0, 64));
        assertThat(driver.closed()).isFalse();
        driver.feed(line.substring(64, 65));
        assertThat(driver.closed()).isTrue();
        assertErrorAndClose(driver.exchange(), HttpStatus.URI_TOO_LONG);
    }

    @Test
    void emptyLinesBeforeTheRequestDoNotCountAgainstTheLimit() {
        Exchange exchange = runEverywhere("\r\n\r\n" + requestLine(64) + "\r\nHost: h\r\n\r\n", SMALL, TINY_IN);
        assertThat(exchange.normalized()).isEqualTo(plaintext());
    }

    // ---- header section ---------------------------------------------------------------------

    @Test
    void headerSectionAtTheLimitIsServed() {
        Exchange exchange = runEverywhere("GET /plaintext HTTP/1.1\r\n" + headerSection(256) + NEXT, SMALL);
        assertThat(exchange.normalized()).isEqualTo(plaintext() + plaintext());
    }

    @Test
    void headerSectionOneOverTheLimitIs431() {
        assertErrorAndClose(runEverywhere("GET /plaintext HTTP/1.1\r\n" + headerSection(257) + NEXT, SMALL),
                HttpStatus.HEADER_FIELDS_TOO_LARGE);
    }

    @Test
    void manySmallFieldsOverTheLimitAre431() {
        String fields = "Host: h\r\n" + "A: b\r\n".repeat(41);
        assertThat(fields.length() + 2).isEqualTo(257);
        assertErrorAndClose(runEverywhere("GET /plaintext HTTP/1.1\r\n" + fields + "\r\n" + NEXT, SMALL),
                HttpStatus.HEADER_FIELDS_TOO_LARGE);
        Exchange exchange = runEverywhere("GET /plaintext HTTP/1.1\r\n" + fields.substring(0, fields.length() - 6) + "\r\n" + NEXT, SMALL);
        assertThat(exchange.normalized()).isEqualTo(plaintext() + plaintext());
    }

    @Test
    void defaultHeaderLimit() {
        // Two fields of 8 KiB minus a little: the section is 16 KiB, no field over 8 KiB.
        String fields = "Host: h\r\nX-A: " + "a".repeat(8180) + "\r\nX-B: ";
        String atLimit = fields + "b".repeat(16_384 - fields.length() - 4) + "\r\n\r\n";
        Exchange exchange = runEverywhere("GET /plaintext HTTP/1.1\r\n" + atLimit + NEXT);
        assertThat(exchange.normalized()).isEqualTo(plaintext() + plaintext());
        assertErrorAndClose(runEverywhere("GET /plaintext HTTP/1.1\r\n" + fields + "b".repeat(16_384 - fields.length() - 3) + "\r\n\r\n" + NEXT),
                HttpStatus.HEADER_FIELDS_TOO_LARGE);
    }

    @Test
    void overlongFieldFailsBeforeItsEnd() {
        SessionDriver driver = new SessionDriver(SMALL);
        driver.feed("GET /plaintext HTTP/1.1\r\nHost: h\r\nX: " + "x".repeat(240));
        assertThat(driver.closed()).isFalse();
        driver.feed("x".repeat(10));
        assertErrorAndClose(driver.exchange(), HttpStatus.HEADER_FIELDS_TOO_LARGE);
    }

    // ---- body -------------------------------------------------------------------------------

    @Test
    void contentLengthAtTheLimitIsEchoed() {
        String body = "b".repeat(1000);
        Exchange exchange = runEverywhere("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 1000\r\n\r\n" + body + NEXT, SMALL, TINY_IN);
        assertThat(exchange.normalized()).isEqualTo(echo(body, null) + plaintext());
    }

    /** 413 on the declared length alone, before any of the body arrives, and with no 100 Continue. */
    @Test
    void contentLengthOverTheLimitIs413AtOnce() {
        SessionDriver driver = new SessionDriver(SMALL);
        driver.feed("POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 1001\r\n\r\n");
        assertErrorAndClose(driver.exchange(), HttpStatus.CONTENT_TOO_LARGE);

        assertErrorAndClose(runEverywhere("POST /nope HTTP/1.1\r\nHost: h\r\nContent-Length: 1001\r\n\r\n" + "b".repeat(1001) + NEXT,
                SMALL), HttpStatus.CONTENT_TOO_LARGE);
    }

    @Test
    void defaultBodyLimit() {
        assertErrorAndClose(runEverywhere("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 1048577\r\n\r\n" + NEXT),
                HttpStatus.CONTENT_TOO_LARGE);
        String chunk = "b".repeat(1 << 19);
        String chunks = "80000\r\n" + chunk + "\r\n80000\r\n" + chunk + "\r\n";
        Exchange exchange = runEverywhere("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks + "0\r\n\r\n");
        assertThat(exchange.responses().get(0).field("Content-Length")).isEqualTo("1048576");
        assertErrorAndClose(runEverywhere("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks
                + "1\r\nb\r\n0\r\n\r\n" + NEXT), HttpStatus.CONTENT_TOO_LARGE);
    }

    @Test
    void chunkedAtTheLimitIsEchoed() {
        String half = "c".repeat(500);
        Exchange exchange = runEverywhere("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "1f4\r\n" + half + "\r\n1F4\r\n" + half + "\r\n0\r\n\r\n" + NEXT, SMALL, TINY_IN);
        assertThat(exchange.normalized()).isEqualTo(echo(half + half, null) + plaintext());
    }

    @Test
    void chunkedOverTheLimitIs413() {
        String half = "c".repeat(500);
        assertErrorAndClose(runEverywhere("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "1f4\r\n" + half + "\r\n1f5\r\n" + half + "c\r\n0\r\n\r\n" + NEXT, SMALL, TINY_IN), HttpStatus.CONTENT_TOO_LARGE);
        assertErrorAndClose(runEverywhere("GET /json HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3e9\r\n" + "c".repeat(1001) + "\r\n0\r\n\r\n" + NEXT, SMALL, TINY_IN), HttpStatus.CONTENT_TOO_LARGE);
    }

    /** 413 on a chunk's declared size, before its data. */
    @Test
    void oversizeChunkIs413BeforeItsData() {
        SessionDriver driver = new SessionDriver(SMALL);
        driver.feed("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3E9\r\n");
        assertErrorAndClose(driver.exchange(), HttpStatus.CONTENT_TOO_LARGE);
    }

    // ---- trailers and chunk size lines ------------------------------------------------------

    /** Trailer lines with their CRLFs and the final empty line: exactly {@code length} bytes. */
    private static String trailerSection(int length) {
        String name = "X-T: ";
        return name + "t".repeat(length - name.length() - 4) + "\r\n\r\n";
    }

    @Test
    void trailersAtTheLimitAreAccepted() {
        Exchange exchange = runEverywhere("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "2\r\nok\r\n0\r\n" + trailerSection(256) + NEXT, SMALL);
        assertThat(exchange.normalized()).isEqualTo(echo("ok", null) + plaintext());
    }

    @Test
    void trailersOverTheLimitAre431() {
        assertErrorAndClose(runEverywhere("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "2\r\nok\r\n0\r\n" + trailerSection(257) + NEXT, SMALL), HttpStatus.HEADER_FIELDS_TOO_LARGE);
        assertErrorAndClose(runEverywhere("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "2\r\nok\r\n0\r\n" + "T: 1\r\n".repeat(43) + "\r\n" + NEXT, SMALL), HttpStatus.HEADER_FIELDS_TOO_LARGE);
    }

    /** The header and the trailer sections have a budget each: trailers do not add to the headers'. */
    @Test
    void headersAndTrailersEachHaveTheirOwnBudget() {
        String headers = headerSection(256 - "Transfer-Encoding: chunked\r\n".length()).replace("Host: h\r\n",
                "Host: h\r\nTransfer-Encoding: chunked\r\n");
        assertThat(headers.length()).isEqualTo(256);
        Exchange exchange = runEverywhere("POST /echo HTTP/1.1\r\n" + headers + "1\r\nz\r\n0\r\n" + trailerSection(256) + NEXT, SMALL);
        assertThat(exchange.normalized()).isEqualTo(echo("z", null) + plaintext());
    }

    @Test
    void chunkSizeLineOf1024BytesIsAcceptedUnderEverySplit() {
        String sizeLine = "5;" + "e".repeat(ChunkedBodyDecoder.MAX_SIZE_LINE_BYTES - 2);
        Exchange exchange = runEverywhere("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + sizeLine + "\r\nhello\r\n0\r\n\r\n" + NEXT);
        assertThat(exchange.normalized()).isEqualTo(echo("hello", null) + plaintext());
    }

    @Test
    void chunkSizeLineOf1025BytesIs400() {
        String sizeLine = "5;" + "e".repeat(ChunkedBodyDecoder.MAX_SIZE_LINE_BYTES - 1);
        assertErrorAndClose(runEverywhere("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + sizeLine + "\r\nhello\r\n0\r\n\r\n" + NEXT), HttpStatus.BAD_REQUEST);
    }

    // ---- overlong lines that are malformed too: the same verdict under every split -----------

    @Test
    void overlongRequestLineWithABareLfIs414UnderEverySplit() {
        assertErrorAndClose(runEverywhere(requestLine(70) + "\nHost: h\r\n\r\n" + NEXT, SMALL), HttpStatus.URI_TOO_LONG);
        assertErrorAndClose(runEverywhere(requestLine(65) + "\nHost: h\r\n\r\n" + NEXT, SMALL), HttpStatus.URI_TOO_LONG);
    }

    /** The first byte that cannot be valid decides, wherever the line would have ended. */
    @Test
    void aBareCrBeforeTheLimitIs400UnderEverySplit() {
        assertErrorAndClose(runEverywhere("GET /pl\raintext" + "a".repeat(60) + " HTTP/1.1\r\nHost: h\r\n\r\n", SMALL),
                HttpStatus.BAD_REQUEST);
        assertErrorAndClose(runEverywhere("GET /plaintext HTTP/1.1\r\nHost: h\r\nX: a\rb" + "c".repeat(300) + "\r\n\r\n" + NEXT, SMALL),
                HttpStatus.BAD_REQUEST);
    }

    @Test
    void overlongChunkLinesWithABareLfGetTheirLimitsVerdictUnderEverySplit() {
        String sizeLine = "5;" + "e".repeat(ChunkedBodyDecoder.MAX_SIZE_LINE_BYTES + 10);
        Exchange exchange = runEverywhere("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + sizeLine + "\nhello\r\n0\r\n\r\n" + NEXT);
        assertErrorAndClose(exchange, HttpStatus.BAD_REQUEST);
        assertThat(exchange.responses().get(0).bodyText()).isEqualTo("400 Bad Request: chunk size line longer than 1024 bytes\n");
        assertErrorAndClose(runEverywhere("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nX-T: "
                + "t".repeat(300) + "\n\r\n" + NEXT, SMALL), HttpStatus.HEADER_FIELDS_TOO_LARGE);
    }

    // ---- lines longer than the input buffer -------------------------------------------------

    /** Limits larger than the buffer: a line that fills the whole input buffer cannot be parsed. */
    private static final Setup BUFFER_SMALLER_THAN_LIMITS = new Setup(new HttpLimits(8192, 65_536, 65_536, 100, 1 << 20), 512, SessionDriver.SMALL_BUFFER);

    @Test
    void linesThatJustFitTheInputBufferAreServed() {
        String requestLine = requestLine(510);
        String field = "X: " + "f".repeat(510 - 3);
        Exchange exchange = runEverywhere(requestLine + "\r\nHost: h\r\n" + field + "\r\n\r\n"
                + "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1;" + "e".repeat(508) + "\r\nq\r\n0\r\n" + field + "\r\n\r\n",
                BUFFER_SMALLER_THAN_LIMITS);
        assertThat(exchange.normalized()).isEqualTo(plaintext() + echo("q", null));
    }

    @Test
    void requestLineLongerThanTheInputBufferIs414() {
        assertErrorAndClose(runEverywhere(requestLine(600) + "\r\nHost: h\r\n\r\n" + NEXT, BUFFER_SMALLER_THAN_LIMITS), HttpStatus.URI_TOO_LONG);
    }

    @Test
    void fieldLineLongerThanTheInputBufferIs431() {
        assertErrorAndClose(runEverywhere("GET /plaintext HTTP/1.1\r\nHost: h\r\nX: " + "f".repeat(600) + "\r\n\r\n" + NEXT,
                BUFFER_SMALLER_THAN_LIMITS), HttpStatus.HEADER_FIELDS_TOO_LARGE);
        // The same with the server's default buffer and a header limit above it.
        Setup defaultBuffer = new Setup(new HttpLimits(8192, 65_536, 65_536, 100, 1 << 20), SessionDriver.DEFAULT_BUFFER, SessionDriver.DEFAULT_BUFFER);
        assertErrorAndClose(runEverywhere("GET /plaintext HTTP/1.1\r\nHost: h\r\nX: " + "f".repeat(20_000) + "\r\n\r\n" + NEXT,
                defaultBuffer), HttpStatus.HEADER_FIELDS_TOO_LARGE);
    }

    @Test
    void chunkSizeLineLongerThanTheInputBufferIs400() {
        assertErrorAndClose(runEverywhere("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1;" + "e".repeat(600)
                + "\r\nq\r\n0\r\n\r\n" + NEXT, BUFFER_SMALLER_THAN_LIMITS), HttpStatus.BAD_REQUEST);
    }

    @Test
    void trailerLineLongerThanTheInputBufferIs431() {
        assertErrorAndClose(runEverywhere("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nq\r\n0\r\nX: "
                + "t".repeat(600) + "\r\n\r\n" + NEXT, BUFFER_SMALLER_THAN_LIMITS), HttpStatus.HEADER_FIELDS_TOO_LARGE);
    }
}

package io.loombench.server.http;

import io.loombench.server.http.SessionDriver.Exchange;
import io.loombench.server.http.SessionDriver.Setup;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.loombench.server.http.Responses.get;
import static io.loombench.server.http.SessionDriver.runEverywhere;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 9112 framing, strictly: each malformed request gets its status, {@code Connection: close},
 * and the connection closes; the valid request pipelined behind it is never answered.
 */
class HttpSessionStrictnessTest {
    private static final String NEXT = get("/plaintext");

    /** A bad request and the status it must get. */
    record Case(String name, String request, HttpStatus status) {
        @Override
        public String toString() {
            return name + " -> " + status.code();
        }
    }

    private static Case bad(String name, String request) {
        return new Case(name, request, HttpStatus.BAD_REQUEST);
    }

    private static String withHeader(String field) {
        return "GET /plaintext HTTP/1.1\r\nHost: h\r\n" + field + "\r\n\r\n";
    }

    private static String post(String fields, String body) {
        return "POST /echo HTTP/1.1\r\nHost: h\r\n" + fields + "\r\n" + body;
    }

    private static String chunkedPost(String encodedBody) {
        return post("Transfer-Encoding: chunked\r\n", encodedBody);
    }

    static Stream<Case> lineEndings() {
        return Stream.of(
                bad("bare LF after request line", "GET /plaintext HTTP/1.1\nHost: h\r\n\r\n"),
                bad("bare LF after field", "GET /plaintext HTTP/1.1\r\nHost: h\n\r\n"),
                bad("bare LF as final line", "GET /plaintext HTTP/1.1\r\nHost: h\r\n\n"),
                bad("bare LF only lines", "GET /plaintext HTTP/1.1\n\n"),
                bad("bare LF before request line", "\nGET /plaintext HTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("bare CR in request target", "GET /plain\rtext HTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("bare CR ending request line", "GET /plaintext HTTP/1.1\rHost: h\r\n\r\n"),
                bad("bare CR in field value", "GET /plaintext HTTP/1.1\r\nHost: h\rX: y\r\n\r\n"),
                bad("CR CR LF", "GET /plaintext HTTP/1.1\r\nHost: h\r\r\n\r\n"),
                bad("bare CR as final line", "GET /plaintext HTTP/1.1\r\nHost: h\r\n\r\r\n"),
                bad("too many empty lines before request", "\r\n".repeat(9) + NEXT));
    }

    static Stream<Case> fieldSyntax() {
        return Stream.of(
                bad("obs-fold with space", "GET /plaintext HTTP/1.1\r\nHost: h\r\nX-A: a\r\n b\r\n\r\n"),
                bad("obs-fold with tab", "GET /plaintext HTTP/1.1\r\nHost: h\r\nX-A: a\r\n\tb\r\n\r\n"),
                bad("whitespace before first field", "GET /plaintext HTTP/1.1\r\n Host: h\r\n\r\n"),
                bad("space before colon", withHeader("X-A : b")),
                bad("space before colon of Host", "GET /plaintext HTTP/1.1\r\nHost : h\r\n\r\n"),
                bad("tab before colon", withHeader("X-A\t: b")),
                bad("space before colon of Content-Length", post("Content-Length : 1\r\n", "x")),
                bad("space inside field name", withHeader("X A: b")),
                bad("empty field name", withHeader(": b")),
                bad("no colon", withHeader("X-A b")),
                bad("separator in field name", withHeader("X(A): b")),
                bad("non-ASCII in field name", withHeader("X-\u00e9: b")),
                bad("NUL in field value", withHeader("X-A: a\u0000b")),
                bad("DEL in field value", withHeader("X-A: a\u007fb")),
                bad("SOH in field value", withHeader("X-A: \u0001")),
                bad("US in field value", withHeader("X-A: b\u001f")),
                bad("VT in field value", withHeader("X-A: b\u000bc")),
                bad("NUL in Host", "GET /plaintext HTTP/1.1\r\nHost: h\u0000\r\n\r\n"));
    }

    static Stream<Case> host() {
        return Stream.of(
                bad("missing Host in HTTP/1.1", "GET /plaintext HTTP/1.1\r\n\r\n"),
                bad("missing Host in HTTP/1.1 absolute-form", "GET http://h/plaintext HTTP/1.1\r\n\r\n"),
                bad("two Hosts", "GET /plaintext HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n"),
                bad("two Hosts, names in different case", "GET /plaintext HTTP/1.1\r\nhost: a\r\nHOST: b\r\n\r\n"),
                bad("two Hosts in HTTP/1.0", "GET /plaintext HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n"),
                bad("space inside Host", "GET /plaintext HTTP/1.1\r\nHost: a b\r\n\r\n"),
                bad("path in Host", "GET /plaintext HTTP/1.1\r\nHost: a/b\r\n\r\n"),
                bad("userinfo in Host", "GET /plaintext HTTP/1.1\r\nHost: user@a\r\n\r\n"),
                bad("letters in Host port", "GET /plaintext HTTP/1.1\r\nHost: a:80x\r\n\r\n"),
                bad("two ports in Host", "GET /plaintext HTTP/1.1\r\nHost: a:80:81\r\n\r\n"),
                bad("unclosed IP literal in Host", "GET /plaintext HTTP/1.1\r\nHost: [::1\r\n\r\n"),
                bad("empty IP literal in Host", "GET /plaintext HTTP/1.1\r\nHost: []\r\n\r\n"),
                bad("junk after IP literal in Host", "GET /plaintext HTTP/1.1\r\nHost: [::1]x\r\n\r\n"),
                bad("malformed Host in HTTP/1.0", "GET /plaintext HTTP/1.0\r\nHost: a\"b\r\n\r\n"));
    }

    @ParameterizedTest(name = "Host: {0}")
    @ValueSource(strings = {"", "example.com", "example.com:8080", "EXAMPLE.com:",
            "127.0.0.1", "127.0.0.1:80", "[::1]", "[::1]:8080", "[fe80::1%25eth0]", "xn--bcher-kva.example", "a_b~c"})
    void validHostsAreServed(String host) {
        Exchange exchange = runEverywhere(Responses.bytes("GET /plaintext HTTP/1.1\r\nHost: " + host + "\r\n\r\n"), Setup.DEFAULT);
        assertThat(exchange.responses()).singleElement()
                .satisfies(response -> assertThat(response.statusLine()).isEqualTo("HTTP/1.1 200 OK"));
    }

    static Stream<Case> contentLength() {
        List<Case> cases = new ArrayList<>();
        for (String value : new String[] {"+5", "-5", "-0", "5 5", "0x5", "5a", "a", "", "5.0", "5e0", "1_0",
                "99999999999999999999", "9223372036854775808", "18446744073709551621", "\u0665", "5,5", "5, 5", "5,", ",5"}) {
            cases.add(bad("Content-Length '" + value + "'", post("Content-Length: " + value + "\r\n", "hello")));
        }
        cases.add(bad("Content-Length twice, same value", post("Content-Length: 5\r\nContent-Length: 5\r\n", "hello")));
        cases.add(bad("Content-Length twice, different values", post("Content-Length: 5\r\ncontent-length: 3\r\n", "hello")));
        cases.add(new Case("Content-Length Long.MAX_VALUE", post("Content-Length: 9223372036854775807\r\n", "hello"),
                HttpStatus.CONTENT_TOO_LARGE));
        return cases.stream();
    }

    static Stream<Case> transferEncoding() {
        return Stream.of(
                bad("TE and CL", post("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", "0\r\n\r\n")),
                bad("CL and TE", post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n")),
                bad("TE and CL 0", post("Content-Length: 0\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n")),
                bad("chunked not last", post("Transfer-Encoding: chunked, gzip\r\n", "0\r\n\r\n")),
                bad("chunked not last over two lines", post("Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n", "0\r\n\r\n")),
                bad("no chunked at all", post("Transfer-Encoding: gzip\r\n", "0\r\n\r\n")),
                bad("identity", post("Transfer-Encoding: identity\r\n", "0\r\n\r\n")),
                bad("empty Transfer-Encoding", post("Transfer-Encoding: \r\n", "0\r\n\r\n")),
                bad("only commas", post("Transfer-Encoding: , ,\r\n", "0\r\n\r\n")),
                bad("chunked twice", post("Transfer-Encoding: chunked, chunked\r\n", "0\r\n\r\n")),
                bad("chunked twice over two lines", post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n")),
                bad("junk after chunked", post("Transfer-Encoding: chunked x\r\n", "0\r\n\r\n")),
                bad("quote after chunked", post("Transfer-Encoding: chunked\"\r\n", "0\r\n\r\n")),
                bad("slash in coding", post("Transfer-Encoding: chun/ked\r\n", "0\r\n\r\n")),
                bad("TE in HTTP/1.0", "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
                new Case("unknown coding before chunked", post("Transfer-Encoding: gzip, chunked\r\n", "0\r\n\r\n"), HttpStatus.NOT_IMPLEMENTED),
                new Case("unknown coding on its own line", post("Transfer-Encoding: x-custom\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"),
                        HttpStatus.NOT_IMPLEMENTED));
    }

    static Stream<Case> versions() {
        return Stream.of(
                new Case("HTTP/2.0", "GET /plaintext HTTP/2.0\r\nHost: h\r\n\r\n", HttpStatus.VERSION_NOT_SUPPORTED),
                new Case("HTTP/3.0", "GET /plaintext HTTP/3.0\r\nHost: h\r\n\r\n", HttpStatus.VERSION_NOT_SUPPORTED),
                new Case("HTTP/0.9", "GET /plaintext HTTP/0.9\r\n\r\n", HttpStatus.VERSION_NOT_SUPPORTED),
                new Case("HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", HttpStatus.VERSION_NOT_SUPPORTED),
                bad("lower-case http", "GET /plaintext http/1.1\r\nHost: h\r\n\r\n"),
                bad("two-digit minor", "GET /plaintext HTTP/1.10\r\nHost: h\r\n\r\n"),
                bad("no minor", "GET /plaintext HTTP/1\r\nHost: h\r\n\r\n"),
                bad("no dot", "GET /plaintext HTTP/11\r\nHost: h\r\n\r\n"),
                bad("letter minor", "GET /plaintext HTTP/1.x\r\nHost: h\r\n\r\n"),
                bad("HTTPS scheme as version", "GET /plaintext HTTPS/1.1\r\nHost: h\r\n\r\n"),
                bad("space in version", "GET /plaintext HTTP /1.1\r\nHost: h\r\n\r\n"),
                bad("trailing space after version", "GET /plaintext HTTP/1.1 \r\nHost: h\r\n\r\n"),
                bad("no version (HTTP/0.9 simple request)", "GET /plaintext\r\n\r\n"),
                bad("empty version", "GET /plaintext \r\nHost: h\r\n\r\n"));
    }

    static Stream<Case> requestLine() {
        return Stream.of(
                bad("double space after method", "GET  /plaintext HTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("double space before version", "GET /plaintext  HTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("missing target", "GET HTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("empty target", "GET  HTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("leading space", " GET /plaintext HTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("tab separator", "GET\t/plaintext HTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("tab before version", "GET /plaintext\tHTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("empty method", " /plaintext HTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("separator in method", "G(T /plaintext HTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("non-ASCII in target", "GET /plain\u00e9text HTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("DEL in target", "GET /plain\u007ftext HTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("NUL in target", "GET /plain\u0000text HTTP/1.1\r\nHost: h\r\n\r\n"),
                bad("relative target", "GET plaintext HTTP/1.1\r\nHost: h\r\n\r\n"),
                new Case("CONNECT", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", HttpStatus.NOT_IMPLEMENTED),
                bad("authority-form without CONNECT", "GET example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"),
                bad("asterisk-form without OPTIONS", "GET * HTTP/1.1\r\nHost: h\r\n\r\n"),
                new Case("lower-case method", "get /plaintext HTTP/1.1\r\nHost: h\r\n\r\n", HttpStatus.NOT_IMPLEMENTED),
                new Case("HTTP/1.2", "GET /plaintext HTTP/1.2\r\nHost: h\r\n\r\n", HttpStatus.VERSION_NOT_SUPPORTED),
                bad("only a method", "GET\r\n\r\n"),
                bad("garbage", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u01fc\u0003\u0003\r\n\r\n"));
    }

    static Stream<Case> chunkedBodies() {
        return Stream.of(
                bad("chunk size not hex", chunkedPost("g\r\nhello\r\n0\r\n\r\n")),
                bad("empty chunk size", chunkedPost("\r\nhello\r\n0\r\n\r\n")),
                bad("negative chunk size", chunkedPost("-5\r\nhello\r\n0\r\n\r\n")),
                bad("0x prefix", chunkedPost("0x5\r\nhello\r\n0\r\n\r\n")),
                bad("plus sign", chunkedPost("+5\r\nhello\r\n0\r\n\r\n")),
                bad("leading space", chunkedPost(" 5\r\nhello\r\n0\r\n\r\n")),
                bad("junk after size", chunkedPost("5 x\r\nhello\r\n0\r\n\r\n")),
                bad("NUL in extension", chunkedPost("5;a\u0000\r\nhello\r\n0\r\n\r\n")),
                new Case("chunk size of 17 digits", chunkedPost("10000000000000000\r\nhello\r\n0\r\n\r\n"), HttpStatus.CONTENT_TOO_LARGE),
                new Case("chunk size Long.MAX_VALUE", chunkedPost("7fffffffffffffff\r\nhello\r\n0\r\n\r\n"), HttpStatus.CONTENT_TOO_LARGE),
                bad("bare LF after chunk size", chunkedPost("5\nhello\r\n0\r\n\r\n")),
                bad("bare CR in chunk size line", chunkedPost("5\r;x\r\nhello\r\n0\r\n\r\n")),
                bad("chunk data longer than its size", chunkedPost("5\r\nhello!\r\n0\r\n\r\n")),
                bad("chunk data shorter than its size", chunkedPost("5\r\nhell\r\n0\r\n\r\n" + "\r\n".repeat(3))),
                bad("bare LF after chunk data", chunkedPost("5\r\nhello\n0\r\n\r\n")),
                bad("bare CR after chunk data", chunkedPost("5\r\nhello\r0\r\n\r\n")),
                bad("no CRLF after chunk data", chunkedPost("5\r\nhello0\r\n\r\n")),
                bad("bare LF ending the body", chunkedPost("5\r\nhello\r\n0\r\n\n")),
                bad("bare LF after last chunk", chunkedPost("0\n\r\n")),
                bad("malformed trailer", chunkedPost("0\r\nbad trailer\r\n\r\n")),
                bad("space before colon in trailer", chunkedPost("0\r\nX-T : 1\r\n\r\n")),
                bad("obs-fold in trailer", chunkedPost("0\r\nX-T: 1\r\n 2\r\n\r\n")),
                bad("NUL in trailer value", chunkedPost("0\r\nX-T: \u0000\r\n\r\n")),
                bad("bare LF in trailer", chunkedPost("0\r\nX-T: 1\n\r\n")));
    }

    static Stream<Case> expectations() {
        return Stream.of(
                new Case("unknown expectation", post("Expect: 200-ok\r\nContent-Length: 5\r\n", "hello"), HttpStatus.EXPECTATION_FAILED),
                new Case("unknown expectation without body", withHeader("Expect: something"), HttpStatus.EXPECTATION_FAILED),
                new Case("100-continue with another expectation", post("Expect: 100-continue, x\r\nContent-Length: 5\r\n", "hello"),
                        HttpStatus.EXPECTATION_FAILED),
                new Case("empty expectation", withHeader("Expect:"), HttpStatus.EXPECTATION_FAILED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"lineEndings", "fieldSyntax", "host", "contentLength", "transferEncoding", "versions", "requestLine",
            "chunkedBodies", "expectations"})
    void isAnsweredThenClosedAndNothingBehindItIsProcessed(Case bad) {
        Exchange exchange = runEverywhere(Responses.bytes(bad.request() + NEXT), Setup.DEFAULT, Setup.SMALL_OUT.withIn(SessionDriver.SMALL_BUFFER));
        List<Responses.Response> responses = exchange.responses();
        assertThat(responses).as(Responses.visible(exchange.normalized())).hasSize(1);
        Responses.Response response = responses.get(0);
        assertThat(response.statusLine()).isEqualTo("HTTP/1.1 " + bad.status().code() + " " + bad.status().reason());
        assertThat(response.field("Connection")).isEqualTo("close");
        assertThat(response.field("Content-Type")).isEqualTo("text/plain");
        assertThat(response.bodyText()).startsWith(bad.status().code() + " " + bad.status().reason() + ": ").endsWith("\n");
        assertThat(exchange.closed()).isTrue();
        assertThat(exchange.waits()).isEmpty();
        assertThat(exchange.requests()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"lineEndings", "fieldSyntax", "host", "contentLength", "transferEncoding", "versions", "requestLine",
            "chunkedBodies", "expectations"})
    void isCountedAsItsErrorKind(Case bad) {
        SessionDriver driver = new SessionDriver();
        driver.feed(bad.request() + NEXT);
        assertThat(driver.counters.snapshot().errors()).containsEntry(bad.status().errorKind(), 1L);
        assertThat(driver.counters.snapshot().errors().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1);
    }
}

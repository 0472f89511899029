package io.loombench.server.http;

import io.loombench.server.ServerError;
import io.loombench.server.http.SessionDriver.Exchange;
import io.loombench.server.protocol.CpuWork;
import io.loombench.server.protocol.Next;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.loombench.server.http.Responses.error;
import static io.loombench.server.http.Responses.get;
import static io.loombench.server.http.Responses.json;
import static io.loombench.server.http.Responses.ok;
import static io.loombench.server.http.Responses.okHead;
import static io.loombench.server.http.Responses.plaintext;
import static io.loombench.server.http.SessionDriver.runEverywhere;
import static org.assertj.core.api.Assertions.assertThat;

/** Every endpoint and method, HTTP/1.0 and 1.1, persistence; each request split at every byte. */
class HttpSessionEndpointsTest {
    private static final String NOT_FOUND_DETAIL = "no such resource; try /plaintext, /json, /echo, /delay?ms=N or /cpu?work=N";
    private static final String NEXT = get("/plaintext");

    @Test
    void plaintextGet() {
        Exchange exchange = runEverywhere(get("/plaintext"));
        assertThat(exchange.normalized()).isEqualTo(plaintext());
        assertThat(exchange.closed()).isFalse();
        assertThat(exchange.requests()).isEqualTo(1);
    }

    @Test
    void plaintextExactBytes() {
        Exchange exchange = SessionDriver.run(SessionDriver.Setup.DEFAULT, Responses.bytes(get("/plaintext")));
        String text = Responses.text(exchange.output());
        assertThat(text).matches("HTTP/1\\.1 200 OK\r\nServer: loombench\r\n"
                + "Date: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d\\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} \\d\\d:\\d\\d:\\d\\d GMT\r\n"
                + "Content-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!");
    }

    @Test
    void plaintextHead() {
        Exchange exchange = runEverywhere("HEAD /plaintext HTTP/1.1\r\nHost: h\r\n\r\n" + NEXT);
        assertThat(exchange.normalized()).isEqualTo(okHead("text/plain", 13, null) + plaintext());
        assertThat(exchange.responses(0)).extracting(Responses.Response::status).containsExactly(200, 200);
    }

    @Test
    void jsonGet() {
        assertThat(runEverywhere(get("/json")).normalized()).isEqualTo(Responses.json());
    }

    @Test
    void jsonHead() {
        Exchange exchange = runEverywhere("HEAD /json HTTP/1.1\r\nHost: h\r\n\r\n" + NEXT);
        assertThat(exchange.normalized()).isEqualTo(okHead("application/json", 27, null) + plaintext());
    }

    @Test
    void delayWaitsThenAnswersWithItsParameter() {
        Exchange exchange = runEverywhere(get("/delay?ms=25"));
        assertThat(exchange.waits()).containsExactly(25L);
        assertThat(exchange.normalized()).isEqualTo(ok("text/plain", "25"));
    }

    @Test
    void delayHeadWaitsWithoutBody() {
        Exchange exchange = runEverywhere("HEAD /delay?ms=7 HTTP/1.1\r\nHost: h\r\n\r\n" + NEXT);
        assertThat(exchange.waits()).containsExactly(7L);
        assertThat(exchange.normalized()).isEqualTo(okHead("text/plain", 1, null) + plaintext());
    }

    @Test
    void delayZeroDoesNotWait() {
        Exchange exchange = runEverywhere(get("/delay?ms=0"));
        assertThat(exchange.waits()).isEmpty();
        assertThat(exchange.normalized()).isEqualTo(ok("text/plain", "0"));
    }

    @Test
    void delayParameterFoundAmongOthersAndAtItsMaximum() {
        Exchange exchange = runEverywhere(get("/delay?x=1&ms=60000&ms=2") + get("/delay?msx=1&ms=3"));
        assertThat(exchange.waits()).containsExactly(60_000L, 3L);
        assertThat(exchange.normalized()).isEqualTo(ok("text/plain", "60000") + ok("text/plain", "3"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/delay", "/delay?", "/delay?ms=", "/delay?ms=60001", "/delay?ms=-1", "/delay?ms=+1",
            "/delay?ms=1x", "/delay?ms=0x10", "/delay?MS=1", "/delay?ms=99999999999999999999999"})
    void delayWithoutValidParameterIs400AndKeepsTheConnection(String target) {
        Exchange exchange = runEverywhere(get(target) + NEXT);
        assertThat(exchange.waits()).isEmpty();
        assertThat(exchange.normalized()).isEqualTo(
                error(HttpStatus.BAD_REQUEST, "query parameter ms=0..60000 required", null, null) + plaintext());
        assertThat(exchange.closed()).isFalse();
    }

    @Test
    void cpuAnswersWithTheComputedValue() {
        String expected = Long.toString(CpuWork.compute(12_345) & Long.MAX_VALUE);
        Exchange exchange = runEverywhere(get("/cpu?work=12345") + get("/cpu?work=0"));
        assertThat(exchange.normalized()).isEqualTo(ok("text/plain", expected) + ok("text/plain", "0"));
        assertThat(exchange.waits()).isEmpty();
    }

    @Test
    void cpuHead() {
        String value = Long.toString(CpuWork.compute(99) & Long.MAX_VALUE);
        Exchange exchange = runEverywhere("HEAD /cpu?work=99 HTTP/1.1\r\nHost: h\r\n\r\n" + NEXT);
        assertThat(exchange.normalized()).isEqualTo(okHead("text/plain", value.length(), null) + plaintext());
    }

    @Test
    void cpuOverItsMaximumIs400() {
        Exchange exchange = runEverywhere(get("/cpu?work=" + (CpuWork.MAX_UNITS + 1)) + NEXT);
        assertThat(exchange.normalized()).isEqualTo(
                error(HttpStatus.BAD_REQUEST, "query parameter work=0.." + CpuWork.MAX_UNITS + " required", null, null) + plaintext());
    }

    @Test
    void echoReturnsTheBody() {
        Exchange exchange = runEverywhere("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello" + NEXT);
        assertThat(exchange.normalized()).isEqualTo(Responses.echo("hello", null) + plaintext());
    }

    @Test
    void echoOfAnEmptyBody() {
        Exchange exchange = runEverywhere("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n" + NEXT);
        assertThat(exchange.normalized()).isEqualTo(Responses.echo("", null) + plaintext());
    }

    /** RFC 9112 6.3: a request with neither Content-Length nor Transfer-Encoding has an empty body. */
    @Test
    void echoWithoutBodyFramingHasAnEmptyBody() {
        Exchange exchange = runEverywhere("POST /echo HTTP/1.1\r\nHost: h\r\n\r\n" + NEXT);
        assertThat(exchange.normalized()).isEqualTo(Responses.echo("", null) + plaintext());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/nope", "/plaintext/", "/PLAINTEXT", "/plaintext%20", "/json.json", "/echo/x",
            "http://example.com/", "http://example.com", "/delayed?ms=1"})
    void unknownPathIs404AndKeepsTheConnection(String target) {
        Exchange exchange = runEverywhere(get(target) + NEXT);
        assertThat(exchange.normalized()).isEqualTo(error(HttpStatus.NOT_FOUND, NOT_FOUND_DETAIL, null, null) + plaintext());
        assertThat(exchange.closed()).isFalse();
    }

    @Test
    void queryAndAbsoluteFormReachTheEndpoint() {
        Exchange exchange = runEverywhere(get("/plaintext?x=1") + get("http://example.com/json")
                + get("HTTPS://example.com:8443/delay?ms=4"));
        assertThat(exchange.normalized()).isEqualTo(plaintext() + json() + ok("text/plain", "4"));
    }

    @Test
    void wrongMethodIs405WithAllowAndKeepsTheConnection() {
        String requests = "POST /plaintext HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
                + get("/echo")
                + "PUT /json HTTP/1.1\r\nHost: h\r\n\r\n"
                + "TRACE /plaintext HTTP/1.1\r\nHost: h\r\n\r\n"
                + "DELETE /delay?ms=5 HTTP/1.1\r\nHost: h\r\n\r\n"
                + NEXT;
        Exchange exchange = runEverywhere(requests);
        assertThat(exchange.normalized()).isEqualTo(
                error(HttpStatus.METHOD_NOT_ALLOWED, "/plaintext allows GET, HEAD, OPTIONS", "GET, HEAD, OPTIONS", null)
                        + error(HttpStatus.METHOD_NOT_ALLOWED, "/echo allows POST, OPTIONS", "POST, OPTIONS", null)
                        + error(HttpStatus.METHOD_NOT_ALLOWED, "/json allows GET, HEAD, OPTIONS", "GET, HEAD, OPTIONS", null)
                        + error(HttpStatus.METHOD_NOT_ALLOWED, "/plaintext allows GET, HEAD, OPTIONS", "GET, HEAD, OPTIONS", null)
                        + error(HttpStatus.METHOD_NOT_ALLOWED, "/delay allows GET, HEAD, OPTIONS", "GET, HEAD, OPTIONS", null)
                        + plaintext());
        assertThat(exchange.waits()).isEmpty();
        assertThat(exchange.closed()).isFalse();
    }

    /** RFC 9110 9.3.2: a response to HEAD never carries content, errors included; else the next response is misread. */
    @Test
    void headErrorsHaveNoBody() {
        String requests = "HEAD /nope HTTP/1.1\r\nHost: h\r\n\r\n"
                + "HEAD /echo HTTP/1.1\r\nHost: h\r\n\r\n"
                + "HEAD /delay HTTP/1.1\r\nHost: h\r\n\r\n"
                + NEXT;
        Exchange exchange = runEverywhere(requests);
        List<Responses.Response> responses = exchange.responses(0, 1, 2);
        assertThat(responses).extracting(Responses.Response::status).containsExactly(404, 405, 400, 200);
        assertThat(responses.get(0).field("Content-Length")).isEqualTo(
                Integer.toString(("404 Not Found: " + NOT_FOUND_DETAIL + "\n").length()));
        assertThat(responses.get(1).field("Allow")).isEqualTo("POST, OPTIONS");
        assertThat(responses.get(3).bodyText()).isEqualTo("Hello, World!");
        assertThat(exchange.closed()).isFalse();
    }

    @Test
    void http10WithoutKeepAliveClosesAfterTheResponse() {
        Exchange exchange = runEverywhere("GET /plaintext HTTP/1.0\r\n\r\n" + NEXT);
        assertThat(exchange.normalized()).isEqualTo(plaintext("close"));
        assertThat(exchange.closed()).isTrue();
        assertThat(exchange.requests()).isEqualTo(1);
    }

    @Test
    void http10WithKeepAlivePersists() {
        String request = "GET /json HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n";
        Exchange exchange = runEverywhere(request + request + "GET /plaintext HTTP/1.0\r\nHost: h\r\n\r\n" + NEXT);
        String json = ok("application/json", "{\"message\":\"Hello, World!\"}", "keep-alive");
        assertThat(exchange.normalized()).isEqualTo(json + json + plaintext("close"));
        assertThat(exchange.closed()).isTrue();
    }

    @Test
    void http10KeepAliveErrorsAndEchoSayKeepAlive() {
        Exchange exchange = runEverywhere("GET /nope HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                + "POST /echo HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nhi"
                + "HEAD /plaintext HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        assertThat(exchange.normalized()).isEqualTo(
                error(HttpStatus.NOT_FOUND, NOT_FOUND_DETAIL, null, "keep-alive")
                        + Responses.echo("hi", "keep-alive")
                        + okHead("text/plain", 13, "keep-alive"));
        assertThat(exchange.closed()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"close", "CLOSE", "keep-alive, close", "Upgrade ,close", "close, keep-alive"})
    void http11ConnectionCloseClosesAfterTheResponse(String value) {
        Exchange exchange = runEverywhere("GET /plaintext HTTP/1.1\r\nHost: h\r\nConnection: " + value + "\r\n\r\n" + NEXT);
        assertThat(exchange.normalized()).isEqualTo(plaintext("close"));
        assertThat(exchange.closed()).isTrue();
        assertThat(exchange.requests()).isEqualTo(1);
    }

    @Test
    void http11ConnectionCloseOnAnErrorClosesToo() {
        Exchange exchange = runEverywhere("GET /nope HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n" + NEXT);
        assertThat(exchange.normalized()).isEqualTo(error(HttpStatus.NOT_FOUND, NOT_FOUND_DETAIL, null, "close"));
        assertThat(exchange.closed()).isTrue();
    }

    @Test
    void http11PersistsAcrossRequestsInSeparateReads() {
        SessionDriver driver = new SessionDriver();
        assertThat(driver.last()).isEqualTo(Next.NEED_INPUT);
        assertThat(driver.session.idle()).isTrue();
        for (String target : List.of("/plaintext", "/json", "/delay?ms=1", "/cpu?work=5", "/nope", "/plaintext")) {
            driver.feed(get(target));
            assertThat(driver.last()).isEqualTo(Next.NEED_INPUT);
            assertThat(driver.closed()).isFalse();
            assertThat(driver.session.idle()).isTrue();
            assertThat(Responses.parse(driver.takeOutput())).hasSize(1);
        }
        assertThat(driver.counters.snapshot().requests()).isEqualTo(6);
        assertThat(driver.counters.snapshot().errors(ServerError.NOT_FOUND)).isEqualTo(1);
    }

    @Test
    void optionsTellsWhatEachResourceAndTheServerAllow() {
        Exchange exchange = runEverywhere("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n"
                + "OPTIONS /echo HTTP/1.1\r\nHost: h\r\n\r\n"
                + "OPTIONS http://h/json HTTP/1.1\r\nHost: h\r\n\r\n"
                + "OPTIONS /nope HTTP/1.1\r\nHost: h\r\n\r\n" + NEXT);
        List<Responses.Response> responses = exchange.responses();
        assertThat(responses).extracting(Responses.Response::status).containsExactly(200, 200, 200, 404, 200);
        assertThat(responses).extracting(response -> response.field("Allow"))
                .containsExactly("GET, HEAD, POST, OPTIONS", "POST, OPTIONS", "GET, HEAD, OPTIONS", null, null);
        assertThat(responses.get(0).field("Content-Length")).isEqualTo("0");
        assertThat(responses.get(0).field("Content-Type")).isNull();
        assertThat(exchange.closed()).isFalse();
    }

    @Test
    void emptyLinesBeforeARequestAreIgnored() {
        Exchange exchange = runEverywhere("\r\n" + NEXT + "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n" + NEXT);
        assertThat(exchange.normalized()).isEqualTo(plaintext() + plaintext());
    }

    @Test
    void fieldNamesAreCaseInsensitiveAndValuesTrimmed() {
        Exchange exchange = runEverywhere("POST /echo HTTP/1.1\r\nhOsT:h\r\ncontent-LENGTH: \t 3 \t\r\nX-Other:\r\n"
                + "X-Obs-Text: caf\u00e9\r\n\r\nabc");
        assertThat(exchange.normalized()).isEqualTo(Responses.echo("abc", null));
    }

    @Test
    void drainingEndsTheRequestInFlightAndLeavesIdleConnectionsToTheDriver() {
        SessionDriver driver = new SessionDriver();
        driver.feed("GET /plaintext HTTP/1.1\r\n");
        driver.shutdown.drain();
        driver.feed("Host: h\r\n\r\n" + NEXT);
        assertThat(Responses.normalizeDates(Responses.text(driver.output()))).isEqualTo(plaintext("close"));
        assertThat(driver.closed()).isTrue();

        SessionDriver idle = new SessionDriver();
        idle.feed(get("/json"));
        assertThat(idle.closed()).isFalse();
        idle.shutdown.drain();
        assertThat(idle.session.process(java.nio.ByteBuffer.allocate(16).flip(), java.nio.ByteBuffer.allocate(4096), 0))
                .isEqualTo(Next.NEED_INPUT);
        assertThat(idle.session.idle()).as("the driver closes it unless a request already arrived").isTrue();
    }
}

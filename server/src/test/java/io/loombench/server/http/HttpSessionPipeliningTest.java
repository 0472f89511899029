package io.loombench.server.http;

import io.loombench.server.http.SessionDriver.Exchange;
import io.loombench.server.http.SessionDriver.Setup;
import io.loombench.server.protocol.CpuWork;
import io.loombench.server.protocol.Next;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.loombench.server.http.Responses.CONTINUE;
import static io.loombench.server.http.Responses.error;
import static io.loombench.server.http.Responses.get;
import static io.loombench.server.http.Responses.ok;
import static io.loombench.server.http.Responses.plaintext;
import static io.loombench.server.http.SessionDriver.runEverywhere;
import static org.assertj.core.api.Assertions.assertThat;

/** Many requests in one buffer: answered one at a time, in order, across WAITs, bodies and FLUSHes. */
class HttpSessionPipeliningTest {

    /** A request and the exact response it must get. */
    private record Pair(String request, String response, Long waitMillis) {
    }

    private static List<Pair> mixedRequests(int count, long seed) {
        Random random = new Random(seed);
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            switch (random.nextInt(9)) {
                case 0 -> pairs.add(new Pair(get("/plaintext"), plaintext(), null));
                case 1 -> pairs.add(new Pair(get("/json"), Responses.json(), null));
                case 2 -> {
                    int ms = 1 + random.nextInt(50);
                    pairs.add(new Pair(get("/delay?ms=" + ms), ok("text/plain", Integer.toString(ms)), (long) ms));
                }
                case 3 -> {
                    int work = random.nextInt(2000);
                    pairs.add(new Pair(get("/cpu?work=" + work), ok("text/plain", Long.toString(CpuWork.compute(work) & Long.MAX_VALUE)), null));
                }
                case 4 -> {
                    String body = randomText(random, random.nextInt(3000));
                    pairs.add(new Pair("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: " + body.length() + "\r\n\r\n" + body,
                            Responses.echo(body, null), null));
                }
                case 5 -> {
                    String body = randomText(random, random.nextInt(3000));
                    pairs.add(new Pair("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + HttpSessionBodyTest.chunked(body, random, ""), Responses.echo(body, null), null));
                }
                case 6 -> pairs.add(new Pair(get("/missing"), error(HttpStatus.NOT_FOUND,
                        "no such resource; try /plaintext, /json, /echo, /delay?ms=N or /cpu?work=N", null, null), null));
                case 7 -> pairs.add(new Pair("HEAD /json HTTP/1.1\r\nHost: h\r\n\r\n",
                        Responses.okHead("application/json", 27, null), null));
                default -> {
                    String body = randomText(random, 1 + random.nextInt(40));
                    pairs.add(new Pair("POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: "
                            + body.length() + "\r\n\r\n" + body, CONTINUE + Responses.echo(body, null), null));
                }
            }
        }
        return pairs;
    }

    static String randomText(Random random, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append((char) random.nextInt(256));
        }
        return sb.toString();
    }

    @Test
    void hundredMixedRequestsInOneBufferAreAnsweredInOrder() {
        for (long seed = 1; seed <= 3; seed++) {
            List<Pair> pairs = mixedRequests(100, seed);
            StringBuilder requests = new StringBuilder();
            StringBuilder responses = new StringBuilder();
            List<Long> waits = new ArrayList<>();
            for (Pair pair : pairs) {
                requests.append(pair.request());
                responses.append(pair.response());
                if (pair.waitMillis() != null) {
                    waits.add(pair.waitMillis());
                }
            }
            Exchange exchange = runEverywhere(Responses.bytes(requests.toString()), Setup.DEFAULT, Setup.SMALL_OUT,
                    Setup.SMALL_OUT.withIn(SessionDriver.SMALL_BUFFER));
            assertThat(exchange.normalized()).isEqualTo(responses.toString());
            assertThat(exchange.waits()).isEqualTo(waits);
            assertThat(exchange.closed()).isFalse();
            assertThat(exchange.requests()).isEqualTo(pairs.size());
        }
    }

    @Test
    void delaysInterleavedWithOtherRequestsKeepTheirPlace() {
        String requests = get("/plaintext") + get("/delay?ms=30") + get("/json") + get("/delay?ms=10")
                + "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc" + get("/delay?ms=20");
        Exchange exchange = runEverywhere(requests);
        assertThat(exchange.waits()).containsExactly(30L, 10L, 20L);
        assertThat(exchange.normalized()).isEqualTo(plaintext() + ok("text/plain", "30") + Responses.json()
                + ok("text/plain", "10") + Responses.echo("abc", null) + ok("text/plain", "20"));
    }

    /** Step by step: WAIT leaves the pipelined request unread and owes nothing yet. */
    @Test
    void waitLeavesPipelinedInputInTheBuffer() {
        HttpSession session = new SessionDriver().session;
        String first = get("/delay?ms=15");
        String second = get("/plaintext");
        ByteBuffer in = ByteBuffer.wrap(Responses.bytes(first + second));
        ByteBuffer out = ByteBuffer.allocate(SessionDriver.DEFAULT_BUFFER);

        assertThat(session.process(in, out, 0)).isEqualTo(Next.WAIT);
        assertThat(session.waitMillis()).isEqualTo(15);
        assertThat(out.position()).isZero();
        assertThat(in.position()).isEqualTo(first.length());
        assertThat(session.idle()).isFalse();

        assertThat(session.process(in, out, 15_000_000)).isEqualTo(Next.NEED_INPUT);
        assertThat(in.hasRemaining()).isFalse();
        assertThat(Responses.normalizeDates(Responses.text(out.flip().array()).substring(0, out.limit())))
                .isEqualTo(ok("text/plain", "15") + plaintext());
        assertThat(session.idle()).isTrue();
    }

    @Test
    void keepAliveErrorsDoNotStopThePipeline() {
        String requests = get("/nope") + "PUT /json HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nbody"
                + get("/delay?ms=x") + "POST /nope HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                + get("/plaintext");
        Exchange exchange = runEverywhere(requests);
        assertThat(exchange.responses()).extracting(Responses.Response::status).containsExactly(404, 405, 400, 404, 200);
        assertThat(exchange.closed()).isFalse();
    }

    @Test
    void aCloseInTheMiddleEndsThePipeline() {
        String requests = get("/json") + "GET /plaintext HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n" + get("/json");
        Exchange exchange = runEverywhere(requests);
        assertThat(exchange.normalized()).isEqualTo(Responses.json() + plaintext("close"));
        assertThat(exchange.closed()).isTrue();
        assertThat(exchange.requests()).isEqualTo(2);
    }

    @Test
    void pipelinedHttp10KeepAlive() {
        String request = "GET /plaintext HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
        Exchange exchange = runEverywhere(request.repeat(50));
        assertThat(exchange.normalized()).isEqualTo(plaintext("keep-alive").repeat(50));
        assertThat(exchange.closed()).isFalse();
    }

    /** Responses larger than the output buffer in the middle of a pipeline go out through FLUSH. */
    @Test
    void largeEchoesBetweenSmallResponsesWithTheSmallestOutputBuffer() {
        Random random = new Random(42);
        String big = randomText(random, 20_000);
        String bigger = randomText(random, 50_000);
        String requests = get("/json") + "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: " + big.length() + "\r\n\r\n" + big
                + get("/delay?ms=3")
                + "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + HttpSessionBodyTest.chunked(bigger, random, ";x=y")
                + get("/plaintext");
        Exchange exchange = runEverywhere(Responses.bytes(requests), Setup.SMALL_OUT, Setup.SMALL_OUT.withIn(SessionDriver.SMALL_BUFFER));
        assertThat(exchange.normalized()).isEqualTo(Responses.json() + Responses.echo(big, null) + ok("text/plain", "3")
                + Responses.echo(bigger, null) + plaintext());
    }
}

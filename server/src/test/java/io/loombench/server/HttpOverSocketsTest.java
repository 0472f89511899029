package io.loombench.server;

import io.loombench.common.Protocol;
import io.loombench.server.TestSupport.Client;
import io.loombench.server.TestSupport.HttpResponse;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.loombench.server.TestSupport.ascii;
import static io.loombench.server.TestSupport.awaitStats;
import static io.loombench.server.TestSupport.closeAndCheck;
import static io.loombench.server.TestSupport.concat;
import static io.loombench.server.TestSupport.config;
import static io.loombench.server.TestSupport.get;
import static io.loombench.server.TestSupport.postEcho;
import static io.loombench.server.TestSupport.randomBytes;
import static io.loombench.server.TestSupport.request;
import static io.loombench.server.TestSupport.start;
import static io.loombench.server.TestSupport.stayIdle;
import static io.loombench.server.TestSupport.writeInPieces;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP/1.1 over real sockets in every model: pipelining, chunked request bodies, persistent
 * connections in their HTTP/1.1 and HTTP/1.0 forms, a 1 MiB streamed echo, {@code 100-continue},
 * and a slow request that must not hold up other connections. The codec's byte-level behaviour
 * is tested in the http package; here the point is that every model drives it correctly.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(TestSupport.CloseServers.class)
class HttpOverSocketsTest {

    private static final String HELLO = "Hello, World!";
    private static final String HELLO_JSON = "{\"message\":\"Hello, World!\"}";

    /** A mixed batch of requests, the last one closing; the responses must come back in this order. */
    private static byte[] pipelinedBatch() {
        return concat(
                ascii(get("/plaintext")),
                ascii(get("/json")),
                postEcho(ascii("abc")),
                ascii(get("/delay?ms=20")),
                ascii(request("HEAD", "/plaintext")),
                ascii(get("/missing")),
                ascii(request("DELETE", "/plaintext")),
                ascii(get("/cpu?work=1000")),
                postEcho(ascii("last"), "Connection: close"));
    }

    private static void assertPipelinedResponses(Client connection) throws IOException {
        HttpResponse plaintext = connection.read();
        assertThat(plaintext.status()).isEqualTo(200);
        assertThat(plaintext.header("Content-Type")).isEqualTo("text/plain");
        assertThat(plaintext.bodyText()).isEqualTo(HELLO);

        HttpResponse json = connection.read();
        assertThat(json.status()).isEqualTo(200);
        assertThat(json.header("Content-Type")).isEqualTo("application/json");
        assertThat(json.bodyText()).isEqualTo(HELLO_JSON);

        HttpResponse echo = connection.read();
        assertThat(echo.status()).isEqualTo(200);
        assertThat(echo.bodyText()).isEqualTo("abc");

        HttpResponse delay = connection.read();
        assertThat(delay.status()).isEqualTo(200);
        assertThat(delay.bodyText()).isEqualTo("20");

        HttpResponse head = connection.readHead();
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(HELLO.length()));

        HttpResponse missing = connection.read();
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.closes()).as("a 404 keeps the connection").isFalse();

        HttpResponse wrongMethod = connection.read();
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");

        HttpResponse cpu = connection.read();
        assertThat(cpu.status()).isEqualTo(200);
        assertThat(cpu.bodyText()).matches("[0-9]+");

        HttpResponse last = connection.read();
        assertThat(last.status()).isEqualTo(200);
        assertThat(last.bodyText()).isEqualTo("last");
        assertThat(last.closes()).isTrue();
        connection.assertClosedByServer();
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void pipelinedRequestsAreAnsweredInOrder(Model model) throws Exception {
        Server server = start(config(model, Protocol.HTTP));
        try (Client connection = new Client(server)) {
            connection.send(pipelinedBatch());
            assertPipelinedResponses(connection);
        }
        awaitStats(server, "9 requests answered and the connection closed", s -> s.requests() == 9 && s.active() == 0);
        assertThat(server.stats().errors(ServerError.NOT_FOUND)).isEqualTo(1);
        assertThat(server.stats().errors(ServerError.METHOD_NOT_ALLOWED)).isEqualTo(1);
        closeAndCheck(server);
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void pipelinedRequestsTricklingInPiecesAreAnsweredInOrder(Model model) throws Exception {
        Server server = start(config(model, Protocol.HTTP));
        byte[] batch = pipelinedBatch();
        Random random = new Random(42);
        try (Client connection = new Client(server);
             var writers = Executors.newVirtualThreadPerTaskExecutor()) {
            // Split at arbitrary points, sent as separate writes (TCP_NODELAY), while responses come back.
            Future<?> writer = writers.submit(() -> writeInPieces(connection.out, batch, random, 40));
            assertPipelinedResponses(connection);
            writer.get(10, TimeUnit.SECONDS);
        }
        closeAndCheck(server);
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void chunkedRequestBodiesAreDecoded(Model model) throws Exception {
        Server server = start(config(model, Protocol.HTTP));
        try (Client connection = new Client(server)) {
            String small = request("POST", "/echo", "Transfer-Encoding: chunked")
                    + "5\r\nhello\r\n"
                    + "1;name=value\r\n \r\n"
                    + "A\r\nworld, ok!\r\n"
                    + "0\r\nX-Trailer: yes\r\n\r\n";
            HttpResponse response = connection.exchange(small);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Content-Length")).isEqualTo("16");
            assertThat(response.bodyText()).isEqualTo("hello world, ok!");

            // A larger body in chunks of random sizes, on the same connection.
            byte[] body = randomBytes(7, 300_000);
            ByteArrayOutputStream chunked = new ByteArrayOutputStream();
            chunked.writeBytes(ascii(request("POST", "/echo", "Transfer-Encoding: chunked")));
            Random sizes = new Random(8);
            for (int at = 0; at < body.length; ) {
                int n = Math.min(body.length - at, 1 + sizes.nextInt(20_000));
                chunked.writeBytes(ascii(Integer.toHexString(n) + "\r\n"));
                chunked.write(body, at, n);
                chunked.writeBytes(ascii("\r\n"));
                at += n;
            }
            chunked.writeBytes(ascii("0\r\n\r\n"));
            HttpResponse large = connection.exchange(chunked.toByteArray());
            assertThat(large.status()).isEqualTo(200);
            assertThat(large.body()).isEqualTo(body);

            assertThat(connection.exchange(get("/plaintext")).bodyText()).isEqualTo(HELLO);
        }
        closeAndCheck(server);
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void http11ConnectionsPersistUntilConnectionClose(Model model) throws Exception {
        Server server = start(config(model, Protocol.HTTP));
        try (Client connection = new Client(server)) {
            for (int i = 0; i < 3; i++) {
                HttpResponse response = connection.exchange(get("/plaintext"));
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.header("Connection")).as("HTTP/1.1 persists without saying so").isNull();
            }
            HttpResponse last = connection.exchange(get("/json", "Connection: close"));
            assertThat(last.status()).isEqualTo(200);
            assertThat(last.closes()).isTrue();
            connection.assertClosedByServer();
        }
        awaitStats(server, "one connection, four requests, closed", s -> s.accepted() == 1 && s.requests() == 4 && s.active() == 0);
        closeAndCheck(server);
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void http10ClosesUnlessAskedToKeepAlive(Model model) throws Exception {
        Server server = start(config(model, Protocol.HTTP));
        try (Client plain = new Client(server)) {
            HttpResponse response = plain.exchange("GET /plaintext HTTP/1.0\r\n\r\n");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo(HELLO);
            assertThat(response.closes()).isTrue();
            plain.assertClosedByServer();
        }
        try (Client keepAlive = new Client(server)) {
            for (int i = 0; i < 2; i++) {
                HttpResponse response = keepAlive.exchange("GET /json HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.header("Connection")).isEqualToIgnoringCase("keep-alive");
            }
            HttpResponse last = keepAlive.exchange("GET /json HTTP/1.0\r\n\r\n");
            assertThat(last.closes()).isTrue();
            keepAlive.assertClosedByServer();
        }
        closeAndCheck(server);
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void postEchoOfOneMebibyteStreamsBack(Model model) throws Exception {
        Server server = start(config(model, Protocol.HTTP));
        byte[] body = randomBytes(1, 1 << 20);
        try (Client connection = new Client(server);
             var writers = Executors.newVirtualThreadPerTaskExecutor()) {
            // The server streams the body back while it arrives: write and read at the same time.
            Future<?> writer = writers.submit(() -> connection.send(postEcho(body)));
            HttpResponse response = connection.read();
            writer.get(10, TimeUnit.SECONDS);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Content-Type")).isEqualTo("application/octet-stream");
            assertThat(response.body()).isEqualTo(body);

            // 100-continue: the head first, the body only once the server asked for it.
            String head = request("POST", "/echo", "Expect: 100-continue", "Content-Length: " + body.length);
            HttpResponse interim = connection.exchange(head);
            assertThat(interim.status()).isEqualTo(100);
            Future<?> bodyWriter = writers.submit(() -> connection.send(body));
            HttpResponse afterContinue = connection.read();
            bodyWriter.get(10, TimeUnit.SECONDS);
            assertThat(afterContinue.status()).isEqualTo(200);
            assertThat(afterContinue.body()).isEqualTo(body);
        }
        awaitStats(server, "both bodies read", s -> s.bytesRead() > 2L * body.length && s.active() == 0);
        closeAndCheck(server);
    }

    /**
     * A {@code /delay} is never answered early, also when it is the first request after the
     * server sat idle (an event loop once timed it from the clock reading of its last busy turn,
     * answering {@code /delay?ms=300} after a quiet second at once). A lower bound: load cannot
     * break it.
     */
    @ParameterizedTest
    @EnumSource(Model.class)
    void delayIsNeverCutShortAfterTheServerSatIdle(Model model) throws Exception {
        Server server = start(config(model, Protocol.HTTP));
        Duration delay = Duration.ofMillis(200);
        try (Client client = new Client(server)) {
            assertThat(client.exchange(get("/plaintext")).status()).isEqualTo(200);
            for (int i = 0; i < 2; i++) {
                stayIdle(Duration.ofMillis(400));
                long sent = System.nanoTime();
                HttpResponse response = client.exchange(get("/delay?ms=" + delay.toMillis()));
                assertThat(response.status()).isEqualTo(200);
                assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(delay);
            }
        }
        closeAndCheck(server);
    }

    /**
     * A {@code /delay} in flight must not hold up another connection, even with a single event
     * loop. Causality, not speed: the delay is a minute long, so the other connection's answer can
     * only come while it is still pending; the test never waits for it and the server's forced
     * close ends it.
     */
    @ParameterizedTest
    @EnumSource(Model.class)
    void delayDoesNotBlockOtherConnections(Model model) throws Exception {
        Server server = start(config(model, Protocol.HTTP).eventLoops(1).poolThreads(2)
                .shutdownGrace(Duration.ofMillis(100)));
        byte[] slowRequest = ascii(get("/delay?ms=60000"));
        try (Client slow = new Client(server);
             Client fast = new Client(server)) {
            slow.send(slowRequest);
            awaitStats(server, "the delayed request to be read", s -> s.bytesRead() >= slowRequest.length);

            for (int i = 0; i < 3; i++) {
                HttpResponse response = fast.exchange(get("/plaintext"));
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.bodyText()).isEqualTo(HELLO);
            }
            assertThat(server.stats().requests()).as("only the fast requests are answered").isEqualTo(3);
            assertThat(slow.in.available()).as("bytes on the delayed connection").isZero();
        }
        // The delayed request is still pending: close() waits out its short grace, then forces it.
        closeAndCheck(server);
    }
}

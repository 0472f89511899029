package io.loombench.server;

import io.loombench.common.Protocol;
import io.loombench.server.TestSupport.Client;
import io.loombench.server.TestSupport.HttpResponse;
import io.loombench.server.http.HttpLimits;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.loombench.server.TestSupport.ascii;
import static io.loombench.server.TestSupport.assertClosedByServer;
import static io.loombench.server.TestSupport.awaitStats;
import static io.loombench.server.TestSupport.closeAndCheck;
import static io.loombench.server.TestSupport.concat;
import static io.loombench.server.TestSupport.config;
import static io.loombench.server.TestSupport.connect;
import static io.loombench.server.TestSupport.get;
import static io.loombench.server.TestSupport.postEcho;
import static io.loombench.server.TestSupport.randomBytes;
import static io.loombench.server.TestSupport.readExactly;
import static io.loombench.server.TestSupport.readToEof;
import static io.loombench.server.TestSupport.request;
import static io.loombench.server.TestSupport.start;
import static io.loombench.server.TestSupport.stayIdle;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every size limit and every timeout over real sockets, in every model: the status, the close
 * that follows, and the counter. Timeouts are short (300 ms, or 1 s where the client must act
 * before one fires) and each test waits for what it can observe (a response, the end of the
 * stream, a counter) with a bounded read or poll.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(TestSupport.CloseServers.class)
class LimitsAndTimeoutsTest {

    private static final int MAX_REQUEST_LINE = 100;
    private static final int MAX_HEADERS = 300;
    private static final int MAX_BODY = 1000;
    private static final Duration SHORT = Duration.ofMillis(300);
    /**
     * For tests whose client must act between two server deadlines: long enough that a stalled
     * test thread on a loaded machine does not miss it.
     */
    private static final Duration ROOMY = Duration.ofSeconds(1);

    private static Server startWithLimits(Model model) throws Exception {
        return start(config(model, Protocol.HTTP).httpLimits(new HttpLimits(MAX_REQUEST_LINE, MAX_HEADERS, MAX_HEADERS, 100, MAX_BODY)));
    }

    /**
     * The response to a framing error: the status, {@code Connection: close}, then, once the
     * client has closed its side as the response asks, the end of the stream.
     */
    private static void assertErrorThenClose(Client connection, int status) throws Exception {
        HttpResponse response = connection.read();
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.closes()).as("a framing error closes the connection").isTrue();
        connection.halfClose();
        connection.assertClosedByServer();
    }

    /**
     * A timeout never fires early: at least {@code timeout} has passed since {@code startNanos},
     * taken before the client's last bytes left. A lower bound, which load cannot break.
     */
    private static void assertNotBefore(long startNanos, Duration timeout) {
        assertThat(Duration.ofNanos(System.nanoTime() - startNanos)).as("time to the timeout").isGreaterThanOrEqualTo(timeout);
    }

    /** A request line of exactly {@code length} bytes (without CRLF) for GET /plaintext with a query. */
    private static String requestLineOf(int length) {
        String prefix = "GET /plaintext?";
        String suffix = " HTTP/1.1";
        return prefix + "a".repeat(length - prefix.length() - suffix.length()) + suffix;
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void requestLineBeyondTheLimitGets414AndNothingBehindItIsServed(Model model) throws Exception {
        Server server = startWithLimits(model);
        try (Client atLimit = new Client(server)) {
            HttpResponse response = atLimit.exchange(requestLineOf(MAX_REQUEST_LINE) + "\r\nHost: test\r\n\r\n");
            assertThat(response.status()).isEqualTo(200);
        }
        try (Client overLimit = new Client(server)) {
            // A valid request pipelined behind the bad one must not be answered.
            overLimit.send(requestLineOf(MAX_REQUEST_LINE + 1) + "\r\nHost: test\r\n\r\n" + get("/plaintext"));
            assertErrorThenClose(overLimit, 414);
        }
        try (Client unterminated = new Client(server)) {
            // No CRLF yet, but already too long: answered at once, not at the read timeout.
            unterminated.send("GET /" + "b".repeat(2 * MAX_REQUEST_LINE));
            assertErrorThenClose(unterminated, 414);
        }
        awaitStats(server, "two 414s counted, two requests answered in all",
                s -> s.errors(ServerError.REQUEST_LINE_TOO_LONG) == 2 && s.requests() == 3 && s.active() == 0);
        closeAndCheck(server);
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void headerSectionBeyondTheLimitGets431(Model model) throws Exception {
        Server server = startWithLimits(model);
        // "Host: test\r\n" (12) + "X-Fill: v\r\n" (10 + v) + final "\r\n" (2) = MAX_HEADERS when v is 276 long.
        String fillAtLimit = "x".repeat(MAX_HEADERS - 24);
        try (Client atLimit = new Client(server)) {
            assertThat(atLimit.exchange(get("/plaintext", "X-Fill: " + fillAtLimit)).status()).isEqualTo(200);
        }
        try (Client overLimit = new Client(server)) {
            overLimit.send(get("/plaintext", "X-Fill: " + fillAtLimit + "x") + get("/plaintext"));
            assertErrorThenClose(overLimit, 431);
        }
        try (Client unterminated = new Client(server)) {
            unterminated.send("GET /plaintext HTTP/1.1\r\nHost: test\r\nX-Big: " + "y".repeat(2 * MAX_HEADERS));
            assertErrorThenClose(unterminated, 431);
        }
        awaitStats(server, "two 431s counted", s -> s.errors(ServerError.HEADERS_TOO_LARGE) == 2 && s.active() == 0);
        closeAndCheck(server);
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void bodyBeyondTheLimitGets413(Model model) throws Exception {
        Server server = startWithLimits(model);
        try (Client atLimit = new Client(server)) {
            byte[] body = randomBytes(3, MAX_BODY);
            assertThat(atLimit.exchange(postEcho(body)).body()).isEqualTo(body);
        }
        try (Client declared = new Client(server)) {
            // Refused from the head alone; the body is never sent.
            declared.send(request("POST", "/echo", "Content-Length: " + (MAX_BODY + 1)));
            assertErrorThenClose(declared, 413);
        }
        try (Client chunked = new Client(server)) {
            // Two chunks that fit the limit apart and not together.
            chunked.send(request("POST", "/echo", "Transfer-Encoding: chunked")
                    + "1f4\r\n" + "z".repeat(500) + "\r\n" + "1f5\r\n");
            assertErrorThenClose(chunked, 413);
        }
        awaitStats(server, "two 413s counted", s -> s.errors(ServerError.BODY_TOO_LARGE) == 2 && s.active() == 0);
        closeAndCheck(server);
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void idleKeepAliveConnectionIsClosedAfterTheIdleTimeout(Model model) throws Exception {
        Server server = start(config(model, Protocol.HTTP).idleTimeout(ROOMY));
        long connected = System.nanoTime();
        try (Client used = new Client(server);
             Socket neverUsed = connect(server)) {
            long sent = System.nanoTime();
            assertThat(used.exchange(get("/plaintext")).status()).isEqualTo(200);
            used.assertClosedByServer();
            assertNotBefore(sent, ROOMY);
            assertClosedByServer(neverUsed);
            assertNotBefore(connected, ROOMY);
        }
        awaitStats(server, "two idle timeouts counted", s -> s.errors(ServerError.IDLE_TIMEOUT) == 2 && s.active() == 0);
        assertThat(server.stats().errors(ServerError.READ_TIMEOUT)).isZero();
        closeAndCheck(server);
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void idleEchoConnectionIsClosedAfterTheIdleTimeout(Model model) throws Exception {
        // The idle clock starts at the server's accept, before the test's first write.
        Server server = start(config(model, Protocol.ECHO).idleTimeout(ROOMY));
        try (Socket socket = connect(server)) {
            long sent = System.nanoTime();
            socket.getOutputStream().write(ascii("ping"));
            assertThat(readExactly(socket.getInputStream(), 4)).isEqualTo(ascii("ping"));
            assertClosedByServer(socket);
            assertNotBefore(sent, ROOMY);
        }
        awaitStats(server, "an idle timeout counted", s -> s.errors(ServerError.IDLE_TIMEOUT) == 1 && s.active() == 0);
        closeAndCheck(server);
    }

    /**
     * Timeouts apply while the server waits for the client, not while the client waits for the
     * server: a response slower than both timeouts still arrives, on a connection still open.
     */
    @ParameterizedTest
    @EnumSource(Model.class)
    void slowResponsesAreNotTimeouts(Model model) throws Exception {
        Server server = start(config(model, Protocol.HTTP).idleTimeout(ROOMY).readTimeout(SHORT));
        try (Client connection = new Client(server)) {
            long ms = ROOMY.toMillis() + SHORT.toMillis();
            HttpResponse response = connection.exchange(get("/delay?ms=" + ms));
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo(String.valueOf(ms));
            assertThat(connection.exchange(get("/plaintext")).status()).isEqualTo(200);
        }
        awaitStats(server, "connection closed", s -> s.active() == 0);
        assertThat(server.stats().errors(ServerError.READ_TIMEOUT)).isZero();
        closeAndCheck(server);
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void partialRequestHeadGets408ThenClose(Model model) throws Exception {
        Server server = start(config(model, Protocol.HTTP).readTimeout(SHORT));
        try (Client connection = new Client(server)) {
            long sent = System.nanoTime();
            connection.send("GET /plaintext HTTP/1.1\r\nHost: test\r\n");
            assertErrorThenClose(connection, 408);
            assertNotBefore(sent, SHORT);
        }
        awaitStats(server, "a read timeout counted", s -> s.errors(ServerError.READ_TIMEOUT) == 1 && s.active() == 0);
        assertThat(server.stats().errors(ServerError.IDLE_TIMEOUT)).isZero();
        closeAndCheck(server);
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void stalledChunkedBodyGets408ThenClose(Model model) throws Exception {
        Server server = start(config(model, Protocol.HTTP).bodyTimeout(SHORT));
        try (Client connection = new Client(server)) {
            long sent = System.nanoTime();
            connection.send(request("POST", "/echo", "Transfer-Encoding: chunked") + "5\r\nhel");
            assertErrorThenClose(connection, 408);
            assertNotBefore(sent, SHORT);
        }
        awaitStats(server, "a body timeout counted", s -> s.errors(ServerError.BODY_TIMEOUT) == 1 && s.active() == 0);
        assertThat(server.stats().errors(ServerError.READ_TIMEOUT)).isZero();
        closeAndCheck(server);
    }

    /**
     * The header deadline does not cover the body: a body whose bytes keep coming, each well
     * within the body timeout, is received whole however long it takes in all.
     */
    @ParameterizedTest
    @EnumSource(Model.class)
    void aBodyThatKeepsComingOutlastsTheHeaderDeadline(Model model) throws Exception {
        Server server = start(config(model, Protocol.HTTP).readTimeout(SHORT).bodyTimeout(Duration.ofSeconds(5)));
        byte[] body = randomBytes(7, 6);
        try (Client connection = new Client(server)) {
            long sent = System.nanoTime();
            connection.send(request("POST", "/echo", "Transfer-Encoding: chunked"));
            for (byte b : body) {
                stayIdle(Duration.ofMillis(100));
                connection.send(concat(ascii("1\r\n"), new byte[] {b}, ascii("\r\n")));
            }
            connection.send("0\r\n\r\n");
            HttpResponse response = connection.read();
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(body);
            assertNotBefore(sent, SHORT);
        }
        awaitStats(server, "connection closed", s -> s.active() == 0);
        assertThat(server.stats().errors(ServerError.READ_TIMEOUT) + server.stats().errors(ServerError.BODY_TIMEOUT)).isZero();
        closeAndCheck(server);
    }

    /**
     * A streamed echo has sent its 200 head before the body stops coming: too late for a 408, so
     * the server closes mid-body, which tells the client the response is incomplete.
     */
    @ParameterizedTest
    @EnumSource(Model.class)
    void partialStreamedBodyIsCutOffAndCounted(Model model) throws Exception {
        Server server = start(config(model, Protocol.HTTP).bodyTimeout(SHORT));
        try (Client connection = new Client(server)) {
            connection.send(request("POST", "/echo", "Content-Length: 10") + "hel");
            String head = new String(readExactly(connection.in, 3), StandardCharsets.US_ASCII);
            assertThat(head).isEqualTo("HTT");
            byte[] rest = readToEof(connection.in);
            String text = head + new String(rest, StandardCharsets.ISO_8859_1);
            assertThat(text).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: 10\r\n").endsWith("\r\n\r\nhel");
        }
        awaitStats(server, "a body timeout counted", s -> s.errors(ServerError.BODY_TIMEOUT) == 1 && s.active() == 0);
        closeAndCheck(server);
    }
}

package io.loombench.server;

import io.loombench.common.Protocol;
import io.loombench.common.wire.WireCase;
import io.loombench.server.TestSupport.Client;
import io.loombench.server.TestSupport.HttpResponse;
import io.loombench.server.http.ServerWireCases;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.loombench.server.TestSupport.ascii;
import static io.loombench.server.TestSupport.awaitStats;
import static io.loombench.server.TestSupport.closeAndCheck;
import static io.loombench.server.TestSupport.concat;
import static io.loombench.server.TestSupport.config;
import static io.loombench.server.TestSupport.readToEof;
import static io.loombench.server.TestSupport.start;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wire tables ({@link ServerWireCases}) over real sockets, in every model. Each case,
 * followed by a valid request, is sent on a connection of its own three ways: whole, one byte per
 * write, and cut before and after every CR and LF. The answer must have the case's status and say
 * {@code Connection: close} exactly when the case closes; after a close, the request behind it
 * is never answered; after keep-alive, it is. Then the client closes its side, as a client does,
 * and the server must end the connection with nothing more sent.
 *
 * <p>After an error the server lingers, so even a client still writing when the answer came
 * reads it and then sees a clean end of stream, never a reset. A 200 that closes because the
 * client asked to (HTTP/1.0, {@code Connection: close}) is not followed by a linger: a client
 * that pipelines behind such a request breaks RFC 9112 9.6, and may see a reset after its answer.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(TestSupport.CloseServers.class)
class WireTableOverSocketsTest {

    private enum Feeding { WHOLE, ONE_BYTE_PER_WRITE, SPLIT_AT_EVERY_CR_AND_LF }

    @ParameterizedTest
    @EnumSource(Model.class)
    void everyCaseIsAnsweredAsTheTableSays(Model model) throws Exception {
        Server server = start(config(model, Protocol.HTTP).httpLimits(ServerWireCases.LIMITS));
        List<WireCase> cases = ServerWireCases.all().toList();
        List<String> failures = new ArrayList<>();
        for (WireCase wire : cases) {
            for (Feeding feeding : Feeding.values()) {
                try {
                    exchange(server, wire, feeding);
                } catch (AssertionError | IOException e) {
                    failures.add(wire.where() + " " + wire.name() + ", " + feeding + ": " + e.getMessage()
                            + "\n  sent: " + WireCase.visible(wire.request()));
                }
            }
        }
        assertThat(failures).as("cases answered otherwise than the table says, of " + cases.size() + " in " + model).isEmpty();
        awaitStats(server, "every connection closed", s -> s.active() == 0);
        closeAndCheck(server);
    }

    /**
     * Bytes that cannot start a request, sent with no line end: answered at once. The read
     * timeout is an hour, so the answer cannot come from it; the client waits at most its own
     * read timeout ({@link TestSupport#IO_TIMEOUT}) for it.
     */
    @ParameterizedTest
    @EnumSource(Model.class)
    void aRequestThatCannotBeValidIsAnsweredBeforeItsLineEnds(Model model) throws Exception {
        Server server = start(config(model, Protocol.HTTP).readTimeout(Duration.ofHours(1)));
        Map<String, Integer> inputs = new LinkedHashMap<>();
        inputs.put("\u0016\u0003\u0001\u0000\u00c4\u0001\u0000\u0000\u00c0\u0003\u0003", 400); // a TLS ClientHello
        inputs.put("\u0001", 400);
        inputs.put("GET /plain text", 400);
        inputs.put("GET /\u0000", 400);
        inputs.put("GET /plaintext#", 400);
        inputs.put("GET /plaintext HTTP/1.1\r\nHost : test", 400);
        inputs.put("GET /plaintext HTTP/1.1\r\nHost: test\r\n folded", 400);
        inputs.put("GET /plaintext HTTP/1.1\r\nHost: test\r\nX: a\rb", 400);
        inputs.put("DESTROYALL", 501);
        for (Map.Entry<String, Integer> input : inputs.entrySet()) {
            try (Client client = new Client(server)) {
                client.send(input.getKey().getBytes(StandardCharsets.ISO_8859_1));
                HttpResponse answer = client.read();
                assertThat(answer.status()).as(WireCase.visible(input.getKey().getBytes(StandardCharsets.ISO_8859_1)))
                        .isEqualTo(input.getValue());
                assertThat(answer.closes()).isTrue();
            }
        }
        closeAndCheck(server);
    }

    /**
     * After an error the connection ends by itself, without the client closing first: the linger
     * is bounded ({@code HttpSession.LINGER_NANOS}, 2 s), well within the client's read timeout.
     * Meanwhile, what the client still sends is read and dropped, so the client can go on
     * writing, then reads a clean end of stream, not a reset.
     */
    @ParameterizedTest
    @EnumSource(Model.class)
    void afterAnErrorTheServerDrainsWhatTheClientStillSendsThenCloses(Model model) throws Exception {
        Server server = start(config(model, Protocol.HTTP));
        try (Client client = new Client(server)) {
            client.send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 5x\r\n\r\n");
            HttpResponse answer = client.read();
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.closes()).isTrue();
            byte[] more = new byte[64 * 1024];
            for (int i = 0; i < 4; i++) {
                client.send(more);
            }
            assertThat(readToEof(client.in)).as("bytes after the error").isEmpty();
        }
        awaitStats(server, "the lingering connection closed, one error counted",
                s -> s.active() == 0 && s.errors(ServerError.BAD_REQUEST) == 1 && s.requests() == 1);
        closeAndCheck(server);
    }

    private static void exchange(Server server, WireCase wire, Feeding feeding) throws IOException {
        byte[] input = concat(wire.request(), ascii(ServerWireCases.NEXT));
        boolean error = wire.status() >= 400;
        try (Client client = new Client(server)) {
            try {
                write(client.out, input, feeding);
            } catch (IOException e) {
                // Answered and closed while we were still sending: the answer is still to be read.
                if (!wire.closes() || error) {
                    throw e;
                }
            }
            HttpResponse answer = readFinal(client);
            assertThat(answer.status()).as("status of " + answer).isEqualTo(wire.status());
            assertThat(answer.closes()).as("Connection: close in " + answer).isEqualTo(wire.closes());
            if (wire.echo() != null) {
                assertThat(answer.body()).as("echoed body").isEqualTo(wire.echo());
            }
            if (!wire.closes()) {
                HttpResponse next = readFinal(client);
                assertThat(next.status()).as("the request behind it").isEqualTo(200);
                assertThat(next.bodyText()).isEqualTo("Hello, World!");
            }
            if (wire.closes() && !error) {
                assertNothingMoreOrAReset(client);
                return;
            }
            client.halfClose();
            assertThat(readToEof(client.in)).as("bytes after the last answer").isEmpty();
        }
    }

    private static void write(OutputStream out, byte[] input, Feeding feeding) throws IOException {
        switch (feeding) {
            case WHOLE -> out.write(input);
            case ONE_BYTE_PER_WRITE -> {
                for (byte b : input) {
                    out.write(b);
                }
            }
            case SPLIT_AT_EVERY_CR_AND_LF -> {
                int from = 0;
                for (int i = 0; i < input.length; i++) {
                    if (input[i] == '\r' || input[i] == '\n') {
                        out.write(input, from, i - from);
                        out.write(input, i, 1);
                        from = i + 1;
                    }
                }
                out.write(input, from, input.length - from);
            }
        }
        out.flush();
    }

    /** The next final response, past any 100 Continue. */
    private static HttpResponse readFinal(Client client) throws IOException {
        HttpResponse response;
        do {
            response = client.read();
        } while (response.status() < 200);
        return response;
    }

    /** After a 200 that closes: the end of the stream, or a reset if the request behind it arrived after the close. */
    private static void assertNothingMoreOrAReset(Client client) throws IOException {
        try {
            assertThat(readToEof(client.in)).as("bytes after the last answer").isEmpty();
        } catch (SocketException e) {
            assertThat(e.getMessage()).containsIgnoringCase("reset");
        }
    }
}

package io.loombench.server.model;

import io.loombench.server.model.ModelFixture.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.loombench.server.model.ModelFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The NIO model's buffers: its connections read and write through the loop's buffers, and keep
 * bytes of their own only for a partial request or for output the socket did not take, exactly
 * that many, and only until they are consumed or written. An idle connection holds none.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventLoopBuffersTest {
    private static final String PLAINTEXT = "GET /plaintext HTTP/1.1\r\nHost: test\r\n\r\n";

    private static long held(EventLoopModel model) {
        try {
            return model.heldBytes();
        } catch (Exception e) {
            throw new AssertionError("reading the loops' held bytes", e);
        }
    }

    private static String exchange(Socket client, String request) throws Exception {
        client.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        return readResponse(client.getInputStream());
    }

    /** One response to GET /plaintext: its head up to the empty line, then the 13-byte body. */
    private static String readResponse(InputStream in) throws Exception {
        StringBuilder response = new StringBuilder();
        while (!response.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("byte of a response head").isNotNegative();
            response.append((char) b);
        }
        return response.append(new String(in.readNBytes(13), StandardCharsets.US_ASCII)).toString();
    }

    @Test
    void idleConnectionsHoldNoBufferAfterServingRequests() throws Exception {
        try (ModelFixture fixture = new ModelFixture(Kind.HTTP, context -> new EventLoopModel(context, 2))) {
            EventLoopModel model = fixture.model();
            List<Socket> clients = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                clients.add(fixture.connect());
            }
            for (Socket client : clients) {
                assertThat(exchange(client, PLAINTEXT)).startsWith("HTTP/1.1 200 OK").endsWith("Hello, World!");
            }
            assertThat(held(model)).as("bytes held by 50 idle keep-alive connections").isZero();
        }
    }

    /**
     * A request cut mid-line keeps the bytes the session has not consumed (the parser takes whole
     * lines, so: the incomplete last line) and no more, until the rest arrives; then nothing.
     */
    @Test
    void aPartialRequestIsKeptExactlyUntilItCompletes() throws Exception {
        try (ModelFixture fixture = new ModelFixture(Kind.HTTP, context -> new EventLoopModel(context, 1))) {
            EventLoopModel model = fixture.model();
            Socket client = fixture.connect();
            OutputStream out = client.getOutputStream();
            // A whole request with the start of the next behind it, as a pipelining client sends.
            String partial = PLAINTEXT.substring(0, 30);
            out.write((PLAINTEXT + partial).getBytes(StandardCharsets.US_ASCII));
            assertThat(readResponse(client.getInputStream())).startsWith("HTTP/1.1 200 OK");
            int unconsumed = partial.length() - (partial.lastIndexOf('\n') + 1);
            assertThat(unconsumed).as("bytes of the incomplete line").isPositive();
            await("the incomplete line to be kept", () -> held(model) == unconsumed, () -> held(model));

            assertThat(exchange(client, PLAINTEXT.substring(30))).startsWith("HTTP/1.1 200 OK").endsWith("Hello, World!");
            await("nothing kept once the request is whole", () -> held(model) == 0, () -> held(model));
        }
    }

    /**
     * A client that sends and does not read fills the socket: the connection keeps the output
     * the socket did not take (and the input not yet echoed), at most a buffer of each; once the
     * client reads, every byte comes back intact and nothing is kept.
     */
    @Test
    void outputTheSocketDidNotTakeIsKeptUntilWritten() throws Exception {
        try (ModelFixture fixture = new ModelFixture(Kind.ECHO, context -> new EventLoopModel(context, 1));
             ExecutorService writer = Executors.newSingleThreadExecutor()) {
            EventLoopModel model = fixture.model();
            int bufferSize = fixture.config.bufferSize();
            Socket client = fixture.connect(4096);
            byte[] payload = new byte[16 << 20];
            new Random(7).nextBytes(payload);
            Future<?> sent = writer.submit(() -> {
                client.getOutputStream().write(payload);
                return null;
            });
            await("output kept while the client does not read", () -> held(model) > 0, () -> held(model));
            assertThat(held(model)).as("bytes kept").isLessThanOrEqualTo(2L * bufferSize);

            byte[] echoed = client.getInputStream().readNBytes(payload.length);
            sent.get(10, TimeUnit.SECONDS);
            assertThat(Arrays.equals(echoed, payload)).as("echo intact").isTrue();
            await("nothing kept once all is written", () -> held(model) == 0, () -> held(model));
        }
    }
}

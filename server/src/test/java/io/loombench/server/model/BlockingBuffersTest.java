package io.loombench.server.model;

import io.loombench.server.ModelOptions;
import io.loombench.server.model.ModelFixture.Kind;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
import java.util.function.Function;

import static io.loombench.server.model.ModelFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The blocking models' buffers: a connection's thread holds a pair from the pool only while it
 * works (a request partly received, output the socket has not taken yet), and gives it back
 * before it waits for the next request or sleeps through a simulated wait. The same in both
 * blocking models, run here with a virtual-thread executor and with a platform-thread pool.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BlockingBuffersTest {
    private static final String PLAINTEXT = "GET /plaintext HTTP/1.1\r\nHost: test\r\n\r\n";

    private static Function<ModelContext, BlockingModel> model(String threads) {
        return context -> new BlockingModel(context, threads.equals("virtual")
                ? new ModelOptions.Virtual().newExecutor()
                : new PlatformThreadPool(60, "loombench-pool-"));
    }

    private static String exchange(Socket client, String request) throws Exception {
        client.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        InputStream in = client.getInputStream();
        StringBuilder response = new StringBuilder();
        while (!response.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("byte of a response head").isNotNegative();
            response.append((char) b);
        }
        int length = Integer.parseInt(response.toString().replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
        return response.append(new String(in.readNBytes(length), StandardCharsets.US_ASCII)).toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"virtual", "pool"})
    void idleConnectionsGiveTheirBuffersBack(String threads) throws Exception {
        try (ModelFixture fixture = new ModelFixture(Kind.HTTP, model(threads))) {
            BlockingModel model = fixture.model();
            List<Socket> clients = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                clients.add(fixture.connect());
            }
            for (Socket client : clients) {
                assertThat(exchange(client, PLAINTEXT)).startsWith("HTTP/1.1 200 OK").endsWith("Hello, World!");
            }
            await("every pair back from 50 idle connections", () -> model.buffersInUse() == 0, model::buffersInUse);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"virtual", "pool"})
    void aPartialRequestHoldsAPairUntilItCompletes(String threads) throws Exception {
        try (ModelFixture fixture = new ModelFixture(Kind.HTTP, model(threads))) {
            BlockingModel model = fixture.model();
            Socket client = fixture.connect();
            OutputStream out = client.getOutputStream();
            out.write(PLAINTEXT.substring(0, 30).getBytes(StandardCharsets.US_ASCII));
            await("a pair for the partial request", () -> model.buffersInUse() == 1, model::buffersInUse);

            assertThat(exchange(client, PLAINTEXT.substring(30))).startsWith("HTTP/1.1 200 OK");
            await("the pair back", () -> model.buffersInUse() == 0, model::buffersInUse);
        }
    }

    /**
     * A request sleeping through its simulated wait holds no pair: it has read its whole request,
     * and its response is not written yet.
     */
    @ParameterizedTest
    @ValueSource(strings = {"virtual", "pool"})
    void aSimulatedWaitHoldsNoPair(String threads) throws Exception {
        try (ModelFixture fixture = new ModelFixture(Kind.HTTP, model(threads))) {
            BlockingModel model = fixture.model();
            Socket client = fixture.connect();
            byte[] request = "GET /delay?ms=60000 HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            client.getOutputStream().write(request);
            await("the delayed request read", () -> fixture.counters.snapshot().bytesRead() == request.length,
                    fixture.counters::snapshot);
            await("no pair held while it waits", () -> model.buffersInUse() == 0, model::buffersInUse);
            assertThat(client.getInputStream().available()).as("bytes answered so far").isZero();
        }
    }

    /**
     * A client that sends and does not read blocks the connection's thread in a write, holding
     * its pair; once the client reads, every byte comes back intact and the pair goes back.
     */
    @ParameterizedTest
    @ValueSource(strings = {"virtual", "pool"})
    void aBlockedWriteHoldsItsPairUntilDone(String threads) throws Exception {
        try (ModelFixture fixture = new ModelFixture(Kind.ECHO, model(threads));
             ExecutorService writer = Executors.newSingleThreadExecutor()) {
            BlockingModel model = fixture.model();
            Socket client = fixture.connect(4096);
            byte[] payload = new byte[16 << 20];
            new Random(11).nextBytes(payload);
            Future<?> sent = writer.submit(() -> {
                client.getOutputStream().write(payload);
                return null;
            });
            await("a pair held by the blocked writer", () -> model.buffersInUse() == 1, model::buffersInUse);

            byte[] echoed = client.getInputStream().readNBytes(payload.length);
            sent.get(10, TimeUnit.SECONDS);
            assertThat(Arrays.equals(echoed, payload)).as("echo intact").isTrue();
            await("the pair back", () -> model.buffersInUse() == 0, model::buffersInUse);
        }
    }
}

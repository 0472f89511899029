package io.loombench.server;

import io.loombench.common.Protocol;
import io.loombench.server.TestSupport.Client;
import io.loombench.server.TestSupport.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.loombench.server.TestSupport.ascii;
import static io.loombench.server.TestSupport.assertNoServerThreadDied;
import static io.loombench.server.TestSupport.await;
import static io.loombench.server.TestSupport.awaitStats;
import static io.loombench.server.TestSupport.closeAll;
import static io.loombench.server.TestSupport.config;
import static io.loombench.server.TestSupport.get;
import static io.loombench.server.TestSupport.openClients;
import static io.loombench.server.TestSupport.readExactly;
import static io.loombench.server.TestSupport.serverThreads;
import static io.loombench.server.TestSupport.start;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Graceful shutdown in every model: {@code close()} called from another thread while requests are
 * in flight. The listener refuses new connects at once, idle connections close, requests in
 * flight complete with correct responses announcing {@code Connection: close}, and {@code close()}
 * returns only after they have, leaving no thread and no connection behind.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(TestSupport.CloseServers.class)
class GracefulShutdownTest {

    private static final int BUSY = 3;
    private static final int IDLE = 2;
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(20);
    /**
     * How long a request stays in flight, from the server's read to its response. The shutdown
     * must have begun before the response is written, or the response rightly goes out without
     * {@code Connection: close}; the test's own steps up to that point (waking from a poll,
     * starting the closer, the listener's close) can stall for hundreds of milliseconds on a
     * loaded machine, so this is seconds. {@code close()} waits for the response either way.
     */
    private static final int IN_FLIGHT_MILLIS = 3_000;

    /** Starts {@code server.close()} on a thread of its own and returns that thread. */
    private static Thread closeInBackground(Server server) {
        return Thread.ofPlatform().name("test-closer").start(server::close);
    }

    /** True once a connect to {@code address} is refused; a connect that still succeeds is closed again. */
    private static boolean refuses(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, 1000);
            return false;
        } catch (ConnectException refused) {
            return true;
        } catch (IOException other) {
            return false;
        }
    }

    private static void awaitClosed(Thread closer, Server server) throws InterruptedException {
        assertThat(closer.join(JOIN_TIMEOUT)).as("close() returned").isTrue();
        assertThat(server.stats().active()).isZero();
        assertThat(serverThreads()).as("server threads after close()").isEmpty();
        assertNoServerThreadDied();
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void httpRequestsInFlightCompleteAndIdleConnectionsClose(Model model) throws Exception {
        Server server = start(config(model, Protocol.HTTP));
        InetSocketAddress address = server.address();
        List<Client> busy = openClients(server, BUSY);
        List<Client> idle = openClients(server, IDLE);
        try {
            for (Client client : idle) {
                assertThat(client.exchange(get("/plaintext")).status()).isEqualTo(200);
            }
            byte[] delayed = ascii(get("/delay?ms=" + IN_FLIGHT_MILLIS));
            long before = server.stats().bytesRead();
            for (Client client : busy) {
                client.send(delayed);
            }
            awaitStats(server, "the delayed requests to be read", s -> s.bytesRead() >= before + BUSY * delayed.length);

            Thread closer = closeInBackground(server);
            await("new connects to be refused", () -> refuses(address));

            for (Client client : busy) {
                HttpResponse response = client.read();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.bodyText()).isEqualTo(String.valueOf(IN_FLIGHT_MILLIS));
                assertThat(response.closes()).as("a response during shutdown announces the close").isTrue();
                client.assertClosedByServer();
            }
            for (Client client : idle) {
                client.assertClosedByServer();
            }
            awaitClosed(closer, server);
            assertThat(server.stats().requests()).as("every request answered before close() returned").isEqualTo(IDLE + BUSY);
        } finally {
            closeAll(busy);
            closeAll(idle);
        }
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void echoesInFlightCompleteDuringTheirThinkTime(Model model) throws Exception {
        Server server = start(config(model, Protocol.ECHO).think(Duration.ofMillis(500)));
        InetSocketAddress address = server.address();
        List<Client> busy = openClients(server, BUSY);
        List<Client> idle = openClients(server, IDLE);
        try {
            for (Client client : idle) {
                client.send(ascii("x"));
            }
            for (Client client : idle) {
                assertThat(readExactly(client.in, 1)).isEqualTo(ascii("x"));
            }
            int total = 0;
            for (int i = 0; i < BUSY; i++) {
                byte[] message = ascii("message-" + i);
                busy.get(i).send(message);
                total += message.length;
            }
            long expected = IDLE + total;
            awaitStats(server, "the messages to be read", s -> s.bytesRead() >= expected);

            Thread closer = closeInBackground(server);
            await("new connects to be refused", () -> refuses(address));

            for (int i = 0; i < BUSY; i++) {
                Client client = busy.get(i);
                byte[] message = ascii("message-" + i);
                assertThat(readExactly(client.in, message.length)).isEqualTo(message);
                client.assertClosedByServer();
            }
            for (Client client : idle) {
                client.assertClosedByServer();
            }
            awaitClosed(closer, server);
            assertThat(server.stats().bytesWritten()).isEqualTo(expected);
        } finally {
            closeAll(busy);
            closeAll(idle);
        }
    }

    /**
     * A request that reached the server's socket before {@code close()} began is answered, even
     * on a keep-alive connection the server still thought idle. With one NIO loop busy on
     * {@code /cpu} work (which runs on the loop), the request lies unread in the kernel when the
     * drain comes to that connection; it must be read and served, not closed on.
     */
    @ParameterizedTest
    @EnumSource(Model.class)
    void requestArrivedBeforeCloseIsAnsweredOnAnIdleConnection(Model model) throws Exception {
        Server server = start(config(model, Protocol.HTTP).eventLoops(1));
        try (Client busy = new Client(server); Client idle = new Client(server)) {
            assertThat(idle.exchange(get("/plaintext")).status()).isEqualTo(200);
            byte[] cpu = ascii(get("/cpu?work=" + 100_000_000));
            long read = server.stats().bytesRead();
            busy.send(cpu);
            awaitStats(server, "the /cpu request to be read", s -> s.bytesRead() >= read + cpu.length);

            idle.send(get("/json"));
            Thread closer = closeInBackground(server);

            HttpResponse late = idle.read();
            assertThat(late.status()).isEqualTo(200);
            assertThat(late.bodyText()).contains("Hello, World!");
            // With or without Connection: close, depending on whether it was read before the drain.
            idle.assertClosedByServer();
            assertThat(busy.read().status()).isEqualTo(200);
            busy.assertClosedByServer();
            awaitClosed(closer, server);
        }
    }

    /** A request longer than the grace period is cut off when it ends, counted as such, and close() still returns. */
    @ParameterizedTest
    @EnumSource(Model.class)
    void requestsOutlastingTheGraceAreClosed(Model model) throws Exception {
        Server server = start(config(model, Protocol.HTTP).shutdownGrace(Duration.ofMillis(200)));
        try (Client slow = new Client(server)) {
            byte[] request = ascii(get("/delay?ms=60000"));
            slow.send(request);
            awaitStats(server, "the request to be read", s -> s.bytesRead() >= request.length);
            Thread closer = closeInBackground(server);
            slow.assertClosedByServer();
            awaitClosed(closer, server);
            assertThat(server.stats().requests()).isZero();
            assertThat(server.stats().errors(ServerError.SHUTDOWN_CUT)).isEqualTo(1);
        }
    }

    /**
     * POOL: a connection still queued for a thread when the shutdown starts is closed once a
     * thread frees, without being served; the request in flight on the only thread completes.
     */
    @Test
    void poolClosesConnectionsStillQueuedForAThread() throws Exception {
        Server server = start(config(Model.POOL, Protocol.HTTP).poolThreads(1));
        try (Client running = new Client(server); Client queued = new Client(server)) {
            byte[] request = ascii(get("/delay?ms=" + IN_FLIGHT_MILLIS));
            running.send(request);
            awaitStats(server, "both connections accepted and the request read",
                    s -> s.accepted() == 2 && s.bytesRead() >= request.length);
            Thread closer = closeInBackground(server);
            HttpResponse response = running.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.closes()).isTrue();
            running.assertClosedByServer();
            queued.assertClosedByServer();
            awaitClosed(closer, server);
        }
    }
}

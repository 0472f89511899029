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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.loombench.server.TestSupport.assertNothingArrives;
import static io.loombench.server.TestSupport.awaitStats;
import static io.loombench.server.TestSupport.closeAll;
import static io.loombench.server.TestSupport.closeAndCheck;
import static io.loombench.server.TestSupport.config;
import static io.loombench.server.TestSupport.get;
import static io.loombench.server.TestSupport.openClients;
import static io.loombench.server.TestSupport.start;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slowloris: clients that send a request line and then one header byte at a time, never ending
 * the head. The header deadline ({@code --read-timeout}) runs from a request's first byte and is
 * not pushed back by later bytes, so each gets 408 and close once it passes.
 *
 * <p>In {@code virtual} and {@code nio} a slow client holds a parked virtual thread or nothing
 * but its socket, so hundreds of them leave the server free: a normal client is answered while
 * every slow one is still open. In {@code pool} each one holds a platform thread: once slow
 * clients hold every thread, a normal client waits unanswered in the queue until the deadline
 * frees a thread, and is served then. That wait is what the pool model is, and the header
 * deadline is what bounds it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(TestSupport.CloseServers.class)
class SlowlorisTest {

    /** Slow connections against virtual and nio: 600 descriptors in this process, far below its limit. */
    private static final int SLOW_CLIENTS = 300;
    /** Each slow client sends its next header byte this often. */
    private static final Duration TRICKLE = Duration.ofMillis(200);
    /** Exchanges of the normal client while the slow ones are held. */
    private static final int NORMAL_EXCHANGES = 20;
    private static final String SLOW_START = "GET /plaintext HTTP/1.1\r\nHost: test\r\nX-Slow: ";

    /**
     * Sends the next header byte to every slow client whose answer has not come yet, every
     * {@link #TRICKLE}, on a thread of its own until stopped; a client the server has closed
     * drops out.
     */
    private static final class Trickle implements AutoCloseable {
        private final List<Client> clients;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Trickle(List<Client> clients) {
            this.clients = new ArrayList<>(clients);
            this.thread = Thread.ofVirtual().name("slowloris-trickle").start(this::run);
        }

        private void run() {
            long end = System.nanoTime() + TestSupport.WAIT_TIMEOUT.multipliedBy(3).toNanos();
            while (running.get() && !clients.isEmpty() && System.nanoTime() - end < 0) {
                clients.removeIf(client -> !sendOneByte(client));
                try {
                    Thread.sleep(TRICKLE);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** False once the client has its answer or its connection is gone. */
        private static boolean sendOneByte(Client client) {
            try {
                if (client.socket.getInputStream().available() > 0) {
                    return false;
                }
                client.send("a");
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.interrupt();
            thread.join();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Model.class, names = {"VIRTUAL", "NIO"})
    void hundredsOfSlowClientsLeaveANormalClientServed(Model model) throws Exception {
        Duration deadline = Duration.ofSeconds(4);
        Server server = start(config(model, Protocol.HTTP).readTimeout(deadline));
        List<Client> slow = openClients(server, SLOW_CLIENTS);
        try (Client normal = new Client(server)) {
            awaitStats(server, "every connection accepted", s -> s.active() == SLOW_CLIENTS + 1);
            for (Client client : slow) {
                client.send(SLOW_START);
            }
            try (Trickle trickle = new Trickle(slow)) {
                for (int i = 0; i < NORMAL_EXCHANGES; i++) {
                    HttpResponse response = normal.exchange(get("/plaintext"));
                    assertThat(response.status()).isEqualTo(200);
                }
                assertThat(server.stats().errors(ServerError.READ_TIMEOUT))
                        .as("slow clients timed out before the normal client's %d answers came", NORMAL_EXCHANGES).isZero();
                assertThat(server.stats().active()).as("every slow client still open").isEqualTo(SLOW_CLIENTS + 1);

                awaitStats(server, "every slow client ended by the header deadline",
                        s -> s.errors(ServerError.READ_TIMEOUT) == SLOW_CLIENTS && s.active() == 1);
            }
            for (Client client : slow) {
                assertThat(client.read().status()).isEqualTo(408);
            }
            assertThat(normal.exchange(get("/plaintext")).status()).isEqualTo(200);
        } finally {
            closeAll(slow);
        }
        awaitStats(server, "all closed", s -> s.active() == 0);
        assertThat(server.stats().requests()).isEqualTo(NORMAL_EXCHANGES + 1 + SLOW_CLIENTS);
        closeAndCheck(server);
    }

    /**
     * Four pool threads, four slow clients: the normal client's connection is accepted and waits
     * in the pool's queue, unanswered, while the slow ones hold every thread; the header deadline
     * ends them with 408, and the freed threads serve the normal client, which thus waits at
     * least the deadline.
     */
    @Test
    void slowClientsHoldingEveryPoolThreadDelayOthersUntilTheHeaderDeadline() throws Exception {
        int threads = 4;
        Duration deadline = Duration.ofSeconds(3);
        Server server = start(config(Model.POOL, Protocol.HTTP).poolThreads(threads).readTimeout(deadline));
        List<Client> slow = openClients(server, threads);
        try {
            long firstSlowByte = System.nanoTime();
            for (Client client : slow) {
                client.send(SLOW_START);
            }
            try (Trickle trickle = new Trickle(slow);
                 Client normal = new Client(server)) {
                normal.send(get("/plaintext"));
                awaitStats(server, "the normal client accepted", s -> s.active() == threads + 1);
                assertNothingArrives(normal.socket, Duration.ofSeconds(1));

                HttpResponse response = normal.read();
                assertThat(response.status()).isEqualTo(200);
                assertThat(Duration.ofNanos(System.nanoTime() - firstSlowByte))
                        .as("the normal client's wait: the slow ones' deadline at least").isGreaterThanOrEqualTo(deadline);
                assertThat(server.stats().errors(ServerError.READ_TIMEOUT)).as("slow clients ended before it was served").isPositive();
            }
            awaitStats(server, "every slow client ended by the header deadline",
                    s -> s.errors(ServerError.READ_TIMEOUT) == threads);
            for (Client client : slow) {
                assertThat(client.read().status()).isEqualTo(408);
            }
        } finally {
            closeAll(slow);
        }
        awaitStats(server, "all closed", s -> s.active() == 0);
        closeAndCheck(server);
    }
}

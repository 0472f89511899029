package io.loombench.server;

import io.loombench.common.Protocol;
import io.loombench.server.TestSupport.Client;
import io.loombench.server.TestSupport.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.loombench.server.TestSupport.await;
import static io.loombench.server.TestSupport.awaitStats;
import static io.loombench.server.TestSupport.closeAll;
import static io.loombench.server.TestSupport.closeAndCheck;
import static io.loombench.server.TestSupport.config;
import static io.loombench.server.TestSupport.connect;
import static io.loombench.server.TestSupport.connectNeverReading;
import static io.loombench.server.TestSupport.get;
import static io.loombench.server.TestSupport.openClients;
import static io.loombench.server.TestSupport.openFileDescriptors;
import static io.loombench.server.TestSupport.pumpUntilStuck;
import static io.loombench.server.TestSupport.serverThreads;
import static io.loombench.server.TestSupport.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Hostile clients, one after another against one running server in every model, with a normal
 * client served between each: a connection flood beyond {@code --max-connections}, a client that
 * never reads, a reset in the middle of a request and in the middle of a response, and a
 * half-close after a request. Each is counted by its kind, and afterwards, with the server still
 * running, its descriptors and threads are back to where they were before.
 *
 * <p>Threads: the server's own platform threads ({@code loombench-*}) must be exactly those it
 * had before (a pool's all started by a warm-up first), and the process's platform threads within a small slack (the JDK may start a
 * virtual-thread carrier or a poller meanwhile). A virtual thread serves one connection and ends
 * with it, so none active means none left.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(TestSupport.CloseServers.class)
class HostileClientsTest {

    private static final int MAX_CONNECTIONS = 20;
    private static final int FLOOD = 30;
    /** Descriptors and platform threads the JDK may open or start for itself meanwhile. */
    private static final int SLACK = 3;
    /**
     * Long enough that a client reset right after its output backed up is read as a reset, not
     * a write timeout, on a loaded machine.
     */
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(3);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @BeforeAll
    static void procReadable() {
        assumeTrue(openFileDescriptors() > 0, "/proc/self/fd readable");
    }

    /** Closes with SO_LINGER 0, so the kernel sends a reset instead of a FIN. */
    private static void reset(Socket socket) throws Exception {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    private static void reset(SocketChannel channel) throws Exception {
        channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        channel.close();
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void hostileClientsAreCountedByKindAndLeaveNothingBehind(Model model) throws Exception {
        int poolThreads = MAX_CONNECTIONS + 4;
        Server server = start(config(model, Protocol.HTTP).maxConnections(MAX_CONNECTIONS).poolThreads(poolThreads)
                .writeTimeout(WRITE_TIMEOUT));
        // A pool starts a thread for each new connection until it has them all, and keeps them:
        // start them all before the baseline is taken. Each is seen closed by the server before
        // the next opens: enough closes not yet seen would fill the limit and reject a warm-up.
        for (int i = 0; i < poolThreads; i++) {
            try (Client warmUp = new Client(server)) {
                assertThat(warmUp.exchange(get("/plaintext")).status()).isEqualTo(200);
            }
            awaitStats(server, "warm-up " + i + " closed", s -> s.active() == 0);
        }
        try (Client normal = new Client(server)) {
            assertThat(normal.exchange(get("/plaintext")).status()).isEqualTo(200);
            awaitStats(server, "the warm-up connections closed", s -> s.active() == 1);
            int descriptors = openFileDescriptors();
            int platformThreads = THREADS.getThreadCount();
            List<String> ownThreads = serverThreads();

            // A flood: the limit's worth held open, then more, each closed at once.
            List<Client> held = openClients(server, MAX_CONNECTIONS - 1);
            List<Client> flood = openClients(server, FLOOD);
            awaitStats(server, FLOOD + " rejected", s -> s.rejected() == FLOOD && s.active() == MAX_CONNECTIONS);
            assertThat(normal.exchange(get("/plaintext")).status()).as("the normal client during the flood").isEqualTo(200);
            closeAll(flood);
            closeAll(held);
            awaitStats(server, "the flood gone", s -> s.active() == 1);

            // A client that never reads its answers: closed at the write deadline.
            try (SocketChannel neverReads = connectNeverReading(server)) {
                pumpUntilStuck(neverReads, Protocol.HTTP);
                assertThat(normal.exchange(get("/plaintext")).status()).as("the normal client beside a stuck one").isEqualTo(200);
                awaitStats(server, "a write timeout", s -> s.errors(ServerError.WRITE_TIMEOUT) == 1 && s.active() == 1);
            }

            // A reset in the middle of a request: the server's next read fails.
            Socket midRequest = connect(server);
            // Read before the write: the server may take the bytes before a later look.
            long read = server.stats().bytesRead();
            midRequest.getOutputStream().write(TestSupport.ascii("GET /plaintext HTTP/1.1\r\nHost: te"));
            awaitStats(server, "the partial request read", s -> s.bytesRead() > read);
            reset(midRequest);
            awaitStats(server, "a reset mid-request", s -> s.errors(ServerError.IO) == 1 && s.active() == 1);

            // A reset in the middle of a response: the server's output to it has backed up, and
            // its next write fails.
            SocketChannel midResponse = connectNeverReading(server);
            pumpUntilStuck(midResponse, Protocol.HTTP);
            reset(midResponse);
            awaitStats(server, "a reset mid-response", s -> s.errors(ServerError.IO) == 2 && s.active() == 1);

            // A half-close after the request: answered in full, then closed.
            try (Client halfClosed = new Client(server)) {
                halfClosed.send(get("/plaintext"));
                halfClosed.halfClose();
                HttpResponse response = halfClosed.read();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.bodyText()).isEqualTo("Hello, World!");
                halfClosed.assertClosedByServer();
            }
            awaitStats(server, "the half-closed connection closed", s -> s.active() == 1);

            assertThat(normal.exchange(get("/plaintext")).status()).as("the normal client after it all").isEqualTo(200);
            await("descriptors back to " + descriptors + " (+" + SLACK + ")",
                    () -> openFileDescriptors() <= descriptors + SLACK, TestSupport::openFileDescriptors);
            await("platform threads back to " + platformThreads + " (+" + SLACK + ")",
                    () -> THREADS.getThreadCount() <= platformThreads + SLACK, THREADS::getThreadCount);
            assertThat(serverThreads()).as("the server's own threads").isEqualTo(ownThreads);
        }
        awaitStats(server, "all closed", s -> s.active() == 0);
        ServerStats stats = server.stats();
        assertThat(stats.rejected()).isEqualTo(FLOOD);
        assertThat(stats.errors(ServerError.WRITE_TIMEOUT)).isEqualTo(1);
        assertThat(stats.errors(ServerError.IO)).isEqualTo(2);
        assertThat(stats.errors(ServerError.HANDLER_BUG)).isZero();
        closeAndCheck(server);
    }
}

package io.loombench.server;

import io.loombench.common.Protocol;
import io.loombench.server.TestSupport.Client;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.loombench.server.TestSupport.assertNothingArrives;
import static io.loombench.server.TestSupport.awaitStats;
import static io.loombench.server.TestSupport.closeAll;
import static io.loombench.server.TestSupport.closeAndCheck;
import static io.loombench.server.TestSupport.config;
import static io.loombench.server.TestSupport.openClients;
import static io.loombench.server.TestSupport.start;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many clients at once. VIRTUAL and NIO hold 1,000 connections open together, each doing a few
 * exchanges at the same moment. POOL gives each connection a thread for its lifetime, so the test
 * shows its queue instead: connections beyond the pool get no answer until an earlier connection
 * closes, and then are served in turn.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(TestSupport.CloseServers.class)
class ConcurrencyTest {

    private static final int CONNECTIONS = 1000;
    private static final int EXCHANGES = 3;

    /**
     * Runs {@code EXCHANGES} checked exchanges on every client, all clients at once (each on a
     * virtual thread, released together), and fails with the first failure.
     */
    private static void exchangeOnAllAtOnce(List<Client> clients, Protocol protocol) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients.size(); c++) {
                Client client = clients.get(c);
                int id = c;
                done.add(threads.submit(() -> {
                    go.await();
                    for (int round = 0; round < EXCHANGES; round++) {
                        client.assertRoundTrip(protocol, "client-" + id + "-round-" + round);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Model.class, names = {"VIRTUAL", "NIO"})
    void thousandConnectionsOpenAtOnceEcho(Model model) throws Exception {
        thousandConnectionsOpenAtOnce(model, Protocol.ECHO);
    }

    @ParameterizedTest
    @EnumSource(value = Model.class, names = {"VIRTUAL", "NIO"})
    void thousandConnectionsOpenAtOnceHttp(Model model) throws Exception {
        thousandConnectionsOpenAtOnce(model, Protocol.HTTP);
    }

    private static void thousandConnectionsOpenAtOnce(Model model, Protocol protocol) throws Exception {
        Server server = start(config(model, protocol));
        List<Client> clients = openClients(server, CONNECTIONS);
        try {
            awaitStats(server, CONNECTIONS + " connections open at once", s -> s.active() == CONNECTIONS);
            exchangeOnAllAtOnce(clients, protocol);
            ServerStats stats = server.stats();
            assertThat(stats.accepted()).isEqualTo(CONNECTIONS);
            assertThat(stats.active()).as("all still open after their exchanges").isEqualTo(CONNECTIONS);
            assertThat(stats.rejected()).isZero();
            if (protocol == Protocol.HTTP) {
                assertThat(stats.requests()).isEqualTo((long) CONNECTIONS * EXCHANGES);
            }
            assertThat(stats.errors().values()).allMatch(count -> count == 0);
        } finally {
            closeAll(clients);
        }
        awaitStats(server, "all connections closed", s -> s.active() == 0);
        closeAndCheck(server);
    }

    /**
     * POOL with 4 threads and 12 connections: the first 4 own the threads; the other 8 queue and
     * get no answer (shown by the request counter, which cannot move while every thread is taken,
     * and by their silence); closing one early connection lets exactly the next queued one in,
     * and closing the rest serves every queued connection in turn.
     */
    @ParameterizedTest
    @EnumSource(Protocol.class)
    void poolConnectionsBeyondItsThreadsWaitThenAreServed(Protocol protocol) throws Exception {
        int threads = 4;
        int connections = 12;
        Server server = start(config(Model.POOL, protocol).poolThreads(threads));
        List<Client> early = openClients(server, threads);
        List<Client> queued = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                early.get(i).assertRoundTrip(protocol, "early-" + i);
            }
            long served = server.stats().requests();
            queued.addAll(openClients(server, connections - threads));
            for (int i = 0; i < queued.size(); i++) {
                queued.get(i).sendTag(protocol, "queued-" + i);
            }
            awaitStats(server, "all connections accepted", s -> s.accepted() == connections && s.active() == connections);
            assertThat(server.stats().requests()).as("requests answered while every thread is taken").isEqualTo(served);
            assertNothingArrives(queued.get(0).socket, Duration.ofMillis(200));

            // One thread frees: the first queued connection (FIFO) is served, the others still wait.
            early.remove(0).close();
            queued.get(0).assertAnswer(protocol, "queued-0");
            assertThat(server.stats().requests()).isEqualTo(served + 1);
            assertNothingArrives(queued.get(1).socket, Duration.ofMillis(200));

            closeAll(early);
            early.clear();
            for (int i = 1; i < queued.size(); i++) {
                queued.get(i).assertAnswer(protocol, "queued-" + i);
                queued.get(i).close();
            }
        } finally {
            closeAll(early);
            closeAll(queued);
        }
        awaitStats(server, "all served and closed", s -> s.active() == 0 && s.accepted() == connections);
        closeAndCheck(server);
    }

    /** POOL with many more clients than threads, each making a few exchanges and leaving: all are served. */
    @ParameterizedTest
    @EnumSource(Protocol.class)
    void poolServesManyMoreClientsThanThreadsThroughItsQueue(Protocol protocol) throws Exception {
        int clients = 200;
        Server server = start(config(Model.POOL, protocol).poolThreads(20));
        List<Client> open = openClients(server, clients);
        try {
            awaitStats(server, "all accepted", s -> s.accepted() == clients);
            CountDownLatch go = new CountDownLatch(1);
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    Client client = open.get(c);
                    int id = c;
                    done.add(threads.submit(() -> {
                        go.await();
                        for (int round = 0; round < EXCHANGES; round++) {
                            client.assertRoundTrip(protocol, "client-" + id + "-round-" + round);
                        }
                        client.close();
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> future : done) {
                    future.get(60, TimeUnit.SECONDS);
                }
            }
        } finally {
            closeAll(open);
        }
        awaitStats(server, "all closed", s -> s.active() == 0);
        closeAndCheck(server);
    }
}

package io.loombench.server;

import io.loombench.common.Protocol;
import io.loombench.server.TestSupport.Client;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.Socket;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.loombench.server.TestSupport.assertClosedByServer;
import static io.loombench.server.TestSupport.awaitStats;
import static io.loombench.server.TestSupport.closeAll;
import static io.loombench.server.TestSupport.closeAndCheck;
import static io.loombench.server.TestSupport.config;
import static io.loombench.server.TestSupport.connect;
import static io.loombench.server.TestSupport.openClients;
import static io.loombench.server.TestSupport.start;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection limit in every model and protocol: beyond it a new connection is closed at once
 * and counted as rejected, while the connections already open go on working; once one of them
 * closes, a new connection is served again.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(TestSupport.CloseServers.class)
class MaxConnectionsTest {

    private static final int LIMIT = 3;

    @ParameterizedTest
    @MethodSource("io.loombench.server.TestSupport#modelsAndProtocols")
    void connectionsBeyondTheLimitAreClosedAtOnce(Model model, Protocol protocol) throws Exception {
        Server server = start(config(model, protocol).maxConnections(LIMIT).poolThreads(LIMIT));
        List<Client> open = openClients(server, LIMIT);
        try {
            for (int i = 0; i < LIMIT; i++) {
                open.get(i).assertRoundTrip(protocol, "first-" + i);
            }
            for (int extra = 1; extra <= 2; extra++) {
                try (Socket rejected = connect(server)) {
                    assertClosedByServer(rejected);
                }
                long expected = extra;
                awaitStats(server, expected + " rejected", s -> s.rejected() == expected);
            }
            for (int i = 0; i < LIMIT; i++) {
                open.get(i).assertRoundTrip(protocol, "after-rejects-" + i);
            }
            assertThat(server.stats().accepted()).isEqualTo(LIMIT);
            assertThat(server.stats().active()).isEqualTo(LIMIT);

            open.remove(0).close();
            awaitStats(server, "a free slot", s -> s.active() == LIMIT - 1);
            try (Client again = new Client(server)) {
                again.assertRoundTrip(protocol, "in-the-free-slot");
            }
        } finally {
            closeAll(open);
        }
        awaitStats(server, "all closed", s -> s.active() == 0 && s.accepted() == LIMIT + 1 && s.rejected() == 2);
        closeAndCheck(server);
    }
}

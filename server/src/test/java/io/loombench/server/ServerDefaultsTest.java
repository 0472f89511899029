package io.loombench.server;

import io.loombench.common.Protocol;
import io.loombench.server.TestSupport.Client;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import static io.loombench.server.TestSupport.closeAndCheck;
import static io.loombench.server.TestSupport.config;
import static io.loombench.server.TestSupport.get;
import static io.loombench.server.TestSupport.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The defaults that size a server to its process (connection limit, listen backlog), the listen
 * backlog the kernel grants and the ready line saying so, and each model's own options.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(TestSupport.CloseServers.class)
class ServerDefaultsTest {

    @Test
    void maxConnectionsIsTheOpenFileLimitLessAMargin() {
        assertThat(SystemLimits.maxConnections(20_000)).isEqualTo(19_500);
        assertThat(SystemLimits.maxConnections(1_000_000)).isEqualTo(999_500);
        assertThat(SystemLimits.maxConnections(600)).as("a small limit keeps half for the JVM").isEqualTo(300);
        assertThat(SystemLimits.maxConnections(1)).isEqualTo(1);
        assertThat(SystemLimits.maxConnections(Long.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void defaultsFitWhatThisProcessCanHold() {
        OptionalLong limit = SystemLimits.openFileLimit();
        int expected = limit.isPresent() ? SystemLimits.maxConnections(limit.getAsLong()) : SystemLimits.FALLBACK_MAX_CONNECTIONS;
        ServerConfig defaults = ServerConfig.builder().build();
        assertThat(defaults.maxConnections()).isEqualTo(expected).isEqualTo(ServerConfig.DEFAULT_MAX_CONNECTIONS);
        assertThat(defaults.backlog()).as("a backlog for every connection arriving at once").isEqualTo(expected);
    }

    /** Asked for more than somaxconn, the server gets somaxconn, and its ready line says so. */
    /** The timers' and the datagram limit's defaults, as the README's "Limits and safety" table states them. */
    @Test
    void timersAndTheDatagramLimitHaveTheirDocumentedDefaults() {
        ServerConfig defaults = ServerConfig.builder().build();
        assertThat(defaults.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.readTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.bodyTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.writeTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.maxDatagram()).isEqualTo(65_507);
        assertThatThrownBy(() -> ServerConfig.builder().maxDatagram(ServerConfig.MAX_DATAGRAM_LIMIT + 1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max datagram");
        assertThatThrownBy(() -> ServerConfig.builder().writeTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("write timeout");
        assertThatThrownBy(() -> ServerConfig.builder().bodyTimeout(Duration.ofDays(2)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("body timeout");
    }

    @Test
    void aBacklogAboveSomaxconnIsCappedAndTheReadyLineSaysSo() throws Exception {
        OptionalInt somaxconn = SystemLimits.somaxconn();
        assumeTrue(somaxconn.isPresent(), "needs /proc/sys/net/core/somaxconn");
        int cap = somaxconn.getAsInt();
        Server server = start(config(Model.NIO, Protocol.HTTP).backlog(cap + 1));
        assertThat(server.listenBacklog()).isEqualTo(cap);
        assertThat(ServerMain.readyLine(server))
                .endsWith(" backlog=" + cap + " (capped by net.core.somaxconn; asked " + (cap + 1) + ")");
        try (Client client = new Client(server)) {
            assertThat(client.exchange(get("/plaintext")).status()).isEqualTo(200);
        }
        closeAndCheck(server);
    }

    @Test
    void aBacklogWithinSomaxconnIsGrantedAsAsked() throws Exception {
        Server server = start(config(Model.VIRTUAL, Protocol.HTTP).backlog(16).maxConnections(100));
        assertThat(server.listenBacklog()).isEqualTo(16);
        assertThat(ServerMain.readyLine(server)).endsWith(" max-connections=100 backlog=16");
        closeAndCheck(server);
    }

    @Test
    void eachModelKeepsItsOwnOptions() {
        ServerConfig.Builder builder = ServerConfig.builder().poolThreads(7).eventLoops(3);
        assertThat(builder.model(Model.VIRTUAL).build().modelOptions()).isEqualTo(new ModelOptions.Virtual());
        assertThat(builder.model(Model.POOL).build().modelOptions()).isEqualTo(new ModelOptions.Pool(7));
        assertThat(builder.model(Model.NIO).build().modelOptions()).isEqualTo(new ModelOptions.Nio(3));

        ServerConfig pool = ServerConfig.builder().modelOptions(new ModelOptions.Pool(5)).build();
        assertThat(pool.model()).isEqualTo(Model.POOL);
        assertThat(pool.toBuilder().build()).isEqualTo(pool);
        assertThat(ServerConfig.builder().build().modelOptions()).isEqualTo(new ModelOptions.Virtual());
    }

    /** A bad setting of another model is still a bad setting, as on the command line. */
    @Test
    void everyModelsOptionsAreChecked() {
        assertThatThrownBy(() -> ServerConfig.builder().model(Model.VIRTUAL).poolThreads(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("pool threads must be positive, was 0");
        assertThatThrownBy(() -> ServerConfig.builder().model(Model.POOL).eventLoops(-2).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("event loops must be positive, was -2");
    }
}

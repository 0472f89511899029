package io.loombench.loadgen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server that closes every connection as soon as it accepts it (as one at its connection limit
 * does) must not draw a reconnect storm: each refusal counts as an error and backs off.
 */
@Timeout(60)
class ReconnectTest {

    /**
     * Four connections over two seconds, in the open model at one request every two seconds per
     * connection, so the server's close arrives while nothing is outstanding (the case that used to
     * reconnect at once). With the back-off doubling from 10 ms (10, 20, 40, ..., capped at 1 s),
     * each connection tries at most about ten times in 2 s, so the server sees some forty connects;
     * reconnecting at once after each close would be thousands.
     */
    @Test
    void aServerThatDropsEveryConnectionIsNotFlooded() throws Exception {
        AtomicLong accepted = new AtomicLong();
        try (FakeServers.Tcp server = new FakeServers.Tcp((in, out) -> accepted.incrementAndGet())) {
            InetSocketAddress address = server.address();
            LoadResult result = LoadGenerator.run(LoadSpec.builder(LoadProtocol.HTTP, address)
                    .http(new HttpRequestSpec("GET", "/", "127.0.0.1:" + address.getPort(), List.of(), new byte[0]))
                    .connections(4).threads(1).rate(2).duration(Duration.ofSeconds(2)).build());

            assertThat(accepted.get()).isBetween(4L, 100L);
            assertThat(result.errors(LoadError.RESET)).isPositive();
            assertThat(result.completed()).isZero();
            assertThat(result.warnings()).noneMatch(warning -> warning.contains("the generator fell behind"));
        }
    }
}

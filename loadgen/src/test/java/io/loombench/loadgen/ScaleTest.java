package io.loombench.loadgen;

import io.loombench.common.Protocol;
import io.loombench.server.Model;
import io.loombench.server.Server;
import io.loombench.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Connection opening at scale: thousands of connections into a listen queue of 16 all open
 * without an error, a server that drops every new connection sees a bounded number of attempts,
 * and a run the open-file limit cannot hold is refused before it starts.
 */
@Timeout(120)
class ScaleTest {
    /** Connections to open against the tiny backlog, if the open-file limit allows (client and server share this JVM). */
    private static final int MANY = 4_000;

    /**
     * The loombench server with a listen backlog of 16: a generator that opened at a fixed pace
     * would overflow it at every scheduling hiccup of the acceptor, and each SYN dropped would
     * come back a second later or time out. The gate slows down when an attempt stalls and gives
     * stalled attempts up early, so every connection opens, and none of that counts as an error.
     */
    @Test
    void thousandsOfConnectionsOpenThroughABacklogOf16WithoutAnError() throws Exception {
        int connections = (int) Math.min(MANY, FileLimit.usage().map(usage -> usage.connectionsAvailable(2) / 2 - 100).orElse((long) MANY));
        assertThat(connections).as("the open-file limit leaves room for a test of scale").isGreaterThanOrEqualTo(1_000);
        try (Server server = Server.start(ServerConfig.builder().model(Model.NIO).protocol(Protocol.ECHO).port(0)
                .backlog(16).maxConnections(connections + 100).build())) {
            LoadSpec spec = LoadSpec.builder(LoadProtocol.TCP_ECHO, server.address())
                    .connections(connections).threads(2).rate(connections).payloadBytes(16)
                    .duration(Duration.ofSeconds(1)).timeout(Duration.ofSeconds(5)).build();

            LoadResult result = LoadGenerator.run(spec);

            assertThat(result.peakConnections()).isEqualTo(connections);
            assertThat(result.totalErrors()).as("errors: %s", result.errors()).isZero();
            assertThat(result.completed()).as("one request per connection in the measured second").isEqualTo(connections);
            assertThat(result.warnings()).noneMatch(warning -> warning.contains("connections were open"));
        }
    }

    /**
     * A server that closes every connection as soon as it accepts it: each refusal backs the
     * connection off, and halves the pace of attempts for the whole run (the pace grows only while
     * connections are served), so after a short burst the server sees a trickle, not one connect
     * per connection per back-off.
     */
    @Test
    void aServerThatDropsEveryConnectionSeesABoundedNumberOfAttempts() throws Exception {
        int connections = 200;
        AtomicLongArray acceptsPerSecond = new AtomicLongArray(10);
        try (ServerSocket listener = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress())) {
            long startedAt = System.nanoTime();
            Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
                while (!listener.isClosed()) {
                    try (Socket socket = listener.accept()) {
                        int second = (int) TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedAt);
                        acceptsPerSecond.incrementAndGet(Math.min(second, acceptsPerSecond.length() - 1));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
            LoadResult result = LoadGenerator.run(LoadSpec.builder(LoadProtocol.TCP_ECHO, address)
                    .connections(connections).threads(1).duration(Duration.ofSeconds(3))
                    .connectTimeout(Duration.ofMillis(500)).build());
            listener.close();
            acceptor.join(TimeUnit.SECONDS.toMillis(10));

            long total = 0;
            for (int s = 0; s < acceptsPerSecond.length(); s++) {
                total += acceptsPerSecond.get(s);
            }
            assertThat(result.errors(LoadError.RESET)).isPositive();
            assertThat(result.completed()).isZero();
            // Refusals halve the pace, at most every 200 ms, from 1,000/s towards 1/s: a few hundred
            // attempts in the first second, then almost none. A back-off per connection alone, at
            // most a second, would let each of the 200 come back every second.
            assertThat(total).as("accepts over the run, by second %s", acceptsPerSecond).isLessThan(3L * connections);
            long lateAccepts = acceptsPerSecond.get(2) + acceptsPerSecond.get(3) + acceptsPerSecond.get(4);
            assertThat(lateAccepts).as("accepts after the first two seconds, by second %s", acceptsPerSecond)
                    .isLessThan(connections / 4);
        }
    }

    @Test
    void moreConnectionsThanTheOpenFileLimitAllowsAreRefusedBeforeTheRun() {
        AtomicLong limit = new AtomicLong();
        FileLimit.usage().ifPresent(usage -> limit.set(usage.limit()));
        LoadSpec spec = LoadSpec.builder(LoadProtocol.TCP_ECHO, new InetSocketAddress(InetAddress.getLoopbackAddress(), 9))
                .connections(Integer.MAX_VALUE).build();

        assertThat(limit.get()).as("this platform tells the limit").isPositive();
        assertThatThrownBy(() -> LoadGenerator.run(spec)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("can open at most").hasMessageContaining(String.format(Locale.ROOT, "open-file limit is %,d", limit.get()))
                .hasMessageNotContaining("\n");
    }
}

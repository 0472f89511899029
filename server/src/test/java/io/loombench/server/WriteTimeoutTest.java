package io.loombench.server;

import io.loombench.common.Protocol;
import io.loombench.server.TestSupport.Client;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.loombench.server.TestSupport.awaitStats;
import static io.loombench.server.TestSupport.closeAndCheck;
import static io.loombench.server.TestSupport.config;
import static io.loombench.server.TestSupport.connectNeverReading;
import static io.loombench.server.TestSupport.pumpUntilStuck;
import static io.loombench.server.TestSupport.start;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The write deadline in every model and protocol, over loopback: a client that pipelines
 * requests and never reads its answers fills the socket buffers until the server's write makes no
 * progress; the server closes that connection once {@code --write-timeout} passes, counts it as a
 * write timeout, and meanwhile serves another client as usual.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(TestSupport.CloseServers.class)
class WriteTimeoutTest {

    /** Long enough that the other client's exchange, made while the server's write is stuck, usually ends before it. */
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(2);

    @ParameterizedTest
    @MethodSource("io.loombench.server.TestSupport#modelsAndProtocols")
    void aClientThatNeverReadsIsClosedAndTheOthersAreServed(Model model, Protocol protocol) throws Exception {
        Server server = start(config(model, protocol).writeTimeout(WRITE_TIMEOUT));
        try (Client other = new Client(server);
             SocketChannel neverReads = connectNeverReading(server)) {
            other.assertRoundTrip(protocol, "before");
            long pumpStart = System.nanoTime();
            pumpUntilStuck(neverReads, protocol);
            // The server's write is stuck now, and its input has backed up behind it; the other
            // client is served all the same, before the write deadline passes.
            other.assertRoundTrip(protocol, "while-one-is-stuck");
            // The deadline runs from the stuck write, which came after pumpStart: until
            // WRITE_TIMEOUT has passed since then, no write can have timed out. The count is read
            // before the clock, so a timeout it shows would have had to fire early. A machine slow
            // enough to take longer over the pumping and the exchange leaves nothing to check.
            long timeouts = server.stats().errors(ServerError.WRITE_TIMEOUT);
            long stuckFor = System.nanoTime() - pumpStart;
            if (stuckFor < WRITE_TIMEOUT.toNanos()) {
                assertThat(timeouts).as("write timeouts before the deadline").isZero();
            }

            awaitStats(server, "the client that never reads closed for its write timeout",
                    s -> s.errors(ServerError.WRITE_TIMEOUT) == 1 && s.active() == 1);
            // A lower bound, which load cannot break: the server's write cannot have stalled
            // before the client started sending.
            assertThat(Duration.ofNanos(System.nanoTime() - pumpStart)).as("time to the close").isGreaterThanOrEqualTo(WRITE_TIMEOUT);
            other.assertRoundTrip(protocol, "after");
        }
        awaitStats(server, "all closed", s -> s.active() == 0);
        assertThat(server.stats().errors(ServerError.WRITE_TIMEOUT)).isEqualTo(1);
        assertThat(server.stats().errors(ServerError.IO)).as("the write timeout counted as nothing else").isZero();
        closeAndCheck(server);
    }
}

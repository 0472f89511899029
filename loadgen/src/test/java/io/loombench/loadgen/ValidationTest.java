package io.loombench.loadgen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Every answer is checked: a server that answers wrongly is caught and the run fails. */
@Timeout(60)
class ValidationTest {

    /**
     * The timeout is long next to a round trip: most tests assert that nothing timed out, and a
     * fake server's thread can go without a CPU for hundreds of milliseconds on a loaded machine.
     * The tests where a timeout must fire set a short one of their own.
     */
    private static LoadSpec.Builder closedLoop(LoadProtocol protocol, InetSocketAddress address) {
        return LoadSpec.builder(protocol, address).connections(1).threads(1)
                .duration(Duration.ofMillis(800)).timeout(Duration.ofSeconds(2));
    }

    @Test
    void corruptedEchoByteIsAMismatch() throws Exception {
        try (FakeServers.Tcp server = new FakeServers.Tcp(FakeServers.corruptingEcho(1000))) {
            LoadResult result = LoadGenerator.run(closedLoop(LoadProtocol.TCP_ECHO, server.address()).payloadBytes(64).build());

            assertThat(result.errors(LoadError.MISMATCH)).isEqualTo(1);
            assertThat(result.failed()).isTrue();
        }
    }

    @Test
    void failFastEndsTheRunAtTheFirstError() throws Exception {
        try (FakeServers.Tcp server = new FakeServers.Tcp(FakeServers.corruptingEcho(1000))) {
            LoadResult result = LoadGenerator.run(closedLoop(LoadProtocol.TCP_ECHO, server.address())
                    .duration(Duration.ofSeconds(20)).failFast(true).build());

            assertThat(result.errors(LoadError.MISMATCH)).isEqualTo(1);
            assertThat(result.measuredSeconds()).as("stopped long before its 20 s").isLessThan(10);
        }
    }

    @Test
    void intactEchoHasNoErrors() throws Exception {
        try (FakeServers.Tcp server = new FakeServers.Tcp(FakeServers.corruptingEcho(-1))) {
            LoadResult result = LoadGenerator.run(closedLoop(LoadProtocol.TCP_ECHO, server.address()).payloadBytes(1000).pipeline(4).build());

            assertThat(result.totalErrors()).isZero();
            assertThat(result.completed()).isPositive();
        }
    }

    @Test
    void connectionsComeFromEveryBindAddress() throws Exception {
        try (FakeServers.Tcp server = new FakeServers.Tcp(FakeServers.corruptingEcho(-1))) {
            List<InetAddress> binds = List.of(InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.3"));
            LoadResult result = LoadGenerator.run(closedLoop(LoadProtocol.TCP_ECHO, server.address())
                    .connections(4).bindAddresses(binds).build());

            assertThat(result.totalErrors()).isZero();
            assertThat(server.peers()).containsExactlyInAnyOrderElementsOf(binds);
        }
    }

    @Test
    void contentLengthShorterThanTheBodyIsAProtocolError() throws Exception {
        String response = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHello, World!";
        try (FakeServers.Tcp server = new FakeServers.Tcp(FakeServers.http(response))) {
            LoadResult result = LoadGenerator.run(httpGet(server.address()).build());

            assertThat(result.errors(LoadError.PROTOCOL)).isPositive();
        }
    }

    @Test
    void contentLengthLongerThanTheBodyTimesOut() throws Exception {
        String response = "HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\nHello, World!";
        try (FakeServers.Tcp server = new FakeServers.Tcp(FakeServers.http(response))) {
            LoadResult result = LoadGenerator.run(httpGet(server.address()).timeout(Duration.ofMillis(300)).build());

            assertThat(result.errors(LoadError.TIMEOUT)).isPositive();
            assertThat(result.completed()).isZero();
        }
    }

    @Test
    void errorStatusIsCountedAsUnexpected() throws Exception {
        String response = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n";
        try (FakeServers.Tcp server = new FakeServers.Tcp(FakeServers.http(response))) {
            LoadResult result = LoadGenerator.run(httpGet(server.address()).build());

            assertThat(result.errors(LoadError.STATUS)).isEqualTo(result.statusClasses().get("5xx")).isPositive();
        }
    }

    private static LoadSpec.Builder httpGet(InetSocketAddress address) {
        return closedLoop(LoadProtocol.HTTP, address)
                .http(new HttpRequestSpec("GET", "/", "127.0.0.1:" + address.getPort(), List.of(), new byte[0]));
    }

    @Test
    void droppedDatagramIsLost() throws Exception {
        try (FakeServers.Udp server = new FakeServers.Udp((sequence, send) -> {
            if (sequence != 5) {
                send.run();
            }
        })) {
            // Datagram 5's loss is seen when its timeout runs out, well inside the run; the other
            // answers must each come within the timeout, or they too count as lost.
            LoadResult result = LoadGenerator.run(closedLoop(LoadProtocol.UDP_ECHO, server.address())
                    .timeout(Duration.ofSeconds(1)).duration(Duration.ofSeconds(3)).build());

            assertThat(result.errors(LoadError.LOST)).isEqualTo(1);
            assertThat(result.errors(LoadError.DUPLICATE)).isZero();
        }
    }

    @Test
    void duplicatedDatagramIsCounted() throws Exception {
        try (FakeServers.Udp server = new FakeServers.Udp((sequence, send) -> {
            send.run();
            if (sequence == 7) {
                send.run();
            }
        })) {
            LoadResult result = LoadGenerator.run(closedLoop(LoadProtocol.UDP_ECHO, server.address()).build());

            assertThat(result.errors(LoadError.DUPLICATE)).isEqualTo(1);
            assertThat(result.errors(LoadError.LOST)).isZero();
        }
    }

    @Test
    void reorderedDatagramsAreCountedButNotErrors() throws Exception {
        AtomicReference<Runnable> held = new AtomicReference<>();
        try (FakeServers.Udp server = new FakeServers.Udp((sequence, send) -> {
            if (sequence == 3) {
                held.set(send);
                return;
            }
            send.run();
            if (sequence == 4) {
                held.get().run();
            }
        })) {
            LoadResult result = LoadGenerator.run(closedLoop(LoadProtocol.UDP_ECHO, server.address()).pipeline(2).build());

            assertThat(result.reordered()).isEqualTo(1);
            assertThat(result.totalErrors()).isZero();
        }
    }
}

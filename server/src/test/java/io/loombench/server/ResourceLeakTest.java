package io.loombench.server;

import io.loombench.common.Protocol;
import io.loombench.common.Transport;
import io.loombench.server.TestSupport.Client;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.loombench.server.TestSupport.IO_TIMEOUT;
import static io.loombench.server.TestSupport.ascii;
import static io.loombench.server.TestSupport.await;
import static io.loombench.server.TestSupport.awaitStats;
import static io.loombench.server.TestSupport.closeAll;
import static io.loombench.server.TestSupport.closeAndCheck;
import static io.loombench.server.TestSupport.config;
import static io.loombench.server.TestSupport.get;
import static io.loombench.server.TestSupport.openClients;
import static io.loombench.server.TestSupport.openFileDescriptors;
import static io.loombench.server.TestSupport.readToEof;
import static io.loombench.server.TestSupport.serverThreads;
import static io.loombench.server.TestSupport.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * After {@code close()} a server leaves nothing behind, whatever state its connections were in:
 * no platform thread named {@code loombench-*}, no active connection, and the process's open
 * descriptors back to where they were before it started (a little slack for the JDK's own).
 * Also after a start that fails because the port is taken.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(TestSupport.CloseServers.class)
class ResourceLeakTest {

    /** Descriptors the JDK may open for itself meanwhile (a lazily started poller, say). */
    private static final int SLACK = 3;

    static Stream<Arguments> everyServer() {
        return Arrays.stream(Model.values()).flatMap(model -> Stream.of(
                Arguments.of(model, Transport.TCP, Protocol.ECHO),
                Arguments.of(model, Transport.TCP, Protocol.HTTP),
                Arguments.of(model, Transport.UDP, Protocol.ECHO)));
    }

    /** Runs each kind of server once, so descriptors the JDK opens once per process are open before counting. */
    @BeforeAll
    static void warmUp() throws Exception {
        assumeTrue(openFileDescriptors() > 0, "/proc/self/fd readable");
        for (Model model : Model.values()) {
            Server tcp = start(config(model, Protocol.HTTP));
            try (Client client = new Client(tcp)) {
                client.assertRoundTrip(Protocol.HTTP, "warm-up");
            }
            closeAndCheck(tcp);
            Server udp = start(config(model, Protocol.ECHO).transport(Transport.UDP));
            exchangeDatagrams(udp, 1);
            closeAndCheck(udp);
        }
    }

    @ParameterizedTest
    @MethodSource("everyServer")
    void closeLeavesNoThreadsConnectionsOrDescriptors(Model model, Transport transport, Protocol protocol) throws Exception {
        int before = openFileDescriptors();
        assertThat(serverThreads()).isEmpty();
        Server server = start(config(model, protocol).transport(transport).shutdownGrace(Duration.ofMillis(300)));
        if (transport == Transport.UDP) {
            exchangeDatagrams(server, 20);
            closeAndCheck(server);
        } else {
            List<Client> clients = openClients(server, 10);
            try {
                for (int i = 0; i < 8; i++) {
                    clients.get(i).assertRoundTrip(protocol, "used-" + i);
                }
                // Two closed by the client, four idle, two busy (HTTP: a partial request and a
                // minute-long delay), two never used: the server's close must end all the open
                // ones, the busy ones when the grace runs out.
                clients.get(0).close();
                clients.get(1).close();
                byte[] partial = protocol == Protocol.HTTP ? ascii("GET /plaintext HTTP/1.1\r\n") : ascii("unread echo");
                byte[] delayed = ascii(get("/delay?ms=60000"));
                long read = server.stats().bytesRead();
                clients.get(5).send(partial);
                clients.get(6).send(delayed);
                // Wait until the server has read them: bytes still racing the drain may find
                // the connection closed for idle, and a close with unread input is a reset. Wait
                // too until it has accepted all ten: "8 open" alone also holds while the last
                // client still sits in the listen queue and one client's close is not yet seen,
                // and closing the listener resets what is still queued.
                awaitStats(server, "all 10 accepted, 8 still open and the last bytes read",
                        s -> s.accepted() == 10 && s.active() == 8
                                && s.bytesRead() == read + partial.length + delayed.length);
                closeAndCheck(server);
                for (int i = 2; i < clients.size(); i++) {
                    try {
                        readToEof(clients.get(i).in); // any echo the test left unread, then the server's close
                    } catch (IOException e) {
                        throw new AssertionError("client " + i + " after the server closed: " + e, e);
                    }
                }
            } finally {
                closeAll(clients);
            }
        }
        await("descriptors back to " + before + " (+" + SLACK + ")", () -> openFileDescriptors() <= before + SLACK,
                TestSupport::openFileDescriptors);
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void failedStartLeavesNothing(Model model) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             DatagramSocket takenUdp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            int before = openFileDescriptors();
            assertThatThrownBy(() -> start(config(model, Protocol.HTTP).port(taken.getLocalPort())))
                    .isInstanceOf(IOException.class);
            assertThatThrownBy(() -> start(config(model, Protocol.ECHO).transport(Transport.UDP).port(takenUdp.getLocalPort())))
                    .isInstanceOf(IOException.class);
            assertThat(serverThreads()).isEmpty();
            TestSupport.assertNoServerThreadDied();
            await("descriptors back to " + before, () -> openFileDescriptors() <= before + SLACK,
                    TestSupport::openFileDescriptors);
        }
    }

    private static void exchangeDatagrams(Server server, int count) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout((int) IO_TIMEOUT.toMillis());
            socket.connect(server.address());
            for (int i = 0; i < count; i++) {
                byte[] payload = ascii("datagram-" + i);
                socket.send(new DatagramPacket(payload, payload.length));
                DatagramPacket echo = new DatagramPacket(new byte[100], 100);
                socket.receive(echo);
                assertThat(Arrays.copyOf(echo.getData(), echo.getLength())).isEqualTo(payload);
            }
        }
    }
}

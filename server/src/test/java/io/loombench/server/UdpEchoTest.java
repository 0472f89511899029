package io.loombench.server;

import io.loombench.common.Protocol;
import io.loombench.common.Transport;
import io.loombench.server.udp.DatagramReceiver;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.loombench.server.TestSupport.IO_TIMEOUT;
import static io.loombench.server.TestSupport.awaitStats;
import static io.loombench.server.TestSupport.closeAndCheck;
import static io.loombench.server.TestSupport.config;
import static io.loombench.server.TestSupport.randomBytes;
import static io.loombench.server.TestSupport.serverThreads;
import static io.loombench.server.TestSupport.start;
import static io.loombench.server.TestSupport.stayIdle;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * UDP echo in every model, through the one {@link DatagramReceiver} every model plugs its
 * handling into: datagrams from 1 byte to the largest IPv4 payload come back intact to the socket
 * that sent them, with and without a think time, and many datagrams from several sockets at once
 * each return to their own sender; datagrams beyond the in-flight limit are dropped, and those
 * still waiting when the server shuts down are cut and counted, leaving nothing behind.
 *
 * <p>Loopback drops a datagram only when a receive buffer overflows, so senders keep a small
 * window of datagrams in flight and the sockets get large receive buffers.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(TestSupport.CloseServers.class)
class UdpEchoTest {

    private static final int[] SIZES = {1, 2, 100, 1472, 1473, 8192, 65_000, DatagramReceiver.MAX_DATAGRAM_BYTES};

    private static Server startUdp(Model model, Duration think) throws IOException {
        return start(config(model, Protocol.ECHO).transport(Transport.UDP).think(think));
    }

    /** A socket that talks only to the server, so anything it receives came from there. */
    private static DatagramSocket socketFor(Server server) throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        socket.setReceiveBufferSize(1 << 20);
        socket.setSoTimeout((int) IO_TIMEOUT.toMillis());
        socket.connect(server.address());
        return socket;
    }

    private static byte[] receive(DatagramSocket socket) throws IOException {
        DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
        socket.receive(packet);
        return Arrays.copyOf(packet.getData(), packet.getLength());
    }

    private static void send(DatagramSocket socket, byte[] payload) throws IOException {
        socket.send(new DatagramPacket(payload, payload.length));
    }

    private static void sendTo(DatagramSocket socket, Server server, byte[] payload) throws IOException {
        socket.send(new DatagramPacket(payload, payload.length, server.address()));
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void datagramsOfEverySizeComeBackIntact(Model model) throws Exception {
        Server server = startUdp(model, Duration.ZERO);
        long total = 0;
        try (DatagramSocket socket = socketFor(server)) {
            for (int size : SIZES) {
                byte[] payload = randomBytes(size, size);
                send(socket, payload);
                assertThat(receive(socket)).as("echo of a %d-byte datagram", size).isEqualTo(payload);
                total += size;
            }
        }
        long expected = total;
        awaitStats(server, "every datagram counted", s -> s.requests() == SIZES.length
                && s.bytesRead() == expected && s.bytesWritten() == expected && s.active() == 0);
        assertThat(server.stats().errors(ServerError.DATAGRAM_DROPPED)).isZero();
        closeAndCheck(server);
    }

    /**
     * Each datagram waits out the think time before it comes back, also the first after the
     * server sat idle: a lower bound, safe under load.
     */
    @ParameterizedTest
    @EnumSource(Model.class)
    void thinkTimeDelaysEachDatagram(Model model) throws Exception {
        Duration think = Duration.ofMillis(100);
        Server server = startUdp(model, think);
        List<DatagramSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                sockets.add(socketFor(server));
            }
            stayIdle(Duration.ofMillis(300));
            long sent = System.nanoTime();
            for (int i = 0; i < sockets.size(); i++) {
                send(sockets.get(i), randomBytes(i, 1000 + i));
            }
            for (int i = 0; i < sockets.size(); i++) {
                assertThat(receive(sockets.get(i))).isEqualTo(randomBytes(i, 1000 + i));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(think);
        } finally {
            sockets.forEach(DatagramSocket::close);
        }
        awaitStats(server, "all answered", s -> s.requests() == 3 && s.active() == 0);
        closeAndCheck(server);
    }

    /**
     * Several sockets, each sending many tagged datagrams of random sizes with a window in flight:
     * each socket gets back exactly its own datagrams (in any order, as threads may answer them
     * out of order), and none of another's.
     */
    @ParameterizedTest
    @EnumSource(Model.class)
    void manyDatagramsFromSeveralSocketsReturnToTheirSenders(Model model) throws Exception {
        int senders = 4;
        int perSender = 300;
        int window = 16;
        Server server = startUdp(model, Duration.ZERO);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                int sender = s;
                done.add(threads.submit(() -> {
                    Random random = new Random(sender);
                    try (DatagramSocket socket = socketFor(server)) {
                        for (int first = 0; first < perSender; first += window) {
                            Set<ByteBuffer> expected = new HashSet<>();
                            for (int seq = first; seq < Math.min(perSender, first + window); seq++) {
                                byte[] payload = tagged(sender, seq, 8 + random.nextInt(1400));
                                expected.add(ByteBuffer.wrap(payload));
                                send(socket, payload);
                            }
                            Set<ByteBuffer> received = new HashSet<>();
                            while (received.size() < expected.size()) {
                                byte[] echo = receive(socket);
                                assertThat(ByteBuffer.wrap(echo).getInt()).as("sender tag").isEqualTo(sender);
                                assertThat(received.add(ByteBuffer.wrap(echo))).as("duplicate echo").isTrue();
                            }
                            assertThat(received).isEqualTo(expected);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(30, TimeUnit.SECONDS);
            }
        }
        awaitStats(server, "every datagram answered", s -> s.requests() == (long) senders * perSender && s.active() == 0);
        assertThat(server.stats().errors(ServerError.DATAGRAM_DROPPED)).isZero();
        closeAndCheck(server);
    }

    /**
     * Receiving is the receiver's business, not the model's: a UDP server runs one receiving loop
     * and no connection machinery (no selector loops, no deadline sweep); a pool starts its
     * threads only when datagrams come.
     */
    @ParameterizedTest
    @EnumSource(Model.class)
    void aUdpServerRunsOneReceivingLoop(Model model) throws Exception {
        Server server = startUdp(model, Duration.ZERO);
        assertThat(serverThreads()).containsExactly("loombench-udp");
        closeAndCheck(server);
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void datagramsBeyondTheInFlightLimitAreDropped(Model model) throws Exception {
        Server server = start(config(model, Protocol.ECHO).transport(Transport.UDP).think(Duration.ofMinutes(1))
                .maxConnections(2).shutdownGrace(Duration.ofMillis(100)));
        try (DatagramSocket socket = socketFor(server)) {
            for (int i = 0; i < 5; i++) {
                send(socket, randomBytes(i, 10));
            }
            awaitStats(server, "two in flight, three dropped",
                    s -> s.accepted() == 2 && s.active() == 2 && s.errors(ServerError.DATAGRAM_DROPPED) == 3);
        }
        closeAndCheck(server);
    }

    /** Datagrams still in their think time when the grace runs out are cut, counted once each, and end their flight. */
    @ParameterizedTest
    @EnumSource(Model.class)
    void datagramsWaitingAtShutdownAreCut(Model model) throws Exception {
        Server server = start(config(model, Protocol.ECHO).transport(Transport.UDP).think(Duration.ofMinutes(1))
                .shutdownGrace(Duration.ofMillis(100)));
        try (DatagramSocket socket = socketFor(server)) {
            for (int i = 0; i < 3; i++) {
                send(socket, randomBytes(i, 10));
            }
            awaitStats(server, "three in flight", s -> s.active() == 3);
        }
        closeAndCheck(server);
        assertThat(server.stats().errors(ServerError.SHUTDOWN_CUT)).isEqualTo(3);
        assertThat(server.stats().errors(ServerError.DATAGRAM_DROPPED)).isZero();
        assertThat(server.stats().requests()).isZero();
    }

    /**
     * With {@code --max-datagram 100}: a datagram of 100 bytes comes back, one of 101 (or 65,000)
     * is counted as truncated and not answered, not even in part; a zero-byte datagram is valid
     * and answered with one. Each sender waits for its answer before the next, and the one with
     * no answer is followed by one that has, so silence is shown by what comes back next.
     */
    @ParameterizedTest
    @EnumSource(Model.class)
    void datagramsBeyondTheMaximumAreCountedAsTruncatedAndZeroBytesAreEchoed(Model model) throws Exception {
        int max = 100;
        Server server = start(config(model, Protocol.ECHO).transport(Transport.UDP).maxDatagram(max));
        // Not connected: the JDK's connected datagram sockets send nothing for a zero-byte write.
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout((int) IO_TIMEOUT.toMillis());
            byte[] atMax = randomBytes(1, max);
            sendTo(socket, server, atMax);
            assertThat(receive(socket)).isEqualTo(atMax);

            sendTo(socket, server, randomBytes(2, max + 1));
            sendTo(socket, server, randomBytes(3, 65_000));
            sendTo(socket, server, new byte[0]);
            assertThat(receive(socket)).as("the answer to the zero-byte datagram, the only one after the truncated two").isEmpty();
            byte[] small = randomBytes(4, 10);
            sendTo(socket, server, small);
            assertThat(receive(socket)).isEqualTo(small);
        }
        awaitStats(server, "two truncated, three answered", s -> s.errors(ServerError.DATAGRAM_TRUNCATED) == 2
                && s.requests() == 3 && s.accepted() == 3 && s.active() == 0);
        assertThat(server.stats().bytesRead()).isEqualTo(max + 10);
        assertThat(server.stats().bytesWritten()).isEqualTo(max + 10);
        assertThat(server.stats().line(Transport.UDP)).contains("datagram_truncated=2");
        closeAndCheck(server);
    }

    /**
     * A flood far faster than the server answers (each datagram thinks 20 ms, at most 8 in
     * flight): the server sheds what it cannot hold, counted as dropped, answers what it took,
     * and serves a new client as usual afterwards. Datagrams the kernel drops from a full receive
     * buffer never reach the server, so only those it read are counted: at most all of them.
     */
    @ParameterizedTest
    @EnumSource(Model.class)
    void aFloodFasterThanTheServerIsSurvivedAndCounted(Model model) throws Exception {
        int flood = 5_000;
        Server server = start(config(model, Protocol.ECHO).transport(Transport.UDP).think(Duration.ofMillis(20))
                .maxConnections(8));
        // Checked on the reading that showed none in flight: the flood's tail may still be in
        // the receive buffer, and a later reading may catch one of it taken on and unanswered.
        AtomicReference<ServerStats> settled = new AtomicReference<>();
        try (DatagramSocket flooder = socketFor(server)) {
            for (int i = 0; i < flood; i++) {
                send(flooder, randomBytes(i, 64));
            }
            awaitStats(server, "the flood over: none in flight, some shed", s -> {
                settled.set(s);
                return s.active() == 0 && s.errors(ServerError.DATAGRAM_DROPPED) > 0;
            });
        }
        ServerStats afterFlood = settled.get();
        assertThat(afterFlood.accepted() + afterFlood.errors(ServerError.DATAGRAM_DROPPED)).as("datagrams the server read").isLessThanOrEqualTo(flood);
        assertThat(afterFlood.requests()).as("every datagram taken on was answered").isEqualTo(afterFlood.accepted());
        // The flood's tail may still wait in the socket's receive buffer, and a datagram read while
        // 8 of it are in flight is shed like the rest; a client would send again, and so does this one.
        try (DatagramSocket later = socketFor(server)) {
            later.setSoTimeout(500);
            byte[] payload = randomBytes(-1, 32);
            byte[] answer = null;
            for (int attempt = 0; attempt < 20 && answer == null; attempt++) {
                send(later, payload);
                try {
                    answer = receive(later);
                } catch (SocketTimeoutException e) {
                    // Shed behind the flood's tail: send it again.
                }
            }
            assertThat(answer).as("an answer within 20 attempts of 500 ms").isEqualTo(payload);
        }
        awaitStats(server, "the later datagram answered", s -> s.requests() > afterFlood.requests() && s.active() == 0);
        assertThat(server.stats().errors(ServerError.IO) + server.stats().errors(ServerError.HANDLER_BUG)).isZero();
        closeAndCheck(server);
    }

    /** {@code length} bytes: the sender's number, the sequence number, then seeded filler. */
    private static byte[] tagged(int sender, int seq, int length) {
        byte[] payload = randomBytes(31L * sender + seq, length);
        ByteBuffer.wrap(payload).putInt(sender).putInt(seq);
        return payload;
    }
}

package io.loombench.server.udp;

import io.loombench.server.ServerError;
import io.loombench.server.ServerCounters;
import io.loombench.server.protocol.EchoSession;
import io.loombench.server.protocol.Next;
import io.loombench.server.protocol.ProtocolSession;
import io.loombench.server.protocol.SessionFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A UDP session that throws, from the factory or from {@code process}, on the receiving loop and
 * on an executor thread: counted as {@link ServerError#HANDLER_BUG}, its datagram ends its flight
 * unanswered, and the next datagram is answered as usual.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DatagramBugTest {

    /** Echo, except that a datagram starting with {@code !} throws; the second session made throws from the factory. */
    private static SessionFactory faulty(ServerCounters counters) {
        AtomicInteger made = new AtomicInteger();
        return () -> {
            if (made.getAndIncrement() == 1) {
                throw new IllegalStateException("injected bug in the session factory");
            }
            EchoSession echo = new EchoSession(0, TimeUnit.SECONDS.toNanos(30), counters);
            return new ProtocolSession() {
                @Override
                public Next process(ByteBuffer in, ByteBuffer out, long nowNanos) {
                    if (in.hasRemaining() && in.get(in.position()) == '!') {
                        throw new IllegalStateException("injected bug in process");
                    }
                    return echo.process(in, out, nowNanos);
                }

                @Override
                public long waitMillis() {
                    return 0;
                }

                @Override
                public long deadlineNanos() {
                    return echo.deadlineNanos();
                }

                @Override
                public void timeout(ByteBuffer out) {
                    echo.timeout(out);
                }

                @Override
                public boolean idle() {
                    return echo.idle();
                }
            };
        };
    }

    private static byte[] exchange(DatagramSocket socket, String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        socket.send(new DatagramPacket(bytes, bytes.length));
        DatagramPacket answer = new DatagramPacket(new byte[100], 100);
        socket.receive(answer);
        return Arrays.copyOf(answer.getData(), answer.getLength());
    }

    @ParameterizedTest
    @ValueSource(strings = {"loop", "executor"})
    void aThrowingSessionIsCountedAndTheNextDatagramAnswered(String where) throws Exception {
        ServerCounters counters = new ServerCounters();
        DatagramChannel channel = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        DatagramHandling handling = where.equals("loop") ? new DatagramHandling.OnReceivingLoop()
                : new DatagramHandling.OnExecutor(Executors.newVirtualThreadPerTaskExecutor());
        DatagramReceiver receiver = new DatagramReceiver(channel, faulty(counters), counters, 100,
                DatagramReceiver.MAX_DATAGRAM_BYTES, handling);
        receiver.start();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(10_000);
            socket.connect(channel.getLocalAddress());
            assertThat(exchange(socket, "first")).isEqualTo("first".getBytes(StandardCharsets.US_ASCII));
            // The second session's factory throws, the third's process: no answer to either, and
            // the fourth datagram's answer is the next to arrive.
            socket.send(new DatagramPacket(new byte[] {'x'}, 1));
            socket.send(new DatagramPacket(new byte[] {'!'}, 1));
            assertThat(exchange(socket, "after")).isEqualTo("after".getBytes(StandardCharsets.US_ASCII));
        } finally {
            receiver.stopReceiving();
            receiver.close();
        }
        assertThat(counters.snapshot().errors(ServerError.HANDLER_BUG)).isEqualTo(2);
        assertThat(counters.active()).isZero();
        assertThat(counters.snapshot().requests()).isEqualTo(2);
    }
}

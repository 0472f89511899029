package io.loombench.benchmarks.peers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.loombench.benchmarks.peers.PeerTestSupport.IO_TIMEOUT;
import static io.loombench.benchmarks.peers.PeerTestSupport.ascii;
import static org.assertj.core.api.Assertions.assertThat;

/** The Netty peer's {@code echo} protocol: every byte back, in order, on real loopback sockets. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NettyEchoTest {

    private static Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(address, (int) IO_TIMEOUT.toMillis());
        socket.setSoTimeout((int) IO_TIMEOUT.toMillis());
        return socket;
    }

    @Test
    void smallWritesComeBackInOrder() throws Exception {
        try (NettyServer server = NettyServer.start("127.0.0.1", 0, "echo"); Socket socket = connect(server.address())) {
            assertThat(server.readyLine()).matches("listening on tcp://127\\.0\\.0\\.1:\\d+ model=netty protocol=echo loops=\\d+");
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (String message : new String[]{"hello", "x", "a longer line\r\n", "\u0000\u00ff binary?"}) {
                byte[] bytes = message.getBytes(StandardCharsets.ISO_8859_1);
                out.write(bytes);
                assertThat(in.readNBytes(bytes.length)).isEqualTo(bytes);
            }
            out.write(ascii("one"));
            out.write(ascii("two"));
            out.write(ascii("three"));
            assertThat(new String(in.readNBytes(11), StandardCharsets.US_ASCII)).isEqualTo("onetwothree");
            assertThat(server.requests()).isPositive();
        }
    }

    /**
     * 32 MiB written while read back concurrently: far more than the socket buffers and Netty's
     * write high-water mark hold, so the peer must pause reading and resume while it drains.
     */
    @Test
    void largeWriteComesBackWhole() throws Exception {
        byte[] data = new byte[32 << 20];
        new Random(42).nextBytes(data);
        // Declared first, so closed last: the socket's close ends a write that a failure left blocked.
        try (ExecutorService writer = Executors.newVirtualThreadPerTaskExecutor();
             NettyServer server = NettyServer.start("127.0.0.1", 0, "echo");
             Socket socket = connect(server.address())) {
            OutputStream out = socket.getOutputStream();
            Future<?> written = writer.submit(() -> {
                for (int offset = 0; offset < data.length; offset += 1 << 16) {
                    out.write(data, offset, Math.min(1 << 16, data.length - offset));
                }
                return null;
            });
            byte[] back = socket.getInputStream().readNBytes(data.length);
            written.get(IO_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(back.length).isEqualTo(data.length);
            assertThat(back).isEqualTo(data);
        }
    }

    /** A client that shuts down its output gets every byte back, then the close. */
    @Test
    void halfCloseGetsEverythingBackThenClose() throws Exception {
        byte[] data = new byte[1 << 20];
        new Random(7).nextBytes(data);
        try (ExecutorService reader = Executors.newVirtualThreadPerTaskExecutor();
             NettyServer server = NettyServer.start("127.0.0.1", 0, "echo");
             Socket socket = connect(server.address())) {
            Future<byte[]> back = reader.submit(() -> socket.getInputStream().readAllBytes());
            socket.getOutputStream().write(data);
            socket.shutdownOutput();
            assertThat(back.get(IO_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(data);
        }
    }
}

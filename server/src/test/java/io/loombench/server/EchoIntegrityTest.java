package io.loombench.server;

import io.loombench.common.Protocol;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.loombench.server.TestSupport.awaitStats;
import static io.loombench.server.TestSupport.closeAndCheck;
import static io.loombench.server.TestSupport.config;
import static io.loombench.server.TestSupport.connect;
import static io.loombench.server.TestSupport.randomBytes;
import static io.loombench.server.TestSupport.readExactly;
import static io.loombench.server.TestSupport.readToEof;
import static io.loombench.server.TestSupport.start;
import static io.loombench.server.TestSupport.stayIdle;
import static io.loombench.server.TestSupport.writeInPieces;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * TCP echo integrity in every model: random payloads (fixed seeds) from 1 byte to 1 MiB, written
 * in arbitrary pieces while the echo is read back at the same time, compared byte for byte; with
 * and without a think time, on one connection and on several at once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(TestSupport.CloseServers.class)
class EchoIntegrityTest {

    /** Around the buffer sizes (4 KiB minimum, 16 KiB default) and up to 1 MiB. */
    private static final int[] SIZES = {1, 2, 3, 100, 4095, 4096, 4097, 16_383, 16_384, 16_385, 65_536, 100_003, 1 << 20};

    /** The smallest buffers the server allows, so each payload wraps them many times. */
    private static ServerConfig.Builder smallBuffers(Model model) {
        return config(model, Protocol.ECHO).bufferSize(ServerConfig.MIN_BUFFER_SIZE);
    }

    /**
     * Sends {@code payload} in random pieces from a second thread, half-closes, and returns
     * everything echoed up to the server's close: the echo must be exactly the payload.
     */
    private static byte[] echoWithHalfClose(Server server, byte[] payload, long seed, int maxPiece,
                                            ExecutorService writers) throws Exception {
        try (Socket socket = connect(server)) {
            OutputStream out = socket.getOutputStream();
            Future<?> writer = writers.submit(() -> {
                writeInPieces(out, payload, new Random(seed), maxPiece);
                socket.shutdownOutput();
                return null;
            });
            byte[] echoed = readToEof(socket.getInputStream());
            writer.get(10, TimeUnit.SECONDS);
            return echoed;
        }
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void payloadsFromOneByteToOneMebibyteComeBackIntact(Model model) throws Exception {
        Server server = start(config(model, Protocol.ECHO));
        long total = 0;
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int size : SIZES) {
                byte[] payload = randomBytes(size, size);
                byte[] echoed = echoWithHalfClose(server, payload, size + 1, Math.min(size, 70_000), writers);
                assertThat(echoed).as("echo of %d bytes", size).isEqualTo(payload);
                total += size;
            }
        }
        long expected = total;
        awaitStats(server, "every byte read and written", s -> s.bytesRead() == expected && s.bytesWritten() == expected
                && s.active() == 0);
        closeAndCheck(server);
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void concurrentConnectionsEachGetTheirOwnBytesBack(Model model) throws Exception {
        Server server = start(smallBuffers(model));
        int connections = 6;
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> results = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                long seed = 100 + c;
                results.add(clients.submit(() -> {
                    Random random = new Random(seed);
                    try (Socket socket = connect(server)) {
                        OutputStream out = socket.getOutputStream();
                        InputStream in = socket.getInputStream();
                        for (int message = 0; message < 15; message++) {
                            byte[] payload = randomBytes(random.nextLong(), 1 + random.nextInt(40_000));
                            Future<?> writer = clients.submit(() -> writeInPieces(out, payload, new Random(seed), 5000));
                            assertThat(readExactly(in, payload.length)).isEqualTo(payload);
                            writer.get(10, TimeUnit.SECONDS);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> result : results) {
                result.get(30, TimeUnit.SECONDS);
            }
        }
        awaitStats(server, "all connections closed", s -> s.active() == 0 && s.accepted() == connections);
        closeAndCheck(server);
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void thinkTimeHoldsEachBatchButKeepsTheBytes(Model model) throws Exception {
        Duration think = Duration.ofMillis(5);
        Server server = start(smallBuffers(model).think(think));
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int size : new int[] {1, 1000, 4097, 60_000, 200_000}) {
                byte[] payload = randomBytes(size, size);
                byte[] echoed = echoWithHalfClose(server, payload, size + 2, Math.min(size, 8192), writers);
                assertThat(echoed).as("echo of %d bytes with think time", size).isEqualTo(payload);
            }
        }
        closeAndCheck(server);
    }

    /**
     * The think time is a lower bound on every echo: the byte cannot come back before the server
     * has waited, also after the server sat idle. A lower bound holds however loaded the machine is.
     */
    @ParameterizedTest
    @EnumSource(Model.class)
    void thinkTimeDelaysTheEcho(Model model) throws Exception {
        Duration think = Duration.ofMillis(50);
        Server server = start(config(model, Protocol.ECHO).think(think));
        try (Socket socket = connect(server)) {
            for (int i = 0; i < 3; i++) {
                if (i > 0) {
                    stayIdle(Duration.ofMillis(250));
                }
                long sent = System.nanoTime();
                socket.getOutputStream().write(i);
                assertThat(socket.getInputStream().read()).isEqualTo(i);
                assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(think);
            }
        }
        closeAndCheck(server);
    }
}

package io.loombench.server.model;

import io.loombench.common.Transport;
import io.loombench.server.ModelOptions;
import io.loombench.server.ServerError;
import io.loombench.server.protocol.EchoSession;
import io.loombench.server.protocol.Next;
import io.loombench.server.protocol.ProtocolSession;
import io.loombench.server.protocol.SessionFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static io.loombench.server.model.ModelFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bugs are loud: a {@link RuntimeException} from protocol code (a session factory, a session's
 * {@code process}, its {@code timeout} called from the deadline sweep) is counted as
 * {@link ServerError#HANDLER_BUG} and ends its own connection only, in every model, while a
 * connection beside it (on the same event loop, for nio) goes on being served.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HandlerBugTest {

    private static Function<ModelContext, ConcurrencyModel> model(String name) {
        return switch (name) {
            case "virtual" -> context -> new BlockingModel(context,
                    new ModelOptions.Virtual().newExecutor());
            case "pool" -> context -> new BlockingModel(context, new PlatformThreadPool(4, "loombench-pool-"));
            case "nio" -> context -> new EventLoopModel(context, 1);
            default -> throw new IllegalArgumentException(name);
        };
    }

    /**
     * Echo, except that a {@code !} in the input throws from {@code process}, and a {@code ?} makes
     * the deadline due at once and {@code timeout} throw.
     */
    private static final class FaultySession implements ProtocolSession {
        private final EchoSession echo;
        private long dueNanos = Long.MIN_VALUE;

        FaultySession(EchoSession echo) {
            this.echo = echo;
        }

        @Override
        public Next process(ByteBuffer in, ByteBuffer out, long nowNanos) {
            for (int i = in.position(); i < in.limit(); i++) {
                if (in.get(i) == '!') {
                    throw new IllegalStateException("injected bug in process");
                }
                if (in.get(i) == '?') {
                    in.position(in.limit());
                    dueNanos = nowNanos;
                    return Next.NEED_INPUT;
                }
            }
            return echo.process(in, out, nowNanos);
        }

        @Override
        public long waitMillis() {
            return echo.waitMillis();
        }

        @Override
        public long deadlineNanos() {
            return dueNanos != Long.MIN_VALUE ? dueNanos : echo.deadlineNanos();
        }

        @Override
        public void timeout(ByteBuffer out) {
            if (dueNanos != Long.MIN_VALUE) {
                throw new IllegalStateException("injected bug in timeout");
            }
            echo.timeout(out);
        }

        @Override
        public boolean idle() {
            return echo.idle();
        }
    }

    /** Faulty echo sessions; the second session asked for throws from the factory instead. */
    private static SessionFactory faultySessions(ModelFixture fixture) {
        long idle = fixture.config.idleTimeout().toNanos();
        AtomicInteger made = new AtomicInteger();
        return () -> {
            if (made.getAndIncrement() == 1) {
                throw new IllegalStateException("injected bug in the session factory");
            }
            return new FaultySession(new EchoSession(0, idle, fixture.counters));
        };
    }

    private static void assertEcho(Socket client, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        client.getOutputStream().write(bytes);
        assertThat(client.getInputStream().readNBytes(bytes.length)).as("echo of %s", text).isEqualTo(bytes);
    }

    /** The server closed the connection without an answer: end of stream, or a reset. */
    private static void assertClosed(Socket client) throws IOException {
        try {
            assertThat(client.getInputStream().read()).as("a byte where the connection should have closed").isEqualTo(-1);
        } catch (SocketException e) {
            assertThat(e.getMessage()).containsIgnoringCase("reset");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"virtual", "pool", "nio"})
    void aThrowingSessionIsCountedAndClosesOnlyItsConnection(String name) throws Exception {
        try (ModelFixture fixture = new ModelFixture(HandlerBugTest::faultySessions, model(name))) {
            Socket healthy = fixture.connect();
            assertEcho(healthy, "ok");

            Socket noSession = fixture.connect();
            assertClosed(noSession);

            Socket throwsInProcess = fixture.connect();
            throwsInProcess.getOutputStream().write("boom!".getBytes(StandardCharsets.US_ASCII));
            assertClosed(throwsInProcess);

            Socket throwsInTimeout = fixture.connect();
            throwsInTimeout.getOutputStream().write('?');
            assertClosed(throwsInTimeout);

            await("three bugs counted and their connections finished",
                    () -> fixture.counters.snapshot().errors(ServerError.HANDLER_BUG) == 3 && fixture.counters.active() == 1,
                    fixture.counters::snapshot);
            assertEcho(healthy, "still served");
            assertThat(fixture.counters.snapshot().errors(ServerError.IO)).isZero();
            assertThat(fixture.counters.snapshot().line(Transport.TCP)).contains("handler_bug=3");
        }
    }
}

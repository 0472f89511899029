package io.loombench.server.http;

import io.loombench.server.ServerCounters;
import io.loombench.server.ServerStats;
import io.loombench.server.protocol.Next;
import io.loombench.server.protocol.ShutdownSignal;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The linger after an error answer (RFC 9112 9.6), driven call by call on a fake clock: the
 * session reads and drops what the client still sends, asks for input with the linger's end as
 * its deadline, is idle (so a graceful shutdown may close it), and ends quietly, by the deadline
 * or once {@link HttpSession#LINGER_MAX_BYTES} have arrived.
 */
class HttpSessionLingerTest {
    private static final long NOW = SessionDriver.START_NANOS;

    private final ServerCounters counters = new ServerCounters();
    private final HttpSession session = new HttpSession(HttpLimits.DEFAULTS, new Router(), SessionDriver.TIMERS,
            new HttpDate(), counters, new ShutdownSignal());
    private final ByteBuffer in = ByteBuffer.allocate(SessionDriver.DEFAULT_BUFFER).flip();
    private final ByteBuffer out = ByteBuffer.allocate(SessionDriver.DEFAULT_BUFFER);

    private Next receive(String bytes, long nowNanos) {
        in.compact().put(Responses.bytes(bytes)).flip();
        return session.process(in, out, nowNanos);
    }

    @Test
    void afterAnErrorTheSessionDropsInputUntilTheLingerEnds() {
        Next next = receive("GET /plaintext HTTP/1.1\r\nHost: test\r\nContent-Length: x\r\n\r\n" + "GET /json HTTP/1.1\r\n", NOW);
        assertThat(next).isEqualTo(Next.NEED_INPUT);
        assertThat(Responses.text(out.flip().array()).substring(0, out.limit())).startsWith("HTTP/1.1 400 Bad Request\r\n")
                .contains("Connection: close\r\n");
        out.clear();
        assertThat(in.hasRemaining()).as("what came behind the bad request is dropped").isFalse();
        assertThat(session.lingering()).isTrue();
        assertThat(session.idle()).isTrue();
        assertThat(session.deadlineNanos()).isEqualTo(NOW + HttpSession.LINGER_NANOS);

        // More of it, later: dropped too, nothing answered, the deadline unchanged.
        assertThat(receive("Host: test\r\n\r\n", NOW + 1_000)).isEqualTo(Next.NEED_INPUT);
        assertThat(out.position()).isZero();
        assertThat(session.deadlineNanos()).isEqualTo(NOW + HttpSession.LINGER_NANOS);

        // The deadline ends it, quietly: no answer, no second error.
        session.timeout(out);
        assertThat(out.position()).isZero();
        ServerStats stats = counters.snapshot();
        assertThat(stats.requests()).isEqualTo(1);
        assertThat(stats.errors().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1);
        assertThat(session.process(in, out, NOW + HttpSession.LINGER_NANOS)).isEqualTo(Next.CLOSE);
    }

    @Test
    void aClientThatKeepsSendingIsClosedAfterTheLingerBudget() {
        String hello = "\u0016\u0003\u0001";
        receive(hello, NOW);
        assertThat(session.lingering()).isTrue();
        String chunk = "x".repeat(8192);
        long dropped = hello.length() - 1; // all but the byte refused
        Next next = Next.NEED_INPUT;
        while (next == Next.NEED_INPUT) {
            next = receive(chunk, NOW);
            dropped += chunk.length();
            assertThat(dropped).as("dropped before the close").isLessThanOrEqualTo(HttpSession.LINGER_MAX_BYTES + chunk.length());
        }
        assertThat(next).isEqualTo(Next.CLOSE);
        assertThat(dropped).isGreaterThan(HttpSession.LINGER_MAX_BYTES);
    }

    @Test
    void aClientThatAskedToCloseIsClosedAtOnceNotLingeredOn() {
        Next next = receive("GET /plaintext HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n", NOW);
        assertThat(next).isEqualTo(Next.CLOSE);
        assertThat(session.lingering()).isFalse();
    }
}

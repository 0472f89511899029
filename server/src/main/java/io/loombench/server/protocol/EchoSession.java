package io.loombench.server.protocol;

import io.loombench.server.ServerError;
import io.loombench.server.ServerCounters;

import java.nio.ByteBuffer;

/**
 * TCP echo: every byte received is sent back, in order.
 *
 * <p>With a think time, each batch of bytes delivered by one read is held for that long before it
 * is echoed, like a service that waits on a downstream call per message. The wait belongs to the
 * batch: when the output buffer fills halfway through it, the rest follows without a second wait.
 *
 * <p>Echo has no requests to finish, so on shutdown the driver closes the connection as soon as it
 * is idle (all input echoed).
 */
public final class EchoSession implements ProtocolSession {
    private final long thinkMillis;
    private final long idleTimeoutNanos;
    private final ServerCounters counters;

    private boolean batchThoughtAbout;
    private long lastInputNanos;

    public EchoSession(long thinkMillis, long idleTimeoutNanos, ServerCounters counters) {
        this.thinkMillis = thinkMillis;
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.counters = counters;
    }

    @Override
    public Next process(ByteBuffer in, ByteBuffer out, long nowNanos) {
        if (!in.hasRemaining()) {
            lastInputNanos = nowNanos;
            return Next.NEED_INPUT;
        }
        if (thinkMillis > 0 && !batchThoughtAbout) {
            batchThoughtAbout = true;
            return Next.WAIT;
        }
        int n = Math.min(in.remaining(), out.remaining());
        int end = in.position() + n;
        out.put(out.position(), in, in.position(), n).position(out.position() + n);
        in.position(end);
        counters.request();
        if (in.hasRemaining()) {
            return Next.FLUSH;
        }
        batchThoughtAbout = false;
        lastInputNanos = nowNanos;
        return Next.NEED_INPUT;
    }

    @Override
    public long waitMillis() {
        return thinkMillis;
    }

    @Override
    public long deadlineNanos() {
        return lastInputNanos + idleTimeoutNanos;
    }

    @Override
    public void timeout(ByteBuffer out) {
        counters.error(ServerError.IDLE_TIMEOUT);
    }

    @Override
    public boolean idle() {
        return !batchThoughtAbout;
    }
}

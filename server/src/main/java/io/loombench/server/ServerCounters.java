package io.loombench.server;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's live counters, updated by every model from many threads without locks.
 * {@link #snapshot()} reads them into an immutable {@link ServerStats}.
 *
 * <p>Monotonic counts are {@link LongAdder}s (cheap to bump from many threads). The number of active
 * connections goes up and down and is read to enforce the connection limit, so it is an
 * {@link AtomicLong}.
 */
public final class ServerCounters {
    private final LongAdder accepted = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final AtomicLong active = new AtomicLong();
    private final LongAdder requests = new LongAdder();
    private final LongAdder bytesRead = new LongAdder();
    private final LongAdder bytesWritten = new LongAdder();
    private final LongAdder[] errors = new LongAdder[ServerError.values().length];
    private final Object zeroActive = new Object();
    private volatile boolean awaitingZero;

    public ServerCounters() {
        for (int i = 0; i < errors.length; i++) {
            errors[i] = new LongAdder();
        }
    }

    /** A connection (or, for UDP, a datagram) was taken on; it is now active. */
    public void accepted() {
        accepted.increment();
        active.incrementAndGet();
    }

    /** A connection was refused at once because the server was at its connection limit. */
    public void rejected() {
        rejected.increment();
    }

    /** An accepted connection (or datagram) is finished. */
    public void finished() {
        if (active.decrementAndGet() == 0 && awaitingZero) {
            synchronized (zeroActive) {
                zeroActive.notifyAll();
            }
        }
    }

    /**
     * Waits until no connection is active, for graceful shutdown. Only this path takes a lock;
     * {@link #finished()} touches it only once somebody waits.
     *
     * @return true if none is active, false if the timeout passed first
     */
    public boolean awaitNoneActive(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        awaitingZero = true;
        synchronized (zeroActive) {
            while (active.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                zeroActive.wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    public long active() {
        return active.get();
    }

    public void request() {
        requests.increment();
    }

    public void bytesRead(long n) {
        bytesRead.add(n);
    }

    public void bytesWritten(long n) {
        bytesWritten.add(n);
    }

    public void error(ServerError kind) {
        errors[kind.ordinal()].increment();
    }

    public void error(ServerError kind, long n) {
        errors[kind.ordinal()].add(n);
    }

    /**
     * A bug in protocol or driver code, caught where it would otherwise end a thread or vanish into
     * an executor: counted as {@link ServerError#HANDLER_BUG}, so the stats and the stop line show
     * it, and printed to stderr with its stack trace, so it can be found. The caller closes what
     * the failed code served.
     *
     * @param where what was running, for the message (a thread or a connection)
     */
    public void handlerBug(String where, RuntimeException e) {
        error(ServerError.HANDLER_BUG);
        System.err.println("loombench: bug in " + where + " (counted as handler_bug; its connection closed): " + e);
        e.printStackTrace();
    }

    public ServerStats snapshot() {
        long[] errorCounts = new long[errors.length];
        for (int i = 0; i < errors.length; i++) {
            errorCounts[i] = errors[i].sum();
        }
        return new ServerStats(accepted.sum(), active.get(), rejected.sum(), requests.sum(),
                bytesRead.sum(), bytesWritten.sum(), ServerStats.errorMap(errorCounts));
    }
}

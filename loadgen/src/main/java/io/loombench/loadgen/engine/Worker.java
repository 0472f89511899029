package io.loombench.loadgen.engine;

import io.loombench.loadgen.ErrorKind;
import io.loombench.loadgen.LoadProtocol;
import io.loombench.loadgen.LoadSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One generator thread, like a wrk thread: an NIO selector owning an equal share of the run's
 * connections, a timer heap of their next send or connect times, and its own {@link WorkerStats}.
 * Nothing is shared with other workers but the {@link RunControl}, so the hot path takes no lock
 * and allocates nothing.
 *
 * <p>Waiting: the loop blocks in its selector, so an answer is read the moment it arrives, and
 * its {@link Pacer} wakes it when the next send comes due, finer than the selector's milliseconds.
 * The send-lag histogram shows how punctual that is on the machine at hand.
 */
final class Worker implements Runnable {

    /** Attached to a selection key; called on the worker thread when the key is ready. */
    interface Ready {
        void onReady(SelectionKey key);
    }

    private static final long MILLI = TimeUnit.MILLISECONDS.toNanos(1);

    private final LoadSpec spec;
    private final RunClock clock;
    private final RunControl control;
    private final WorkerStats stats = new WorkerStats();
    private final Selector selector;
    private final TimerHeap timers;
    private final Connection[] connections;
    private final long[] firstConnectAt;
    private final long timeoutNanos;
    private final long sweepPeriodNanos;
    private final Pacer pacer;
    private final Consumer<SelectionKey> dispatch = key -> ((Ready) key.attachment()).onReady(key);
    /** Measured requests this worker may still send; negative for no bound. */
    private long budget;
    private long outstanding;
    private boolean issuing = true;
    /**
     * After the measured period ended on time (open model): requests that came due inside it but
     * waited for a free pipeline slot may still go out while the run drains.
     */
    private boolean catchingUp;
    /** How long after {@link #stoppedAt} the worker waits for answers at most. */
    private long drainNanos;
    private long stoppedAt;
    /** When the last request due in the measured period was sent after its end; valid if {@link #caughtUp}. */
    private long lastCatchUpSendAt;
    private boolean caughtUp;

    /**
     * @param globalIndexes the run-wide index of each connection this worker owns
     * @param budget        measured requests this worker may send, or a negative number for no bound
     */
    Worker(LoadSpec spec, RunClock clock, RunControl control, ConnectionFactory factory, int[] globalIndexes, long budget) {
        this.spec = spec;
        this.clock = clock;
        this.control = control;
        this.budget = budget;
        this.timeoutNanos = spec.timeout().toNanos();
        this.sweepPeriodNanos = Math.clamp(timeoutNanos / 20, MILLI, 100 * MILLI);
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        this.pacer = new Pacer(selector, "loadgen-pacer-" + globalIndexes[0]);
        this.timers = new TimerHeap(globalIndexes.length);
        this.connections = new Connection[globalIndexes.length];
        this.firstConnectAt = new long[globalIndexes.length];
        for (int i = 0; i < globalIndexes.length; i++) {
            connections[i] = factory.create(this, i, globalIndexes[i]);
            firstConnectAt[i] = clock.connectAt(globalIndexes[i]);
        }
    }

    WorkerStats stats() {
        return stats;
    }

    RunClock clock() {
        return clock;
    }

    RunControl control() {
        return control;
    }

    Selector selector() {
        return selector;
    }

    long timeoutNanos() {
        return timeoutNanos;
    }

    /** True while connections may (re)open and new requests come due. */
    boolean issuing() {
        return issuing;
    }

    /** True while connections may send: when issuing, and while catching up after the end. */
    boolean maySend() {
        return issuing || (catchingUp && !control.stopped());
    }

    /** A request was sent at {@code now}; notes it if it went out while catching up. */
    void sent(long now) {
        if (!issuing) {
            lastCatchUpSendAt = now;
            caughtUp = true;
        }
    }

    /**
     * When this worker's share of the measured period ended: when it stopped issuing (at the end of
     * the measured period, or earlier if stopped), or, if it sent requests due in the period after
     * that, when it sent the last of them: the period the server took to take in its load. Valid
     * once the worker has ended.
     */
    long measuredUntil(long measureEnd) {
        long until = stoppedAt - measureEnd < 0 ? stoppedAt : measureEnd;
        return caughtUp && lastCatchUpSendAt - until > 0 ? lastCatchUpSendAt : until;
    }

    void setTimer(int connection, long atNanos) {
        timers.set(connection, atNanos);
    }

    void cancelTimer(int connection) {
        timers.remove(connection);
    }

    void outstandingChanged(long delta) {
        outstanding += delta;
    }

    /** Counts a request against the budget if it is measured; false once the budget is spent. */
    boolean takeBudget(long intendedNanos) {
        if (budget < 0 || !clock.measured(intendedNanos)) {
            return true;
        }
        if (budget == 0) {
            return false;
        }
        budget--;
        return true;
    }

    void errorHappened() {
        if (spec.failFast()) {
            control.stop();
        }
    }

    @Override
    public void run() {
        try {
            for (int i = 0; i < connections.length; i++) {
                timers.set(i, firstConnectAt[i]);
            }
            pacer.start();
            loop();
        } catch (IOException e) {
            throw new UncheckedIOException("selector failed", e);
        } finally {
            finish();
        }
    }

    private void loop() throws IOException {
        long nextSweep = clock.start() + sweepPeriodNanos;
        while (true) {
            long now = System.nanoTime();
            // Timers first: a send due just before the end, noticed just after it, still goes out.
            while (!timers.isEmpty() && timers.minKey() - now <= 0) {
                connections[timers.poll()].onTimer(now);
            }
            if (issuing && (now - clock.measureEnd() >= 0 || budget == 0 || control.stopped())) {
                stopIssuing(now);
            }
            if (catchingUp && now - stoppedAt - timeoutNanos >= 0) {
                catchingUp = false;
            }
            long drainEnd = stoppedAt + drainNanos;
            if (!issuing && (outstanding <= 0 || now - drainEnd >= 0)) {
                return;
            }
            if (now - nextSweep >= 0) {
                sweep(now);
                nextSweep = now + sweepPeriodNanos;
            }
            long wake = earlier(nextSweep, issuing ? clock.measureEnd() : drainEnd);
            if (!timers.isEmpty()) {
                wake = earlier(wake, timers.minKey());
            }
            long waitNanos = wake - System.nanoTime();
            if (waitNanos <= 0) {
                selector.selectNow(dispatch);
            } else {
                pacer.wakeAt(wake);
                selector.select(dispatch, waitNanos / MILLI + 1);
                pacer.cancel();
            }
        }
    }

    private static long earlier(long a, long b) {
        return a - b < 0 ? a : b;
    }

    /**
     * Ends the issuing of new requests. For one timeout, requests already due may still be sent
     * (see {@link #catchingUp}); each request then gets up to one timeout to be answered.
     */
    private void stopIssuing(long now) {
        issuing = false;
        catchingUp = !spec.closedModel() && budget != 0 && !control.stopped();
        drainNanos = catchingUp ? 2 * timeoutNanos : timeoutNanos;
        stoppedAt = now;
        for (int i = 0; i < connections.length; i++) {
            timers.remove(i);
        }
    }

    /** Fails requests past their timeout and connection attempts past theirs. */
    private void sweep(long now) {
        long connectTimeoutNanos = spec.connectTimeout().toNanos();
        for (Connection connection : connections) {
            if (connection.connectOverdue(now, connectTimeoutNanos)) {
                connection.connectFailed(now);
            } else {
                connection.expire(now);
            }
        }
    }

    /** Counts what never completed, closes every socket and the selector. */
    private void finish() {
        ErrorKind unanswered = spec.protocol() == LoadProtocol.UDP_ECHO ? ErrorKind.LOST : ErrorKind.TIMEOUT;
        long stopped = issuing ? System.nanoTime() : stoppedAt;
        long unsent = 0;
        for (Connection connection : connections) {
            int left = connection.outstanding();
            if (left > 0) {
                stats.error(unanswered, left);
            }
            unsent += connection.countUnsent(stopped);
            connection.close();
        }
        stats.add(Counter.UNSENT, unsent);
        try {
            pacer.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // Every channel is closed already.
        }
    }
}

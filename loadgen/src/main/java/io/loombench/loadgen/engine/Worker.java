package io.loombench.loadgen.engine;

import io.loombench.common.Transport;
import io.loombench.loadgen.LoadError;
import io.loombench.loadgen.LoadSpec;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One generator thread, like a wrk thread: an NIO selector owning an equal share of the run's
 * connections, a timer heap of their next send, connect or stall times, the input and output
 * buffers they share, and its own {@link WorkerStats}. Nothing is shared with other workers but
 * the run's {@link RunPhases}, {@link ConnectGate} and {@link OpenGauge}, which change only as
 * phases pass and connections open, so the hot path takes no lock and allocates nothing.
 *
 * <p>Waiting: the loop blocks in its selector, so an answer is read the moment it arrives, and
 * its {@link Pacer} wakes it when the next send comes due, finer than the selector's milliseconds.
 * The send-lag histogram shows how punctual that is on the machine at hand.
 *
 * <p>Reopening: after a failure a connection waits a back-off that doubles with each
 * consecutive failure, from {@link #MIN_BACKOFF_NANOS} to {@link #MAX_BACKOFF_NANOS}, drawn at
 * random from its upper half so that connections that failed together do not come back together;
 * then it queues for the connect gate. A connection the server closed cleanly after answering
 * reopens at once.
 *
 * <p>A failure of the worker itself (a bug, or its selector failing) ends the run: it goes to
 * the {@link Thread.UncaughtExceptionHandler} the worker was given, after its sockets are closed.
 */
final class Worker implements Runnable, Connection.Host {

    static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MILLI = TimeUnit.MILLISECONDS.toNanos(1);
    /**
     * The most time one turn of the loop spends starting connection attempts before it serves its
     * open connections again. A connect costs microseconds, but once half of a local address's
     * ephemeral ports are taken the kernel searches the rest for each one, up to milliseconds.
     */
    private static final long CONNECTING_PER_TURN_NANOS = MILLI;

    private final LoadSpec spec;
    private final RunPhases phases;
    private final ConnectGate gate;
    private final Thread.UncaughtExceptionHandler deathHandler;
    private final WorkerStats stats = new WorkerStats();
    private final Selector selector;
    private final TimerHeap timers;
    private final Connection[] connections;
    private final long[] firstConnectAt;
    /** Whether a connection's next attempt, when its timer fires, must wait for the connect gate. */
    private final boolean[] gated;
    /** Connections whose back-off is over, waiting for the connect gate. */
    private final IndexQueue connectQueue;
    private final SplittableRandom jitter;
    private final long timeoutNanos;
    private final long sweepPeriodNanos;
    private final Pacer pacer;
    /** Every selection key's attachment is the connection it belongs to. */
    private final Consumer<SelectionKey> dispatch = key -> ((Connection) key.attachment()).onReady(key);
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
     * @param deathHandler  told if the worker or its pacer thread fails
     */
    Worker(LoadSpec spec, RunPhases phases, ConnectGate gate, OpenGauge gauge, ConnectionFactory factory, int[] globalIndexes,
           long budget, Thread.UncaughtExceptionHandler deathHandler) throws IOException {
        this.spec = spec;
        this.phases = phases;
        this.gate = gate;
        this.budget = budget;
        this.deathHandler = deathHandler;
        this.timeoutNanos = spec.timeout().toNanos();
        this.sweepPeriodNanos = Math.clamp(timeoutNanos / 20, MILLI, 100 * MILLI);
        this.selector = Selector.open();
        this.pacer = new Pacer(selector, "loadgen-pacer-" + globalIndexes[0], deathHandler);
        this.timers = new TimerHeap(globalIndexes.length);
        this.connections = new Connection[globalIndexes.length];
        this.firstConnectAt = new long[globalIndexes.length];
        this.gated = new boolean[globalIndexes.length];
        this.connectQueue = new IndexQueue(globalIndexes.length);
        this.jitter = new SplittableRandom(spec.seed() ^ globalIndexes[0]);
        Connection.Context context = new Connection.Context(this, stats, phases, gate, gauge, selector, new SharedBuffers(),
                timeoutNanos, spec.connectTimeout().toNanos());
        for (int i = 0; i < globalIndexes.length; i++) {
            connections[i] = factory.create(context, i, globalIndexes[i]);
            firstConnectAt[i] = phases.connectAt(globalIndexes[i]);
        }
    }

    WorkerStats stats() {
        return stats;
    }

    /** Wakes the worker from its selector, so it sees a change of phase at once. */
    void wakeup() {
        selector.wakeup();
    }

    /**
     * When this worker's share of the measured period ended: when it stopped issuing (at the end of
     * the measured period, or earlier if stopped or out of budget), or, if it sent requests due in
     * the period after that, when it sent the last of them: the period the server took to take in
     * its load. Valid once the worker has ended.
     */
    long measuredUntil() {
        long until = phases.measuredUntil(stoppedAt);
        return caughtUp && lastCatchUpSendAt - until > 0 ? lastCatchUpSendAt : until;
    }

    @Override
    public void wakeAt(int connection, long atNanos) {
        timers.set(connection, atNanos);
    }

    @Override
    public void reopen(int connection, int failures, long now) {
        gated[connection] = failures > 0;
        timers.set(connection, failures == 0 ? now : now + backoff(failures));
    }

    @Override
    public boolean permitSend(boolean measured, long now) {
        if (!issuing && !(catchingUp && !phases.stopped())) {
            return false;
        }
        if (budget >= 0 && measured) {
            if (budget == 0) {
                return false;
            }
            budget--;
        }
        stats.increment(Counter.SENT);
        outstanding++;
        if (!issuing) {
            lastCatchUpSendAt = now;
            caughtUp = true;
        }
        return true;
    }

    @Override
    public void settled(int requests) {
        outstanding -= requests;
    }

    @Override
    public void failed(LoadError kind, long count) {
        stats.error(kind, count);
        if (spec.failFast()) {
            phases.stop();
        }
    }

    /** A delay drawn from the upper half of {@code MIN_BACKOFF << (failures - 1)}, capped at {@link #MAX_BACKOFF_NANOS}. */
    private long backoff(int failures) {
        long ceiling = Math.min(MAX_BACKOFF_NANOS, MIN_BACKOFF_NANOS << Math.min(failures - 1, 20));
        return ceiling / 2 + jitter.nextLong(ceiling / 2 + 1);
    }

    @Override
    public void run() {
        Throwable failure = null;
        try {
            for (int i = 0; i < connections.length; i++) {
                gated[i] = true;
                timers.set(i, firstConnectAt[i]);
            }
            pacer.start();
            loop();
        } catch (IOException e) {
            failure = new IOException("its selector failed: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        try {
            finish();
        } catch (RuntimeException | Error e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            deathHandler.uncaughtException(Thread.currentThread(), failure);
        }
    }

    private void loop() throws IOException {
        long nextSweep = phases.start() + sweepPeriodNanos;
        while (!phases.aborted()) {
            long now = System.nanoTime();
            // Timers first: a send due just before the end, noticed just after it, still goes out.
            while (!timers.isEmpty() && timers.minKey() - now <= 0) {
                fire(timers.poll(), now);
            }
            long gateOpensAt = issuing ? connectQueued() : now;
            if (issuing && (now - phases.issuingEnd() >= 0 || budget == 0)) {
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
            long wake = earlier(nextSweep, issuing ? phases.issuingEnd() : drainEnd);
            if (!timers.isEmpty()) {
                wake = earlier(wake, timers.minKey());
            }
            if (issuing && !connectQueue.isEmpty()) {
                wake = earlier(wake, gateOpensAt);
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

    /** A connection's timer fired: its own business, unless it waits to reconnect (no reconnects once issuing ended). */
    private void fire(int index, long now) {
        Connection connection = connections[index];
        if (!connection.waiting()) {
            connection.onTimer(now);
        } else if (issuing && gated[index]) {
            connectQueue.add(index);
        } else if (issuing) {
            connection.connect(now);
        }
    }

    /**
     * Starts the queued attempts the gate allows now, for at most {@link #CONNECTING_PER_TURN_NANOS};
     * returns when the next one may start.
     */
    private long connectQueued() {
        long turnStart = System.nanoTime();
        long now = turnStart;
        while (!connectQueue.isEmpty()) {
            if (now - turnStart - CONNECTING_PER_TURN_NANOS >= 0) {
                return now;
            }
            if (!gate.tryAcquire(now)) {
                return gate.nextAt(now);
            }
            connections[connectQueue.poll()].connect(now);
            now = System.nanoTime();
        }
        return now;
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
        catchingUp = !spec.closedModel() && budget != 0 && !phases.stopped();
        drainNanos = catchingUp ? 2 * timeoutNanos : timeoutNanos;
        stoppedAt = now;
        for (int i = 0; i < connections.length; i++) {
            timers.remove(i);
        }
    }

    /** Fails requests past their timeout, and ends an opening that has gone on too long. */
    private void sweep(long now) {
        phases.poll(now);
        for (Connection connection : connections) {
            connection.expire(now);
        }
    }

    /** Counts what never completed, closes every socket and the selector. */
    private void finish() {
        LoadError unanswered = spec.protocol().transport() == Transport.UDP ? LoadError.LOST : LoadError.TIMEOUT;
        long stopped = issuing ? System.nanoTime() : stoppedAt;
        if (issuing) {
            stoppedAt = stopped;
        }
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

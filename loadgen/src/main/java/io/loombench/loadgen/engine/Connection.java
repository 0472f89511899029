package io.loombench.loadgen.engine;

import io.loombench.loadgen.ErrorKind;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.util.concurrent.TimeUnit;

/**
 * One simulated client, owned by one {@link Worker} thread: a socket that is opened, sends
 * requests on its schedule, reads answers, and is reopened after a failure. The subclasses speak
 * TCP or UDP; this class holds what they share: the schedule, issuing, recording and failing.
 *
 * <p>Issuing (open model): every intended send time that has come is sent at once, as long as the
 * pipeline has room; if it has none, the requests wait, and their latency, counted from the
 * intended time, shows it. Requests still waiting when the measured period ends are sent while
 * the run drains: they are the ones a slow server delayed most, and dropping them would hide
 * exactly that. Closed model: the pipeline is kept full, each request's intended time
 * being the moment it is sent.
 */
abstract sealed class Connection implements Worker.Ready permits StreamConnection, DatagramConnection {
    /** First wait after a failure; doubles per consecutive failure up to {@link #MAX_BACKOFF_NANOS}. */
    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    enum State { WAITING, CONNECTING, OPEN, CLOSED }

    protected final Worker worker;
    protected final WorkerStats stats;
    /** Index among the worker's connections: its id in the timer heap. */
    final int index;
    private final Schedule schedule;
    protected State state = State.WAITING;
    private int consecutiveFailures;
    private boolean everOpened;
    /** Answers since the socket last opened: a server that closes before any is refusing the connection. */
    private long answersSinceOpen;
    /**
     * True when the connection could not send as of the last {@link #issue}, because its pipeline
     * was full (or it was not open): the next issue's time is then when sending became possible
     * again, and send lag counts from there, not from the intended time. Waiting behind the
     * server's answers is the server's delay, which the response time shows; send lag is only the
     * generator's own (a full local send buffer, for one, is not a reason to stop counting).
     */
    private boolean blocked = true;
    protected long connectStartedNanos;

    Connection(Worker worker, int index, Schedule schedule) {
        this.worker = worker;
        this.stats = worker.stats();
        this.index = index;
        this.schedule = schedule;
    }

    /** Starts opening the socket; calls {@link #opened} when it is ready. */
    protected abstract void open(long now) throws IOException;

    /** Requests sent and not yet answered. */
    abstract int outstanding();

    /** True if one more request may be sent now. */
    protected abstract boolean hasRoom();

    /** True if the pipeline (UDP: the window) is full: no request may go out before an answer. */
    protected abstract boolean waitingForAnswers();

    /** Adds one request to send, with its intended and actual send times; may send it at once. */
    protected abstract void enqueue(long intendedNanos, long sendNanos) throws IOException;

    /** Writes whatever was enqueued and not yet sent. */
    protected abstract void transmit() throws IOException;

    /** Fails requests older than the timeout; called by the worker's periodic sweep. */
    abstract void expire(long now);

    /** Closes the socket and forgets outstanding requests; counts nothing (callers count them). */
    protected abstract void closeChannel();

    /** The worker's timer for this connection fired: time to connect, or to send. */
    final void onTimer(long now) {
        if (state == State.OPEN) {
            issue(now);
        } else if (state == State.WAITING && worker.issuing()) {
            connect(now);
        }
    }

    private void connect(long now) {
        state = State.CONNECTING;
        connectStartedNanos = now;
        try {
            open(now);
        } catch (IOException e) {
            connectFailed(now);
        }
    }

    /** The socket is open: start sending. */
    protected final void opened(long now) {
        state = State.OPEN;
        answersSinceOpen = 0;
        stats.increment(Counter.OPEN);
        worker.control().opened();
        stats.increment(Counter.CONNECTS);
        if (!everOpened && schedule != null) {
            // Times that passed before this connection first opened belong to the opening phase.
            long measureStart = worker.clock().measureStart();
            schedule.skipUntil(now - measureStart < 0 ? now : measureStart);
        }
        everOpened = true;
        issue(now);
    }

    /**
     * Sends every request that is due and fits the pipeline.
     *
     * @param now when the caller noticed the reason to send: a timer's firing, or an answer or the
     *            connection's opening, which is when a blocked connection could send again
     */
    protected final void issue(long now) {
        if (!worker.maySend() || state != State.OPEN) {
            return;
        }
        int added = 0;
        long sendNanos = System.nanoTime();
        boolean wasBlocked = blocked;
        try {
            while (hasRoom()) {
                long intended;
                if (schedule == null) {
                    intended = sendNanos;
                } else {
                    intended = schedule.next();
                    if (intended - worker.clock().measureEnd() >= 0) {
                        break;
                    }
                    if (intended - sendNanos > 0) {
                        worker.setTimer(index, intended);
                        break;
                    }
                }
                if (!worker.takeBudget(intended)) {
                    break;
                }
                if (schedule != null) {
                    schedule.advance();
                    if (worker.clock().measured(intended)) {
                        long sendable = wasBlocked && now - intended > 0 ? now : intended;
                        WorkerStats.record(stats.sendLag, sendNanos - sendable);
                    }
                }
                stats.increment(Counter.SENT);
                worker.sent(sendNanos);
                worker.outstandingChanged(1);
                added++;
                enqueue(intended, sendNanos);
            }
            blocked = waitingForAnswers();
            if (added > 0) {
                transmit();
            }
        } catch (IOException e) {
            fail(ErrorKind.RESET, now);
        }
    }

    /** Records one answer to a request with these send times. */
    protected final void answered(long intendedNanos, long sentNanos, long now) {
        answersSinceOpen++;
        stats.increment(Counter.COMPLETED);
        worker.outstandingChanged(-1);
        consecutiveFailures = 0;
        if (worker.clock().measured(intendedNanos)) {
            stats.increment(Counter.MEASURED_COMPLETED);
            WorkerStats.record(stats.response, now - intendedNanos);
            WorkerStats.record(stats.service, now - sentNanos);
        }
    }

    /** Outstanding requests ended without an answer (UDP: lost ones). */
    protected final void abandoned(ErrorKind kind, int requests) {
        stats.error(kind, requests);
        worker.outstandingChanged(-requests);
        worker.errorHappened();
    }

    /**
     * The connection failed: its outstanding requests fail with {@code kind} (at least one error is
     * counted), it closes, and it reopens after a back-off.
     */
    protected final void fail(ErrorKind kind, long now) {
        int lost = outstanding();
        stats.error(kind, Math.max(1, lost));
        worker.outstandingChanged(-lost);
        worker.errorHappened();
        closeAndReopen(now, backoff());
    }

    protected final void connectFailed(long now) {
        stats.error(ErrorKind.CONNECT, 1);
        worker.errorHappened();
        closeAndReopen(now, backoff());
    }

    /**
     * The server ended the connection cleanly (Connection: close, or EOF while idle). After it
     * answered, that is the server's right: reopen at once. Before any answer it is a refusal (a
     * server at its connection limit closes new connections at once): count it, and back off as
     * after any failure, or the generator would reconnect in a tight loop, spending its CPU on
     * connects while the server sees a flood.
     */
    protected final void closedByPeer(long now) {
        if (answersSinceOpen == 0) {
            fail(ErrorKind.RESET, now);
            return;
        }
        closeAndReopen(now, 0);
    }

    private long backoff() {
        long delay = MIN_BACKOFF_NANOS << Math.min(consecutiveFailures, 20);
        consecutiveFailures++;
        return Math.min(delay, MAX_BACKOFF_NANOS);
    }

    private void closeAndReopen(long now, long delayNanos) {
        close();
        blocked = true;
        state = State.WAITING;
        worker.setTimer(index, now + delayNanos);
    }

    /** Closes the socket for good or before reopening; counts nothing. */
    final void close() {
        if (state == State.OPEN) {
            stats.add(Counter.OPEN, -1);
            worker.control().closed();
        }
        if (state == State.CONNECTING || state == State.OPEN) {
            closeChannel();
        }
        state = State.CLOSED;
        worker.cancelTimer(index);
    }

    /** True while opening takes longer than the connect timeout. */
    final boolean connectOverdue(long now, long connectTimeoutNanos) {
        return state == State.CONNECTING && now - connectStartedNanos - connectTimeoutNanos > 0;
    }

    /**
     * At the end: counts the requests that were due inside the measured period, before
     * {@code stoppedAt}, but never sent.
     */
    final long countUnsent(long stoppedAt) {
        if (schedule == null) {
            return 0;
        }
        long measureEnd = worker.clock().measureEnd();
        long limit = stoppedAt - measureEnd < 0 ? stoppedAt : measureEnd;
        long measureStart = worker.clock().measureStart();
        schedule.skipUntil(limit - measureStart < 0 ? limit : measureStart);
        return schedule.skipUntil(limit);
    }

    @Override
    public abstract void onReady(SelectionKey key);
}

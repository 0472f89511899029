package io.loombench.loadgen.engine;

import io.loombench.loadgen.LoadError;

import java.io.IOException;
import java.net.BindException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * One simulated client, owned by one {@link Worker} thread: a socket that is opened, sends
 * requests on its {@link Schedule}, reads answers, and is opened again after a failure. The
 * subclasses speak TCP or UDP; this class holds what they share: the connection's life, issuing,
 * recording and failing. It sees its worker only through {@link Host}.
 *
 * <p>Issuing (open model): every intended send time that has come is sent at once, as long as the
 * pipeline has room; if it has none, the requests wait, and their latency, counted from the
 * intended time, shows it. Requests still waiting when the measured period ends are sent while
 * the run drains: they are the ones a slow server delayed most, and dropping them would hide
 * exactly that. Closed model: the pipeline is kept full, each request's intended time being the
 * moment it is sent.
 *
 * <p>Opening: the worker starts each attempt ({@link #connect}) when the run's
 * {@link ConnectGate} allows. An attempt still pending after the gate's stall time is given up and
 * made again later (the target's listen queue was probably full and dropped its SYN); each
 * consecutive stall doubles the time the connection's next attempt is given, up to the connect
 * timeout, as the kernel doubles its SYN retransmissions, and an attempt given the whole connect
 * timeout in vain counts as a {@link LoadError#CONNECT_TIMEOUT}. After a failure the worker waits a
 * back-off that grows with each consecutive failure before the next attempt.
 */
abstract sealed class Connection permits StreamConnection, DatagramConnection {

    /** What a connection may ask of the worker that owns it; nothing else of the worker is visible to it. */
    interface Host {
        /** Calls {@link #onTimer} at {@code atNanos}, replacing any earlier call asked for: a connection has one timer. */
        void wakeAt(int connection, long atNanos);

        /**
         * The connection has closed and wants to open again: at once after a clean close
         * ({@code failures} 0), else after a back-off for that many consecutive failures, once the
         * connect gate allows.
         */
        void reopen(int connection, int failures, long now);

        /**
         * Whether a request may be sent now, as the run's phase and its request budget (which
         * counts measured requests only) decide; if so, it counts as sent and outstanding.
         */
        boolean permitSend(boolean measured, long now);

        /** {@code requests} that were outstanding got their answer or failed. */
        void settled(int requests);

        /** Counts {@code count} errors of this kind; an error stops a fail-fast run. */
        void failed(LoadError kind, long count);
    }

    /**
     * What all of one worker's connections share.
     *
     * @param host                the worker, as its connections see it
     * @param stats               the worker's measurements
     * @param phases              the run's phases
     * @param gate                the run's pace of connection attempts
     * @param gauge               the run's count of open connections
     * @param selector            the worker's selector
     * @param buffers             the worker's input and output buffers
     * @param timeoutNanos        a request unanswered this long fails
     * @param connectTimeoutNanos the most time one attempt to open is given
     */
    record Context(Host host, WorkerStats stats, RunPhases phases, ConnectGate gate, OpenGauge gauge, Selector selector,
                   SharedBuffers buffers, long timeoutNanos, long connectTimeoutNanos) {
    }

    enum State { WAITING, CONNECTING, OPEN, CLOSED }

    protected final Context context;
    protected final WorkerStats stats;
    /** Index among the worker's connections: its id in the worker's timers. */
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
    private long attemptStartedNanos;
    /** How long the current attempt to open may be pending before it is given up. */
    private long attemptAllowedNanos;
    /** Attempts given up in a row since the connection last opened. */
    private int consecutiveStalls;

    Connection(Context context, int index, Schedule schedule) {
        this.context = context;
        this.stats = context.stats();
        this.index = index;
        this.schedule = schedule;
    }

    /**
     * Starts opening the socket: calls {@link #opened} once it is connected, or {@link #attemptFailed}
     * if it cannot be.
     */
    protected abstract void open(long now);

    /** Requests sent and not yet answered. */
    abstract int outstanding();

    /** True if one more request may be sent now. */
    protected abstract boolean hasRoom();

    /** True if the pipeline (UDP: the window) is full: no request may go out before an answer. */
    protected abstract boolean waitingForAnswers();

    /**
     * Adds one request to send, with its intended and actual send times and whether it is
     * measured (decided once, as it is sent: the measured period's start is set by another thread
     * when the opening ends, so asking again at the answer could disagree); may send it at once.
     */
    protected abstract void enqueue(long intendedNanos, long sendNanos, boolean measured) throws IOException;

    /** Writes whatever was enqueued and not yet sent. */
    protected abstract void transmit() throws IOException;

    /** Fails requests older than the timeout; called by the worker's periodic sweep. */
    abstract void expire(long now);

    /** Closes the socket, if there is one, and forgets outstanding requests; counts nothing (callers count them). */
    protected abstract void closeChannel();

    /** True while the connection waits for the worker to {@link #connect} it. */
    final boolean waiting() {
        return state == State.WAITING;
    }

    /** Makes one attempt to open; the worker calls it when the connect gate allows, or at once after a clean close. */
    final void connect(long now) {
        state = State.CONNECTING;
        attemptStartedNanos = now;
        attemptAllowedNanos = Math.min(context.connectTimeoutNanos(), context.gate().stallNanos() << Math.min(consecutiveStalls, 20));
        open(now);
        if (state == State.CONNECTING) {
            context.host().wakeAt(index, now + attemptAllowedNanos);
        }
    }

    /**
     * The timer this connection asked for fired: time to send, or, while it connects, the stall
     * time of its attempt is over (no other timer is set while connecting).
     */
    final void onTimer(long now) {
        if (state == State.OPEN) {
            issue(now);
        } else if (state == State.CONNECTING) {
            stalled(now);
        }
    }

    /** The socket is open: start sending. */
    protected final void opened(long now) {
        state = State.OPEN;
        answersSinceOpen = 0;
        consecutiveStalls = 0;
        context.gate().connected(now - attemptStartedNanos);
        context.gauge().opened();
        stats.increment(Counter.OPEN);
        stats.increment(Counter.CONNECTS);
        if (!everOpened) {
            everOpened = true;
            context.phases().firstOpen(now);
            // Times that passed before this connection first opened belong to the opening.
            long measureStart = context.phases().measureStart();
            schedule.skipUntil(now - measureStart < 0 ? now : measureStart);
        }
        issue(now);
    }

    /** The attempt to open failed at once, or was refused: count it and try again after a back-off. */
    protected final void attemptFailed(LoadError kind, long now) {
        closeChannel();
        state = State.WAITING;
        context.gate().failed(now);
        context.host().failed(kind, 1);
        context.host().reopen(index, ++consecutiveFailures, now);
    }

    /** Why an attempt to bind or connect failed: no local port (or address) for it, or anything else. */
    protected static LoadError connectFailure(IOException e) {
        return e instanceof BindException ? LoadError.LOCAL_PORTS : LoadError.CONNECT;
    }

    /**
     * The attempt has been pending for all the time it was given: give it up and make another
     * later. It is an error only if it was given the whole connect timeout.
     */
    private void stalled(long now) {
        closeChannel();
        state = State.WAITING;
        context.gate().failed(now);
        if (attemptAllowedNanos == context.connectTimeoutNanos()) {
            context.host().failed(LoadError.CONNECT_TIMEOUT, 1);
        } else {
            stats.increment(Counter.STALLED_CONNECTS);
        }
        consecutiveStalls++;
        context.host().reopen(index, ++consecutiveFailures, now);
    }

    /**
     * Sends every request that is due and fits the pipeline.
     *
     * @param now when the caller noticed the reason to send: a timer's firing, or an answer or the
     *            connection's opening, which is when a blocked connection could send again
     */
    protected final void issue(long now) {
        if (state != State.OPEN) {
            return;
        }
        int added = 0;
        long sendNanos = System.nanoTime();
        boolean wasBlocked = blocked;
        boolean paced = !(schedule instanceof Schedule.Closed);
        try {
            while (hasRoom()) {
                long intended = schedule.next(sendNanos);
                if (intended - context.phases().measureEnd() >= 0) {
                    break;
                }
                if (intended - sendNanos > 0) {
                    context.host().wakeAt(index, intended);
                    break;
                }
                boolean measured = context.phases().measured(intended);
                if (!context.host().permitSend(measured, sendNanos)) {
                    break;
                }
                schedule.advance();
                if (paced && measured) {
                    long sendable = wasBlocked && now - intended > 0 ? now : intended;
                    WorkerStats.record(stats.sendLag, sendNanos - sendable);
                }
                added++;
                enqueue(intended, sendNanos, measured);
            }
            blocked = waitingForAnswers();
            if (added > 0) {
                transmit();
            }
        } catch (IOException e) {
            fail(LoadError.RESET, now);
        }
    }

    /** Records one answer to a request with these send times. */
    protected final void answered(long intendedNanos, long sentNanos, boolean measured, long now) {
        if (answersSinceOpen++ == 0) {
            context.gate().served(now);
        }
        consecutiveFailures = 0;
        stats.increment(Counter.COMPLETED);
        context.host().settled(1);
        if (measured) {
            stats.increment(Counter.MEASURED_COMPLETED);
            WorkerStats.record(stats.response, now - intendedNanos);
            WorkerStats.record(stats.service, now - sentNanos);
        }
    }

    /** Outstanding requests ended without an answer (UDP: lost ones). */
    protected final void abandoned(LoadError kind, int requests) {
        context.host().failed(kind, requests);
        context.host().settled(requests);
    }

    /**
     * The connection failed: its outstanding requests fail with {@code kind} (at least one error is
     * counted), it closes, and it reopens after a back-off. A connection that fails before any
     * answer is one the target would not serve, so the connect gate slows down too.
     */
    protected final void fail(LoadError kind, long now) {
        int lost = outstanding();
        context.host().failed(kind, Math.max(1, lost));
        context.host().settled(lost);
        if (answersSinceOpen == 0) {
            context.gate().failed(now);
        }
        closeAndReopen(now, ++consecutiveFailures);
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
            fail(LoadError.RESET, now);
            return;
        }
        closeAndReopen(now, 0);
    }

    private void closeAndReopen(long now, int failures) {
        close();
        blocked = true;
        state = State.WAITING;
        context.host().reopen(index, failures, now);
    }

    /** Closes the socket for good, or before reopening; counts nothing. */
    final void close() {
        if (state == State.OPEN) {
            stats.add(Counter.OPEN, -1);
            context.gauge().closed();
        }
        if (state == State.CONNECTING || state == State.OPEN) {
            closeChannel();
        }
        state = State.CLOSED;
    }

    /**
     * At the end: counts the requests that were due inside the measured period, before the worker
     * stopped issuing at {@code stoppedIssuingAt}, but never sent.
     */
    final long countUnsent(long stoppedIssuingAt) {
        long limit = context.phases().measuredUntil(stoppedIssuingAt);
        long measureStart = context.phases().measureStart();
        schedule.skipUntil(limit - measureStart < 0 ? limit : measureStart);
        return schedule.skipUntil(limit);
    }

    /** Its socket is ready (the connection is its selection key's attachment); called on the worker thread. */
    abstract void onReady(SelectionKey key);
}

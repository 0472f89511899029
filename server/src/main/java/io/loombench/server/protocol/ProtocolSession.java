package io.loombench.server.protocol;

import java.nio.ByteBuffer;

/**
 * The protocol state of one connection, free of sockets and threads.
 *
 * <p>Every concurrency model drives a session the same way: bytes read go into {@code in}, the
 * session consumes what it can and appends responses to {@code out}, and the returned {@link Next}
 * tells the model what to do. The blocking models call it from the connection's own thread, the
 * event loop from its loop thread; a session is never called by two threads at once.
 *
 * <p>Buffer contract: {@code in} is in read mode (position = first unread byte, limit = end of
 * data) and the driver keeps whatever the session leaves unread for the next call, compacting it
 * to the front before reading more. {@code out} is in write mode (position = end of pending
 * output). A session returns {@link Next#NEED_INPUT} only while {@code in} still has free space, so
 * the driver can always make progress by reading.
 */
public interface ProtocolSession {

    /**
     * Consumes input and produces output until the session needs the driver to act.
     *
     * @param in        received bytes, read mode; the session advances its position
     * @param out       bytes to send, write mode; the session advances its position
     * @param nowNanos  {@link System#nanoTime()} at the time of the call, used for deadlines
     * @return what the driver must do next, after flushing {@code out}
     */
    Next process(ByteBuffer in, ByteBuffer out, long nowNanos);

    /** Milliseconds to wait before the next {@code process} call; valid after {@link Next#WAIT}. */
    long waitMillis();

    /**
     * The {@link System#nanoTime()} at which the connection times out if no more input arrives:
     * the idle deadline between requests, the protocol's deadline inside one (HTTP: the header
     * deadline, or the body's inactivity timer; see {@link io.loombench.server.http.HttpTimers}).
     * The driver's own write deadline is apart from it. Valid after
     * {@link Next#NEED_INPUT}. Always finite, so {@code now - deadline >= 0} cannot overflow.
     */
    long deadlineNanos();

    /**
     * The deadline passed: the session writes any last response (HTTP sends 408 for a request
     * that arrived too slowly), counts the timeout, and the driver flushes and closes.
     */
    void timeout(ByteBuffer out);

    /**
     * True between requests, when closing the connection loses nothing the client sent: no
     * partial request is buffered and no response is owed. Valid after {@link Next#NEED_INPUT}.
     * Graceful shutdown closes idle connections at once and lets the others finish.
     */
    boolean idle();

    /**
     * True once the session has sent its last response and only reads and drops input until the
     * client closes or the deadline passes: the lingering close of RFC 9112 9.6, which keeps a
     * client that is still sending from being reset before it reads that response. Valid after
     * {@link Next#NEED_INPUT}. A driver may shut its output down at that point (a half-close, so a
     * client waiting for the end of the stream sees it at once); the drivers of this version keep
     * the connection as it is and go on reading.
     */
    default boolean lingering() {
        return false;
    }
}

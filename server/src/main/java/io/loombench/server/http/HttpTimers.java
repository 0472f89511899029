package io.loombench.server.http;

/**
 * The three timers of an HTTP connection waiting for its client, in nanoseconds, each positive.
 * Which one runs depends on what the connection waits for; each ends the connection differently:
 *
 * <ul>
 *   <li>{@code idleNanos}, between requests (keep-alive, or before the first): runs from the end
 *       of the last response (or the accept); on expiry the connection closes quietly, since
 *       nothing is owed ({@code --idle-timeout}, {@code idle_timeout}).</li>
 *   <li>{@code headerNanos}, a header deadline: the request line and header fields must arrive
 *       within it from the request's first byte, and later bytes do not push it back, so a client
 *       sending one header byte at a time (slowloris) still meets it; on expiry 408 and close
 *       ({@code --read-timeout}, {@code read_timeout}).</li>
 *   <li>{@code bodyNanos}, body inactivity: while a body (and a chunked body's trailers) is
 *       being received, each arriving byte restarts it, so a large upload at any steady rate
 *       completes and only a stalled one ends; on expiry 408 and close, or just the close if the
 *       response has begun, a streamed echo's ({@code --body-timeout}, {@code body_timeout}).</li>
 * </ul>
 *
 * <p>Timers run only while the server waits for input: a slow response ({@code /delay}) is
 * nobody's timeout, and a client that stops reading meets the write deadline of the connection's
 * driver instead.
 */
public record HttpTimers(long idleNanos, long headerNanos, long bodyNanos) {

    public HttpTimers {
        if (idleNanos <= 0 || headerNanos <= 0 || bodyNanos <= 0) {
            throw new IllegalArgumentException("timers must be positive, were " + idleNanos + ", " + headerNanos + ", " + bodyNanos + " ns");
        }
    }
}

package io.loombench.server;

/**
 * The kinds of failure the server counts, one counter each: what the server saw go wrong with a
 * request or a connection. What a client saw is the loadgen's {@code LoadError}.
 */
public enum ServerError {
    /** Malformed request: HTTP 400, or a framing error the server answered by closing. */
    BAD_REQUEST,
    /** HTTP 404. */
    NOT_FOUND,
    /** HTTP 405. */
    METHOD_NOT_ALLOWED,
    /** HTTP 408: a request's line and header fields did not arrive within the read timeout from its first byte. */
    READ_TIMEOUT,
    /**
     * HTTP 408, or a close if the response had begun: no byte of a request body arrived for the
     * body timeout.
     */
    BODY_TIMEOUT,
    /** A keep-alive connection closed after the idle timeout with no request. */
    IDLE_TIMEOUT,
    /**
     * A write made no progress for the write timeout: the client stopped reading its answers, and
     * the connection was closed.
     */
    WRITE_TIMEOUT,
    /** HTTP 413. */
    BODY_TOO_LARGE,
    /** HTTP 414. */
    REQUEST_LINE_TOO_LONG,
    /** HTTP 417: an {@code Expect} other than {@code 100-continue}. */
    EXPECTATION_FAILED,
    /** HTTP 431. */
    HEADERS_TOO_LARGE,
    /** HTTP 501: a transfer coding other than chunked. */
    NOT_IMPLEMENTED,
    /** HTTP 505: an HTTP major version other than 1. */
    VERSION_NOT_SUPPORTED,
    /** A socket error while reading or writing: reset by the peer, broken pipe. */
    IO,
    /** A UDP datagram dropped: too many in flight, or the send buffer was full. */
    DATAGRAM_DROPPED,
    /** A UDP datagram longer than the configured maximum: not answered, since only its start was received. */
    DATAGRAM_TRUNCATED,
    /**
     * A bug: protocol code, a connection's driver or a model taking a connection threw a
     * {@link RuntimeException}. Its connection (UDP: its datagram) was closed without an answer,
     * the server went on serving the others, and the exception went to stderr with its stack trace.
     */
    HANDLER_BUG,
    /**
     * A request still in progress when a graceful shutdown's grace ran out: its connection (UDP: the
     * datagram) was dropped without an answer.
     */
    SHUTDOWN_CUT
}

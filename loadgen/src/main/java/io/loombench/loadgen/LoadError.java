package io.loombench.loadgen;

/**
 * Why a request, or an attempt to connect, failed, as the generator saw it. Each failed request
 * counts once. What the server counts is the server's {@code ServerError}.
 */
public enum LoadError {
    /** A connection attempt was refused or failed (counted per attempt). */
    CONNECT,
    /**
     * A connection did not open within the connect timeout, over however many attempts it took
     * (counted once per timeout; it keeps trying).
     */
    CONNECT_TIMEOUT,
    /**
     * A connection attempt found no free local port for the target: this local address's
     * ephemeral ports are all in use (counted per attempt). More local addresses ({@code --bind})
     * add more ports.
     */
    LOCAL_PORTS,
    /** A socket could not be created: the process reached its open-file limit (counted per attempt). */
    FILE_LIMIT,
    /** The connection was reset or closed with this request outstanding, or closed before any answer. */
    RESET,
    /** No answer within the timeout (TCP: the connection is then reopened). */
    TIMEOUT,
    /** The answer did not parse: a bad status line, header or framing, or a datagram never sent. */
    PROTOCOL,
    /** An HTTP status outside 200..399. */
    STATUS,
    /** Echoed bytes differ from those sent. */
    MISMATCH,
    /** UDP: no answer within the timeout. */
    LOST,
    /** UDP: a second answer to the same datagram. */
    DUPLICATE
}

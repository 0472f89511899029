package io.loombench.loadgen;

/** Why a request, or an attempt to connect, failed. Each failed request counts once. */
public enum ErrorKind {
    /** A connection attempt failed or timed out (counted per attempt). */
    CONNECT,
    /** The connection was reset or closed with this request outstanding. */
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

package io.loombench.loadgen.engine;

import io.loombench.loadgen.ErrorKind;

import java.nio.ByteBuffer;

/**
 * The protocol of a TCP connection, seen from the client: how to write request number
 * {@code sequence} and how to read answers, which arrive in request order. One instance per
 * connection, reset when the connection is reopened.
 */
sealed interface StreamCodec permits EchoCodec, HttpResponseReader {

    /** {@link #read} found no whole answer yet: it consumed what it could (an incomplete line stays in the buffer); more input is needed. */
    int INCOMPLETE = -1;
    /** {@link #read} found an invalid answer; {@link #failure()} says how. */
    int FAILED = -2;

    /** Bytes in one request. */
    int requestBytes();

    /** Puts bytes {@code [offset, offset + n)} of request {@code sequence} into {@code out}. */
    void putRequest(ByteBuffer out, long sequence, int offset, int n);

    /**
     * Reads at most one answer from {@code in}, advancing its position.
     *
     * @return the HTTP status of a complete answer (200 for a complete echo), {@link #INCOMPLETE},
     *         or {@link #FAILED}
     */
    int read(ByteBuffer in);

    /** Why the last {@link #read} returned {@link #FAILED}. */
    ErrorKind failure();

    /** The answer just read ends the connection (HTTP {@code Connection: close} or a body read to EOF). */
    boolean closeAfter();

    /**
     * The peer closed its side. Returns the status of the answer this completes (an HTTP body
     * delimited by the close), or {@link #INCOMPLETE} if it completes none.
     */
    int endOfInput();

    /** Forgets all state, for a new connection. */
    void reset();
}

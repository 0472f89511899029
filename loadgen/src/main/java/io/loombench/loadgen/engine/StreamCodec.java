package io.loombench.loadgen.engine;

import io.loombench.loadgen.LoadError;

import java.nio.ByteBuffer;

/**
 * The protocol of a TCP connection, seen from the client: how to write request number
 * {@code sequence} and how to read answers, which arrive in request order. One instance per
 * connection, reset when the connection is reopened. It holds no bytes: requests are derived from
 * their sequence number whenever they are written, and answers are read from the worker's shared
 * buffer, where an incomplete line is left for the connection to carry to its next read.
 */
interface StreamCodec {

    /** What one {@link #read} found. */
    enum Read {
        /** No whole answer yet: what could be consumed was (an incomplete line stays in the buffer); more input is needed. */
        INCOMPLETE,
        /** A whole answer, whose status {@link #status()} gives. */
        ANSWER,
        /** An invalid answer; {@link #failure()} says how. */
        INVALID
    }

    /** Bytes in one request. */
    int requestBytes();

    /** Puts bytes {@code [offset, offset + n)} of request {@code sequence} into {@code out}. */
    void putRequest(ByteBuffer out, long sequence, int offset, int n);

    /** Reads at most one answer from {@code in}, advancing its position. */
    Read read(ByteBuffer in);

    /** The HTTP status of the answer the last {@link Read#ANSWER} completed (200 for a whole echo). */
    int status();

    /** Why the last {@link #read} was {@link Read#INVALID}. */
    LoadError failure();

    /** The answer just read ends the connection (HTTP {@code Connection: close} or a body read to EOF). */
    boolean closeAfter();

    /**
     * The peer closed its side: true if that completes an answer (an HTTP body delimited by the
     * close), whose status {@link #status()} then gives.
     */
    boolean endOfInput();

    /** Forgets all state, for a new connection. */
    void reset();
}

package io.loombench.loadgen.engine;

import java.nio.ByteBuffer;

/**
 * The input and output buffers all of one worker's connections use in turn: the worker handles one
 * connection at a time, so one pair serves thousands of connections, and a connection holds
 * buffer space only for the rare incomplete line it carries ({@link CarriedInput}). Direct, so the
 * kernel copies straight into and out of them.
 *
 * <p>64 KiB each: room for many pipelined answers per read, for an HTTP line (one that fills the
 * whole input buffer is a protocol error), and for any datagram (at most 65,507 bytes over IPv4).
 */
final class SharedBuffers {
    static final int BYTES = 64 * 1024;

    private final ByteBuffer in = ByteBuffer.allocateDirect(BYTES);
    private final ByteBuffer out = ByteBuffer.allocateDirect(BYTES);

    /** Where a connection reads into: its contents are the connection's only until it returns to the worker. */
    ByteBuffer in() {
        return in;
    }

    /** Where a connection puts bytes to write: its contents are the connection's only until it returns to the worker. */
    ByteBuffer out() {
        return out;
    }
}

package io.loombench.loadgen.engine;

import io.loombench.loadgen.LoadError;

import java.nio.ByteBuffer;

/**
 * TCP echo: a request is {@code size} bytes of the {@link Payload}; its answer is the same bytes,
 * checked one by one as they arrive. Echo has no framing, so answers are told apart by counting:
 * bytes {@code [k*size, (k+1)*size)} of the stream answer request {@code k}.
 */
final class EchoCodec implements StreamCodec {
    private final Payload payload;
    private final int size;
    private long readSequence;
    private int readOffset;

    EchoCodec(Payload payload, int size) {
        this.payload = payload;
        this.size = size;
    }

    @Override
    public int requestBytes() {
        return size;
    }

    @Override
    public void putRequest(ByteBuffer out, long sequence, int offset, int n) {
        payload.put(out, sequence, offset, n);
    }

    /** Consumes every byte it is given: an echo never leaves input for the next read. */
    @Override
    public Read read(ByteBuffer in) {
        int n = Math.min(in.remaining(), size - readOffset);
        if (!payload.check(in, readSequence, readOffset, n)) {
            return Read.INVALID;
        }
        readOffset += n;
        if (readOffset < size) {
            return Read.INCOMPLETE;
        }
        readOffset = 0;
        readSequence++;
        return Read.ANSWER;
    }

    @Override
    public int status() {
        return 200;
    }

    @Override
    public LoadError failure() {
        return LoadError.MISMATCH;
    }

    @Override
    public boolean closeAfter() {
        return false;
    }

    @Override
    public boolean endOfInput() {
        return false;
    }

    @Override
    public void reset() {
        readSequence = 0;
        readOffset = 0;
    }
}

package io.loombench.server.http;

import java.nio.ByteBuffer;

/**
 * Holds a decoded chunked request body for {@code POST /echo}, so the response can carry a
 * Content-Length and an oversize body can still be refused with 413. Content-Length bodies never
 * come here: they stream straight through.
 *
 * <p>Owned by one connection, allocated on its first chunked echo, grown by doubling up to the
 * body limit, and reused; a buffer grown past {@link #KEEP_BYTES} is dropped after its response so
 * one large request does not pin memory for the connection's lifetime.
 */
final class BodyBuffer {
    private static final int INITIAL_BYTES = 4096;
    private static final int KEEP_BYTES = 64 * 1024;

    /** Write mode while the body is decoded, read mode while it is sent. */
    private ByteBuffer bytes;

    /** Appends the next {@code n} bytes of {@code in}, advancing its position. */
    void append(ByteBuffer in, int n) {
        ensureRoom(n);
        bytes.put(bytes.position(), in, in.position(), n).position(bytes.position() + n);
        in.position(in.position() + n);
    }

    int size() {
        return bytes == null ? 0 : bytes.position();
    }

    /** Switches to sending: afterwards {@link #drainInto} copies the body out. */
    void startSending() {
        if (bytes != null) {
            bytes.flip();
        }
    }

    /** Copies as much of the body as fits into {@code out}; returns true once all of it is copied. */
    boolean drainInto(ByteBuffer out) {
        if (bytes == null) {
            return true;
        }
        int n = Math.min(bytes.remaining(), out.remaining());
        out.put(out.position(), bytes, bytes.position(), n).position(out.position() + n);
        bytes.position(bytes.position() + n);
        return !bytes.hasRemaining();
    }

    /** Forgets the body, ready for the next request. */
    void clear() {
        if (bytes != null) {
            if (bytes.capacity() > KEEP_BYTES) {
                bytes = null;
            } else {
                bytes.clear();
            }
        }
    }

    private void ensureRoom(int n) {
        if (bytes == null) {
            bytes = ByteBuffer.allocate(Math.max(INITIAL_BYTES, n));
        } else if (bytes.remaining() < n) {
            int capacity = Math.max(bytes.capacity() * 2, bytes.position() + n);
            ByteBuffer bigger = ByteBuffer.allocate(capacity);
            bigger.put(bytes.flip());
            bytes = bigger;
        }
    }
}

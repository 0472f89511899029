package io.loombench.server.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Bytes a non-blocking connection keeps between turns of its loop, when its loop's buffers must go
 * to the next connection: the start of a request not yet whole, or output the socket did not take.
 * Holds a heap array exactly as long as those bytes, and none at all while it is empty, so an idle
 * connection holds no buffer. Loop thread only.
 */
final class PendingBytes {
    /** Read mode; null while empty. */
    private ByteBuffer bytes;

    boolean isEmpty() {
        return bytes == null;
    }

    /** Bytes of memory held for the data: the array's length, 0 while empty. */
    int heldBytes() {
        return bytes == null ? 0 : bytes.capacity();
    }

    /** Keeps the remaining bytes of {@code source} (read mode), consuming them; none kept if none remain. */
    void keep(ByteBuffer source) {
        bytes = source.hasRemaining() ? ByteBuffer.allocate(source.remaining()).put(source).flip() : null;
    }

    /** Appends the bytes to {@code target} (write mode, with room for them) and lets go of them. */
    void moveTo(ByteBuffer target) {
        if (bytes != null) {
            target.put(bytes);
            bytes = null;
        }
    }

    /**
     * Writes as much as {@code channel} takes without blocking, and lets go of the array once
     * every byte is out.
     *
     * @return the bytes written
     */
    int writeTo(WritableByteChannel channel) throws IOException {
        int n = channel.write(bytes);
        if (!bytes.hasRemaining()) {
            bytes = null;
        }
        return n;
    }

    /** Drops whatever is kept. */
    void clear() {
        bytes = null;
    }
}

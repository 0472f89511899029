package io.loombench.server.model;

import java.nio.ByteBuffer;

/**
 * The two buffers a connection works in while it is being served: {@code in} in read mode (the
 * received bytes not yet consumed), {@code out} in write mode (the output not yet written), each
 * {@code bufferSize} bytes, as the protocol sessions expect. Direct, so the JDK reads and writes
 * them without copying through a temporary direct buffer of its own.
 */
record IoBuffers(ByteBuffer in, ByteBuffer out) {

    /** A new, empty pair. */
    static IoBuffers allocate(int bufferSize) {
        return new IoBuffers(ByteBuffer.allocateDirect(bufferSize).flip(), ByteBuffer.allocateDirect(bufferSize));
    }

    /** True when neither buffer holds a byte. */
    boolean empty() {
        return !in.hasRemaining() && out.position() == 0;
    }

    /** Forgets whatever they hold. */
    void clear() {
        in.clear().flip();
        out.clear();
    }
}

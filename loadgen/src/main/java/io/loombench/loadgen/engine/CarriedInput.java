package io.loombench.loadgen.engine;

import java.nio.ByteBuffer;

/**
 * What a connection keeps of its input between reads: the bytes one read left unconsumed in the
 * worker's shared buffer, put back in front of the next read's. Echo answers and HTTP bodies are
 * consumed as they arrive, so only an incomplete HTTP line is ever carried: usually nothing, and
 * at most one line. That is how a connection holds no input buffer of its own.
 */
final class CarriedInput {
    /** Arrays up to this size are kept for the next carry; a longer line's array is dropped once restored. */
    private static final int KEPT_BYTES = 256;
    private static final byte[] NONE = new byte[0];

    private byte[] bytes = NONE;
    private int length;

    /** Takes the bytes of {@code in} from its position to its limit, consuming them. */
    void carry(ByteBuffer in) {
        length = in.remaining();
        if (length > bytes.length) {
            bytes = new byte[Math.max(length, Math.min(KEPT_BYTES, 2 * length))];
        }
        in.get(bytes, 0, length);
    }

    /** Puts the carried bytes at the position of {@code in}, which is being filled, and forgets them. */
    void restoreInto(ByteBuffer in) {
        in.put(bytes, 0, length);
        length = 0;
        if (bytes.length > KEPT_BYTES) {
            bytes = NONE;
        }
    }

    void clear() {
        length = 0;
        bytes = NONE;
    }
}

package io.loombench.server.protocol;

/**
 * What a connection's driver must do after {@link ProtocolSession#process}.
 *
 * <p>Whatever the value, the driver first writes out every byte the session put into the output
 * buffer; only then does it act on the value. That rule keeps responses in order and lets the
 * session assume an empty output buffer whenever it asked for {@link #FLUSH}.
 */
public enum Next {
    /** The session has consumed all it can: read more bytes, then call {@code process} again. */
    NEED_INPUT,
    /** The output buffer is full or must go out first: flush it, then call {@code process} again. */
    FLUSH,
    /**
     * The session simulates waiting on a downstream service: wait {@link ProtocolSession#waitMillis()}
     * milliseconds (sleeping the thread, or with a timer on an event loop), then call {@code process}.
     */
    WAIT,
    /** Flush the output, then close the connection. The session accepts no further calls. */
    CLOSE
}

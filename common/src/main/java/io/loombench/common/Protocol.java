package io.loombench.common;

/**
 * What the bytes on a {@link Transport} mean, the same word in the server (what it serves) and the
 * loadgen (what it speaks). Over TCP both protocols run; over UDP only echo, since HTTP/1.1 needs
 * a byte stream.
 */
public enum Protocol {
    /** Bytes back as they came (TCP), or each datagram back to its sender (UDP). */
    ECHO,
    /** HTTP/1.1 with keep-alive: the server's endpoints /plaintext, /json, /echo, /delay and /cpu. */
    HTTP;

    /** Whether this protocol can run over {@code transport}. */
    public boolean runsOver(Transport transport) {
        return this == ECHO || transport == Transport.TCP;
    }
}

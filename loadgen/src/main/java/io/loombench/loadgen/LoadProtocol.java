package io.loombench.loadgen;

import io.loombench.common.Protocol;
import io.loombench.common.Transport;

/**
 * What the generator speaks to its target: a {@link Protocol} over a {@link Transport}, in the
 * words the server uses for what it serves, as the closed set of pairs the generator can drive
 * (HTTP needs TCP's byte stream, so there is no HTTP over UDP).
 */
public enum LoadProtocol {
    /** TCP echo: a payload out, the same bytes back; validated byte for byte. */
    TCP_ECHO(Transport.TCP, Protocol.ECHO),
    /** HTTP/1.1 requests with keep-alive; responses framed and validated, status counted by class. */
    HTTP(Transport.TCP, Protocol.HTTP),
    /** UDP echo: one datagram out with a sequence number, the same datagram back. */
    UDP_ECHO(Transport.UDP, Protocol.ECHO);

    private final Transport transport;
    private final Protocol protocol;

    LoadProtocol(Transport transport, Protocol protocol) {
        this.transport = transport;
        this.protocol = protocol;
    }

    public Transport transport() {
        return transport;
    }

    public Protocol protocol() {
        return protocol;
    }
}

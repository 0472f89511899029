package io.loombench.loadgen;

/** What the generator speaks to its target. */
public enum LoadProtocol {
    /** TCP echo: a payload out, the same bytes back; validated byte for byte. */
    TCP_ECHO,
    /** HTTP/1.1 requests with keep-alive; responses framed and validated, status counted by class. */
    HTTP,
    /** UDP echo: one datagram out with a sequence number, the same datagram back. */
    UDP_ECHO
}

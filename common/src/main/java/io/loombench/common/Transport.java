package io.loombench.common;

/**
 * The socket type a server listens on and a generator sends over: the first half of what the
 * server and the loadgen call a target's protocol stack, shared so both name it alike.
 */
public enum Transport {
    /** A connection per client, bytes in order. */
    TCP,
    /** Datagrams, each on its own: no connection, no order, any may be lost. */
    UDP
}

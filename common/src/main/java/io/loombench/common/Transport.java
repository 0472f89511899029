package io.loombench.common;

/**
 * The socket type a server listens on and a generator sends over, one word for both; what the
 * bytes mean is the {@link Protocol}.
 */
public enum Transport {
    /** A connection per client, bytes in order. */
    TCP,
    /** Datagrams, each on its own: no connection, no order, any may be lost. */
    UDP
}

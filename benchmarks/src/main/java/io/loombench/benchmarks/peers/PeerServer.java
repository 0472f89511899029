package io.loombench.benchmarks.peers;

import java.net.InetSocketAddress;

/**
 * A reference server ("peer") running in this JVM: {@link NettyServer} or {@link HelidonServer}.
 * The benchmark suite runs each in a child JVM through its {@code main}; tests use this API in-process.
 */
public interface PeerServer extends AutoCloseable {

    /** The bound address (the real port when 0 was asked for). */
    InetSocketAddress address();

    default int port() {
        return address().getPort();
    }

    /** Requests answered so far (HTTP: responses written, errors included; echo: reads echoed). */
    long requests();

    /** The line {@code main} prints when ready, in loombench's format: {@code listening on tcp://host:port model=... protocol=...}. */
    String readyLine();

    /** Stops accepting, lets requests in flight finish (bounded), then releases every thread. Idempotent. */
    @Override
    void close();
}

package io.loombench.server.protocol;

/**
 * Raised once when the server starts its graceful shutdown. HTTP sessions read it when they write
 * a response: from then on a response announces {@code Connection: close} and the connection
 * closes after it, so in-flight requests complete and no new ones start. Drivers read it before
 * waiting for input: an idle connection with nothing already received closes.
 */
public final class ShutdownSignal {
    private volatile boolean draining;

    /** Starts the drain; idempotent. */
    public void drain() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }
}

package io.loombench.server.protocol;

/**
 * Raised once when the server starts its graceful shutdown. Sessions read it when they finish a
 * response: from then on a response announces {@code Connection: close} and the connection closes
 * after it, so in-flight requests complete and no new ones start.
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

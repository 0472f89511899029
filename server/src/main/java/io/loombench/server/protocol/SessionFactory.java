package io.loombench.server.protocol;

/** Makes the protocol state for each new connection. Called from any thread. */
@FunctionalInterface
public interface SessionFactory {
    ProtocolSession newSession();
}

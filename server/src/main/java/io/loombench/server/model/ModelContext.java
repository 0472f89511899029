package io.loombench.server.model;

import io.loombench.server.ServerConfig;
import io.loombench.server.ServerCounters;
import io.loombench.server.protocol.SessionFactory;
import io.loombench.server.protocol.ShutdownSignal;

/**
 * What every model receives: the configuration, the protocol's session factory, the shared
 * counters and the shutdown signal.
 */
public record ModelContext(ServerConfig config, SessionFactory sessions, ServerCounters counters,
                           ShutdownSignal shutdown) {
}

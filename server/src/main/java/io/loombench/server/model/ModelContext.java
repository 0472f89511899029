package io.loombench.server.model;

import io.loombench.server.ServerConfig;
import io.loombench.server.ServerCounters;
import io.loombench.server.protocol.SessionFactory;
import io.loombench.server.protocol.ShutdownSignal;

import java.util.concurrent.TimeUnit;

/**
 * What every model receives: the configuration, the protocol's session factory, the shared
 * counters and the shutdown signal.
 */
public record ModelContext(ServerConfig config, SessionFactory sessions, ServerCounters counters,
                           ShutdownSignal shutdown) {

    /**
     * How often every model sweeps its connections for passed idle, read, body and write
     * deadlines: a tenth of the shortest timeout, between 10 ms and 1 s. A connection times out at
     * most 10% late, the same in every model, and a sweep of 10,000 connections costs a few microseconds.
     */
    public long deadlineSweepNanos() {
        long shortest = Math.min(Math.min(config.idleTimeout().toNanos(), config.readTimeout().toNanos()),
                Math.min(config.bodyTimeout().toNanos(), config.writeTimeout().toNanos()));
        return Math.clamp(shortest / 10, TimeUnit.MILLISECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(1));
    }
}

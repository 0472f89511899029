package io.loombench.server;

import io.loombench.server.http.HttpDate;
import io.loombench.server.http.HttpSession;
import io.loombench.server.http.HttpTimers;
import io.loombench.server.http.Router;
import io.loombench.server.protocol.EchoSession;
import io.loombench.server.protocol.SessionFactory;
import io.loombench.server.protocol.ShutdownSignal;

/** The protocols the server speaks; every model serves each of them with the same code. */
public enum Protocol {
    /** Bytes back as they came (TCP), or each datagram back to its sender (UDP). */
    ECHO,
    /** HTTP/1.1 with the endpoints /plaintext, /json, /echo, /delay and /cpu. TCP only. */
    HTTP;

    /** The per-connection session maker for TCP connections under this configuration. */
    SessionFactory sessions(ServerConfig config, ServerCounters counters, ShutdownSignal shutdown) {
        long idleNanos = config.idleTimeout().toNanos();
        long thinkMillis = config.think().toMillis();
        return switch (this) {
            case ECHO -> () -> new EchoSession(thinkMillis, idleNanos, counters);
            case HTTP -> {
                HttpDate date = new HttpDate();
                Router router = new Router();
                HttpTimers timers = new HttpTimers(idleNanos, config.readTimeout().toNanos(), config.bodyTimeout().toNanos());
                yield () -> new HttpSession(config.httpLimits(), router, timers, date, counters, shutdown);
            }
        };
    }
}

package io.loombench.server;

import io.loombench.common.Transport;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A snapshot of the server's counters.
 *
 * @param accepted     connections accepted since start (UDP: datagrams received)
 * @param active       connections open now (UDP: datagrams being handled)
 * @param rejected     connections closed at once because {@code maxConnections} were open
 * @param requests     requests answered (HTTP: responses started; echo: reads echoed; UDP: datagrams echoed)
 * @param bytesRead    payload bytes received
 * @param bytesWritten payload bytes sent
 * @param errors       failures by kind, every kind present (zero when none happened)
 */
public record ServerStats(long accepted, long active, long rejected, long requests,
                          long bytesRead, long bytesWritten, Map<ServerError, Long> errors) {

    public ServerStats {
        errors = Collections.unmodifiableMap(new EnumMap<>(errors));
    }

    public long errors(ServerError kind) {
        return errors.getOrDefault(kind, 0L);
    }

    static Map<ServerError, Long> errorMap(long[] countsByOrdinal) {
        Map<ServerError, Long> map = new EnumMap<>(ServerError.class);
        for (ServerError kind : ServerError.values()) {
            map.put(kind, countsByOrdinal[kind.ordinal()]);
        }
        return map;
    }

    /** One line for logs: the totals, then only the error kinds that occurred (TCP's names). */
    @Override
    public String toString() {
        return line(Transport.TCP);
    }

    /**
     * One line for logs, in the transport's words: over UDP nothing is accepted, each datagram is
     * taken on by itself, so the count is called {@code datagrams}.
     */
    public String line(Transport transport) {
        String failures = errors.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .map(e -> e.getKey().name().toLowerCase() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
        return (transport == Transport.UDP ? "datagrams=" : "accepted=") + accepted + " active=" + active + " rejected=" + rejected
                + " requests=" + requests + " bytesRead=" + bytesRead + " bytesWritten=" + bytesWritten
                + " errors=" + (failures.isEmpty() ? "none" : "[" + failures + "]");
    }
}

package io.loombench.benchmarks;

import io.loombench.common.Protocol;
import io.loombench.loadgen.HttpRequestSpec;
import io.loombench.loadgen.LoadProtocol;
import io.loombench.loadgen.LoadSpec;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One cell of the matrix: who serves, what is spoken, what each request costs, and how many
 * connections carry it. The same point is measured by several benchmarks (throughput, latency,
 * capacity), which add their own parameters.
 *
 * @param server      who serves
 * @param protocol    {@code http}, {@code tcp} (echo) or {@code udp} (echo); echo payloads are
 *                    {@value #ECHO_PAYLOAD_BYTES} bytes
 * @param workload    what each request costs the server
 * @param connections concurrent connections (UDP: sockets), all opened before the first iteration
 */
public record Point(ServerKind server, String protocol, Workload workload, int connections) {
    public static final int ECHO_PAYLOAD_BYTES = 64;
    /**
     * New connections per second while a trial opens its connections: a burst would overrun the
     * listen queue (a dropped SYN is retried a second later, past the connect timeout), and 5,000
     * a second opens 10,000 in two seconds.
     */
    public static final int CONNECT_RATE = 5_000;
    /**
     * A request unanswered this long fails. Longer than wrk's 2 s on purpose: flat out at 10,000
     * connections, Little's law puts every request's wait at connections / throughput (1.3 s at
     * 7,500 requests/s), so a 2 s timeout would fail points by construction rather than by the
     * server's fault; a server that starves connections (the pool beyond its threads) still fails.
     */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** What the loombench server may hold at once: the connections a point asks for, within one process's open files. */
    static final int SERVER_MAX_CONNECTIONS = 19_500;

    public Point {
        if (!List.of("http", "tcp", "udp").contains(protocol)) {
            throw new IllegalArgumentException("protocol must be http, tcp or udp, was " + protocol);
        }
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be positive, was " + connections);
        }
        if (!server.serves(protocol, workload)) {
            throw new IllegalArgumentException(server.key() + " does not serve " + protocol + " with workload " + workload.key());
        }
    }

    /** From a benchmark's JMH parameters. */
    public static Point of(String server, String protocol, String workload, int connections) {
        return new Point(ServerKind.of(server), protocol, Workload.of(workload), connections);
    }

    /** {@code <kind>-<protocol>-<workload>-c<connections>-<server>}: names the point's files and is what {@code -Dbench.include} matches. */
    public String id(String kind) {
        return kind + "-" + protocol + "-" + workload.key() + "-c" + connections + "-" + server.key();
    }

    /** What this point's protocol key ({@code http}, {@code tcp}, {@code udp}) names: the server serves it and the load speaks it. */
    public LoadProtocol loadProtocol() {
        return switch (protocol) {
            case "http" -> LoadProtocol.HTTP;
            case "tcp" -> LoadProtocol.TCP_ECHO;
            default -> LoadProtocol.UDP_ECHO;
        };
    }

    /** The arguments the server takes for this point, after its main class or jar. */
    List<String> serverArgs() {
        List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0"));
        LoadProtocol served = loadProtocol();
        if (server.isModel()) {
            args.addAll(server.modelArgs());
            args.addAll(List.of("--transport", optionValue(served.transport()), "--protocol", optionValue(served.protocol()),
                    "--max-connections", Integer.toString(SERVER_MAX_CONNECTIONS)));
            if (served.protocol() == Protocol.ECHO) {
                args.addAll(workload.echoServerArgs());
            }
        } else {
            args.addAll(List.of("--protocol", optionValue(served.protocol())));
        }
        return args;
    }

    /** An enum constant as the servers' options spell it: {@code --transport udp}. */
    private static String optionValue(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    /** The load for this point against a server at {@code address}: everything but the model (rate) and the timing. */
    LoadSpec.Builder load(InetSocketAddress address) {
        LoadSpec.Builder load = LoadSpec.builder(loadProtocol(), address).connections(connections)
                .payloadBytes(ECHO_PAYLOAD_BYTES)
                .connectRate(CONNECT_RATE)
                .timeout(REQUEST_TIMEOUT);
        if (protocol.equals("http")) {
            String host = address.getAddress().getHostAddress() + ":" + address.getPort();
            load.http(new HttpRequestSpec("GET", workload.httpPath(), host, List.of(), new byte[0]));
        }
        return load;
    }
}

package io.loombench.benchmarks.report;

import java.util.Comparator;
import java.util.List;

/**
 * A workload without its server: what the servers are compared on. Cells sort the way the report
 * lists them: protocols http, tcp, udp; workloads none, wait, cpu (others after, by name); then
 * by connections.
 *
 * @param protocol    {@code http}, {@code tcp} or {@code udp}
 * @param workload    {@code none}, {@code wait} (10 ms of simulated downstream wait per request)
 *                    or {@code cpu} (about 0.1 ms of CPU work per request)
 * @param connections connections the generator holds open, at least 1
 */
public record Cell(String protocol, String workload, int connections) implements Comparable<Cell> {

    private static final List<String> PROTOCOLS = List.of("http", "tcp", "udp");
    private static final List<String> WORKLOADS = List.of("none", "wait", "cpu");
    private static final Comparator<Cell> ORDER = Comparator
            .comparing((Cell c) -> c.protocol, Servers.listedFirst(PROTOCOLS))
            .thenComparing(c -> c.workload, Servers.listedFirst(WORKLOADS))
            .thenComparingInt(c -> c.connections);

    public Cell {
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be at least 1, not " + connections);
        }
    }

    /** {@code http-wait-c1000}: the middle of a point's id. */
    public String id() {
        return protocol + "-" + workload + "-c" + connections;
    }

    /** {@code http, wait, 1,000 connections}. */
    public String label() {
        return protocol + ", " + workload + ", " + Fmt.count(connections) + (connections == 1 ? " connection" : " connections");
    }

    @Override
    public int compareTo(Cell other) {
        return ORDER.compare(this, other);
    }
}

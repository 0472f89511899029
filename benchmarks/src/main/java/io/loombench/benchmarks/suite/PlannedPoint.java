package io.loombench.benchmarks.suite;

import io.loombench.benchmarks.Point;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One benchmark at one point of the matrix, as JMH will run it.
 *
 * @param kind   which benchmark
 * @param point  who serves what, with which workload and how many connections
 * @param rate   the offered rate for {@link BenchmarkKind#LATENCY} (and the first guess for
 *               {@link BenchmarkKind#CAPACITY}), requests per second; 0 for throughput
 * @param slo    the capacity's latency objective, such as {@code p99<=20ms}; empty otherwise
 */
public record PlannedPoint(BenchmarkKind kind, Point point, int rate, String slo) {

    /** The point's id, as in file names and {@code -Dbench.include}. */
    public String id() {
        return point.id(kind.key());
    }

    /** The JMH parameters of this point, in the benchmark's declaration order. */
    public Map<String, String> params() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("server", point.server().key());
        params.put("protocol", point.protocol());
        params.put("workload", point.workload().key());
        params.put("connections", Integer.toString(point.connections()));
        switch (kind) {
            case LATENCY -> params.put("rate", Integer.toString(rate));
            case CAPACITY -> {
                params.put("rate", Integer.toString(rate));
                params.put("slo", slo);
            }
            case THROUGHPUT -> { }
        }
        return params;
    }

    /** One line for progress: {@code latency http wait c=10000 nio at 30,000 req/s}. */
    public String describe() {
        String base = kind.key() + " " + point.protocol() + " " + point.workload().key() + " c=" + point.connections()
                + " " + point.server().key();
        return switch (kind) {
            case THROUGHPUT -> base;
            case LATENCY -> base + String.format(" at %,d req/s", rate);
            case CAPACITY -> base + " " + slo;
        };
    }
}

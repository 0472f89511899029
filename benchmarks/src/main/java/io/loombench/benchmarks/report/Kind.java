package io.loombench.benchmarks.report;

import java.util.Arrays;
import java.util.Optional;

/** The suite's three benchmarks, as JMH names them in its JSON. */
public enum Kind {
    /** Closed model, flat out: the primary score is answered requests per second. */
    THROUGHPUT("io.loombench.benchmarks.ThroughputBenchmark.throughput", "throughput"),
    /** Open model at a fixed offered rate: the primary score is the achieved rate; latency is in the secondaries. */
    LATENCY("io.loombench.benchmarks.LatencyBenchmark.latency", "latency"),
    /** Search for the highest rate meeting an SLO: the answer is the {@code capacity} secondary, not the primary score. */
    CAPACITY("io.loombench.benchmarks.CapacityBenchmark.capacity", "capacity");

    private final String benchmark;
    private final String id;

    Kind(String benchmark, String id) {
        this.benchmark = benchmark;
        this.id = id;
    }

    /** The {@code benchmark} field of JMH's JSON: class and method. */
    public String benchmark() {
        return benchmark;
    }

    /** The first part of a point's id, also used in file names: {@code throughput}, {@code latency}, {@code capacity}. */
    public String id() {
        return id;
    }

    static Optional<Kind> ofBenchmark(String benchmark) {
        return Arrays.stream(values()).filter(k -> k.benchmark.equals(benchmark)).findFirst();
    }
}

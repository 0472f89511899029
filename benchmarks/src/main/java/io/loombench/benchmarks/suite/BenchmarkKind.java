package io.loombench.benchmarks.suite;

/** The suite's benchmarks, by the name JMH gives them and the name point ids use. */
public enum BenchmarkKind {
    /** Closed model, flat out: requests per second. */
    THROUGHPUT("io.loombench.benchmarks.ThroughputBenchmark.throughput"),
    /** Open model at a fixed rate: latency percentiles from the intended send time. */
    LATENCY("io.loombench.benchmarks.LatencyBenchmark.latency"),
    /** The highest rate whose latency percentile meets an SLO. */
    CAPACITY("io.loombench.benchmarks.CapacityBenchmark.capacity");

    private final String jmhName;

    BenchmarkKind(String jmhName) {
        this.jmhName = jmhName;
    }

    /** The benchmark's full name in JMH and in its JSON. */
    public String jmhName() {
        return jmhName;
    }

    /** {@code throughput}, {@code latency} or {@code capacity}. */
    public String key() {
        return name().toLowerCase();
    }
}

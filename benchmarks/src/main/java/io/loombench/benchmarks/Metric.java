package io.loombench.benchmarks;

import org.openjdk.jmh.results.AggregationPolicy;

/**
 * Every secondary result the suite puts into JMH's JSON, under {@code secondaryMetrics} by its
 * {@link #label()}. {@link LoadProfiler} reports them once per iteration; JMH then combines the
 * iterations of every fork of a point by the {@link #policy()}:
 *
 * <ul>
 *   <li>{@code AVG}: the mean over iterations, with JMH's 99.9% confidence error. A latency
 *       percentile is a percentile of one iteration's histogram, so its score is the mean of the
 *       iterations' percentiles, and its error shows how much they varied. The exact percentile
 *       over every measured request is in the point's HdrHistogram logs.</li>
 *   <li>{@code SUM}: a count over every iteration of every fork (errors, pinned events).</li>
 *   <li>{@code MAX}/{@code MIN}: the extreme over all iterations.</li>
 * </ul>
 *
 * JMH fills an iteration that lacks a label with zero, so a label is either reported in every
 * iteration of a benchmark or it is a {@code SUM}.
 */
public enum Metric {
    /** Response time percentiles of the iteration: from the intended send (open model) or the actual send (closed). */
    LATENCY_P50("latency.p50", "ms", AggregationPolicy.AVG),
    LATENCY_P90("latency.p90", "ms", AggregationPolicy.AVG),
    LATENCY_P99("latency.p99", "ms", AggregationPolicy.AVG),
    LATENCY_P999("latency.p99.9", "ms", AggregationPolicy.AVG),
    LATENCY_MAX("latency.max", "ms", AggregationPolicy.MAX),
    /** Open model: service time p99, from the actual send, recorded beside the response time. */
    SERVICE_P99("service.p99", "ms", AggregationPolicy.AVG),
    /** Open model: the generator's own delay in sending, p99; above 1 ms the generator, not the server, set the latency. */
    SEND_LAG_P99("sendlag.p99", "ms", AggregationPolicy.AVG),
    /** Open model: the rate asked for. */
    OFFERED_RATE("offered.rate", "req/s", AggregationPolicy.AVG),
    /** Failed requests and connection attempts, all kinds. Any makes the point failed. */
    ERRORS("errors", "count", AggregationPolicy.SUM),
    /** Fewest connections open at an iteration's end: below the point's connections, the run did not hold them. */
    CONNECTIONS_OPEN("connections.open", "count", AggregationPolicy.MIN),
    /** Server resident set at the iteration's end. */
    SERVER_RSS("server.rss", "MiB", AggregationPolicy.AVG),
    /** Server resident set once started, before any connection: what RSS per connection is counted from. */
    SERVER_RSS_IDLE("server.rss.idle", "MiB", AggregationPolicy.AVG),
    /** (RSS at the iteration's end minus idle RSS) / connections. */
    SERVER_RSS_PER_CONNECTION("server.rss.per.conn", "KiB", AggregationPolicy.AVG),
    /** Server threads alive at the iteration's end (all of the JVM's platform threads). */
    SERVER_THREADS("server.threads", "count", AggregationPolicy.AVG),
    /** Server CPU time (user + system) over the iteration, per answered request. */
    SERVER_CPU_PER_REQUEST("server.cpu.per.req", "us", AggregationPolicy.AVG),
    /** Server CPU time over the iteration, as a share of the CPUs it may run on (1 = all of them busy). */
    SERVER_CPU_UTILIZATION("server.cpu.util", "share", AggregationPolicy.AVG),
    /** The generator's (this JMH fork's) CPU time over the iteration, as a share of its CPUs. */
    GENERATOR_CPU_UTILIZATION("gen.cpu.util", "share", AggregationPolicy.AVG),
    /** The generator's CPU time per answered request. */
    GENERATOR_CPU_PER_REQUEST("gen.cpu.per.req", "us", AggregationPolicy.AVG),
    /**
     * The share of the server's CPUs' time the hypervisor took over the iteration (CPU steal, the
     * {@code st} of top; see {@link io.loombench.common.CpuSteal}): time the server had work and
     * could not run. 0 on bare metal.
     */
    SERVER_CPU_STEAL("server.cpu.steal", "share", AggregationPolicy.AVG),
    /** The same of the generator's CPUs: its sends and its reading of answers waited that long. */
    GENERATOR_CPU_STEAL("gen.cpu.steal", "share", AggregationPolicy.AVG),
    /** JFR {@code jdk.VirtualThreadPinned} events in the server child over the whole trial (reported with its last iteration). */
    SERVER_PINNED("server.pinned", "count", AggregationPolicy.SUM),
    /** The highest rate found to meet the SLO. */
    CAPACITY("capacity", "req/s", AggregationPolicy.AVG),
    /** The lowest rate found to miss the SLO (or the highest tried): the capacity lies in [capacity, capacity.upper). */
    CAPACITY_UPPER("capacity.upper", "req/s", AggregationPolicy.AVG),
    /** The SLO's percentile at the capacity rate. */
    CAPACITY_LATENCY("capacity.latency", "ms", AggregationPolicy.AVG),
    /** Open-model runs the capacity search took. */
    CAPACITY_STEPS("capacity.steps", "count", AggregationPolicy.AVG);

    private final String label;
    private final String unit;
    private final AggregationPolicy policy;

    Metric(String label, String unit, AggregationPolicy policy) {
        this.label = label;
        this.unit = unit;
        this.policy = policy;
    }

    /** The key under {@code secondaryMetrics} in JMH's JSON. */
    public String label() {
        return label;
    }

    public String unit() {
        return unit;
    }

    public AggregationPolicy policy() {
        return policy;
    }
}

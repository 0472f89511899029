package io.loombench.benchmarks.suite;

import io.loombench.benchmarks.Point;
import io.loombench.benchmarks.Point;
import io.loombench.benchmarks.ServerKind;
import io.loombench.benchmarks.Workload;
import io.loombench.benchmarks.suite.RunEnvironment.JmhSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which points a suite run measures, and with what JMH settings. Three are on offer:
 *
 * <ul>
 *   <li>{@code default} (at most 20 minutes on a 2-core machine): HTTP, every workload at a low
 *       and a high connection count, every model, for throughput and latency, with both peers
 *       where a reader compares most; capacity at an SLO for the wait workload at the high
 *       count, where the models differ most.</li>
 *   <li>{@code full}: also TCP and UDP echo, 1,000 and 19,000 connections, and capacity at every
 *       point. Hours.</li>
 *   <li>{@code quick}: a smoke run for CI, under 3 minutes: a handful of points, one fork, short
 *       iterations. Its numbers only show that the suite works.</li>
 * </ul>
 *
 * The offered rate of a latency point is the same for every server at that point (see
 * {@link #offeredRate}), fixed rather than derived from a measurement, so two runs, or two
 * machines, offer the same load.
 *
 * @param name          {@code default}, {@code full} or {@code quick}
 * @param throughput    JMH's settings for throughput points
 * @param latency       JMH's settings for latency points
 * @param capacitySteps how long each open-model run of a capacity search lasts (a capacity point
 *                      is one fork, one iteration: the search)
 * @param points        what to run, in order
 */
public record Matrix(String name, JmhSettings throughput, JmhSettings latency, CapacitySteps capacitySteps,
                     List<PlannedPoint> points) {

    /** The connection counts of the default matrix: one that fits in the pool's 200 threads, one far beyond. */
    static final int LOW = 64;
    static final int HIGH = 10_000;
    /** What a fork costs besides its iterations: two JVM starts, opening and closing connections. */
    private static final double FORK_OVERHEAD_SECONDS = 4;
    /** Rates a capacity search usually tries: a few to bracket the answer, a few to bisect it to 5%. */
    private static final int CAPACITY_STEPS_EXPECTED = 9;

    /**
     * Each capacity step: warm-up, then the measured run.
     *
     * @param warmupSeconds   discarded load before each step's measurement
     * @param durationSeconds the measured part of each step
     */
    public record CapacitySteps(double warmupSeconds, double durationSeconds) {
    }

    public Matrix {
        points = List.copyOf(points);
    }

    /** The matrix called {@code name}. */
    public static Matrix named(String name) {
        return switch (name) {
            case "default" -> defaultMatrix();
            case "full" -> fullMatrix();
            case "quick" -> quickMatrix();
            default -> throw new IllegalArgumentException("bench.matrix must be default, full or quick, was '" + name + "'");
        };
    }

    /**
     * A planning estimate of a point's wall time, seconds: its iterations, plus a few seconds a
     * fork for starting two JVMs and for opening and closing its connections; for capacity,
     * about nine searched rates. For the ETA, and for keeping
     * the default matrix within its budget.
     */
    public double estimatedSeconds(PlannedPoint point) {
        double opening = point.point().connections() / (double) Point.CONNECT_RATE;
        if (point.kind() == BenchmarkKind.CAPACITY) {
            return FORK_OVERHEAD_SECONDS + CAPACITY_STEPS_EXPECTED
                    * (capacitySteps.warmupSeconds() + capacitySteps.durationSeconds() + opening + 1);
        }
        JmhSettings settings = settings(point.kind());
        return settings.forks() * (FORK_OVERHEAD_SECONDS + opening + settings.warmupIterations() * settings.warmupSeconds()
                + settings.measurementIterations() * settings.measurementSeconds());
    }

    /** JMH's settings for a benchmark; for capacity, the shape of its single search. */
    public JmhSettings settings(BenchmarkKind kind) {
        return switch (kind) {
            case THROUGHPUT -> throughput;
            case LATENCY -> latency;
            case CAPACITY -> new JmhSettings(kind.key(), 1, 0, 0, 1, 0);
        };
    }

    /** Every benchmark's settings, as the run's environment records them. */
    public List<JmhSettings> allSettings() {
        return List.of(throughput, latency, settings(BenchmarkKind.CAPACITY));
    }

    /** {@link #estimatedSeconds} over every point. */
    public double estimatedSeconds() {
        return points.stream().mapToDouble(this::estimatedSeconds).sum();
    }

    /** The points whose id {@code include} finds (a regular expression, searched, not matched whole); all when blank. */
    public Matrix including(String include) {
        if (include == null || include.isBlank()) {
            return this;
        }
        Pattern pattern = Pattern.compile(include);
        List<PlannedPoint> kept = points.stream().filter(point -> pattern.matcher(point.id()).find()).toList();
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("bench.include '" + include + "' matches no point of the " + name
                    + " matrix (ids look like " + points.get(0).id() + ")");
        }
        return new Matrix(name, throughput, latency, capacitySteps, kept);
    }

    /**
     * The offered rate of a latency point, requests per second: well within what every model
     * serves on one CPU when the workload allows it, so the percentiles compare servers doing the
     * same work rather than servers at different saturation. A model that cannot carry it
     * (the pool at thousands of connections) shows that in its achieved rate and errors.
     */
    static int offeredRate(String protocol, Workload workload, int connections) {
        return switch (workload) {
            case NONE -> 30_000;
            // At most half of what the connections can carry (each waits 10 ms per request).
            case WAIT -> Math.min(30_000, connections * 1000 / Workload.WAIT_MILLIS / 2);
            // About 40% of one CPU at 0.1 ms per request.
            case CPU -> 4_000;
        };
    }

    /** The SLO a capacity point searches against: p99 within 10 ms plus the workload's own wait. */
    static String slo(Workload workload) {
        return "p99<=" + (10 + workload.waitMillis()) + "ms";
    }

    /**
     * The peers run where a reader compares most: no work at both counts, and the wait workload at
     * the high count (the case virtual threads exist for); the full matrix has them everywhere.
     * Latency points take one fork to fit the budget; throughput keeps two, so fork-to-fork
     * variance shows in its error.
     */
    private static Matrix defaultMatrix() {
        List<PlannedPoint> points = new ArrayList<>();
        for (BenchmarkKind kind : List.of(BenchmarkKind.THROUGHPUT, BenchmarkKind.LATENCY)) {
            for (Workload workload : Workload.values()) {
                for (int connections : List.of(LOW, HIGH)) {
                    boolean peers = workload == Workload.NONE || (workload == Workload.WAIT && connections == HIGH);
                    for (ServerKind server : ServerKind.values()) {
                        if (server.isModel() || peers) {
                            points.add(planned(kind, new Point(server, "http", workload, connections)));
                        }
                    }
                }
            }
        }
        for (ServerKind server : List.of(ServerKind.VIRTUAL, ServerKind.POOL, ServerKind.NIO)) {
            points.add(planned(BenchmarkKind.CAPACITY, new Point(server, "http", Workload.WAIT, HIGH)));
        }
        // Two warm-up iterations: in one of 2 s the slower servers (pool, Helidon) were still
        // compiling, 30% below their later iterations.
        return new Matrix("default", new JmhSettings("throughput", 2, 2, 2, 3, 1.5),
                new JmhSettings("latency", 1, 2, 2, 3, 1.5), new CapacitySteps(1, 3), points);
    }

    private static Matrix fullMatrix() {
        List<PlannedPoint> points = new ArrayList<>();
        for (BenchmarkKind kind : BenchmarkKind.values()) {
            for (String protocol : List.of("http", "tcp", "udp")) {
                for (Workload workload : Workload.values()) {
                    for (int connections : List.of(LOW, 1_000, HIGH, 19_000)) {
                        for (ServerKind server : ServerKind.values()) {
                            if (server.serves(protocol, workload)) {
                                points.add(planned(kind, new Point(server, protocol, workload, connections)));
                            }
                        }
                    }
                }
            }
        }
        return new Matrix("full", new JmhSettings("throughput", 3, 2, 3, 5, 3),
                new JmhSettings("latency", 3, 2, 3, 5, 3), new CapacitySteps(2, 5), points);
    }

    private static Matrix quickMatrix() {
        List<PlannedPoint> points = new ArrayList<>();
        for (ServerKind server : ServerKind.values()) {
            points.add(planned(BenchmarkKind.THROUGHPUT, new Point(server, "http", Workload.NONE, LOW)));
        }
        points.add(planned(BenchmarkKind.THROUGHPUT, new Point(ServerKind.NIO, "tcp", Workload.NONE, LOW)));
        points.add(planned(BenchmarkKind.THROUGHPUT, new Point(ServerKind.NIO, "udp", Workload.NONE, LOW)));
        for (ServerKind server : List.of(ServerKind.VIRTUAL, ServerKind.NIO)) {
            points.add(planned(BenchmarkKind.LATENCY, new Point(server, "http", Workload.WAIT, LOW)));
        }
        points.add(planned(BenchmarkKind.CAPACITY, new Point(ServerKind.NIO, "http", Workload.WAIT, LOW)));
        return new Matrix("quick", new JmhSettings("throughput", 1, 1, 1, 2, 1),
                new JmhSettings("latency", 1, 1, 1, 2, 1), new CapacitySteps(0.5, 1), points);
    }

    private static PlannedPoint planned(BenchmarkKind kind, Point point) {
        int rate = kind == BenchmarkKind.THROUGHPUT ? 0 : offeredRate(point.protocol(), point.workload(), point.connections());
        return new PlannedPoint(kind, point, rate, kind == BenchmarkKind.CAPACITY ? slo(point.workload()) : "");
    }
}

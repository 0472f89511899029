package io.loombench.benchmarks.report;

import io.loombench.benchmarks.ServerKind;
import io.loombench.benchmarks.Workload;

import io.loombench.benchmarks.Metric;
import io.loombench.common.CpuSteal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.DoubleStream;

/**
 * Checks that tell whether a run measured what it claims: the wait workload against Little's law,
 * whether the load generator rather than the server set a point's numbers, and whether the
 * machine's host took the CPUs from under either of them.
 */
final class SanityChecks {
    /** The pool model's default thread count (the usual servlet default), which the suite runs with. */
    static final int POOL_THREADS = ServerKind.POOL_THREADS;
    /** The wait workload's simulated downstream wait per request. */
    static final double WAIT_MS = Workload.WAIT_MILLIS;
    /** A CPU share at or above this is saturated. */
    static final double SATURATED_CPU = 0.9;
    /** Above this generator send lag p99 the generator, not the server, set the latency (Metric#SEND_LAG_P99). */
    static final double SEND_LAG_LIMIT_MS = 1;

    private static final Comparator<Point> ORDER = Comparator.comparing(Point::kind).thenComparing(Point::cell)
            .thenComparing(Point::server, Servers.ORDER);

    private SanityChecks() {
    }

    /**
     * Little's law for one point of the wait workload: with at most {@code inFlight} requests in
     * progress, each taking at least {@link #WAIT_MS}, no server can answer more than
     * {@code inFlight / WAIT_MS} requests/s.
     *
     * @param inFlight requests in progress at most: the pool's threads or the connections, whichever is fewer, for the pool; the connections otherwise
     * @param bound    requests/s
     */
    record LittlesLaw(Point point, int inFlight, double bound) {
        /** Measured over bound: at most 1 for a run that measured what it says. */
        double ratio() {
            return point.score().value() / bound;
        }

        /** Above the bound beyond the score's error: the wait or the pool is not what the report assumes. */
        boolean exceeded() {
            return point.estimate().low() > bound;
        }
    }

    /** Throughput and capacity points of the wait workload, in report order. */
    static List<LittlesLaw> littlesLaw(List<Point> points) {
        return points.stream().filter(p -> p.kind() != Kind.LATENCY && p.cell().workload().equals("wait"))
                .sorted(ORDER).map(p -> {
                    int connections = p.cell().connections();
                    int inFlight = p.server().equals("pool") ? Math.min(connections, POOL_THREADS) : connections;
                    return new LittlesLaw(p, inFlight, inFlight * 1000 / WAIT_MS);
                }).toList();
    }

    /**
     * The generator's side of one point.
     *
     * @param generatorCpu share of the generator's CPUs it used, 0..1; NaN when not reported
     * @param serverCpu    share of the server's CPUs it used, 0..1; NaN when not reported
     * @param sendLagP99   ms; NaN outside the open model
     * @param rules        which rules found the generator to be the limit, in words; empty when none did
     */
    record GeneratorCheck(Point point, double generatorCpu, double serverCpu, double sendLagP99, List<String> rules) {
        GeneratorCheck {
            rules = List.copyOf(rules);
        }

        boolean generatorLimited() {
            return !rules.isEmpty();
        }
    }

    /** Every point, in report order. */
    static List<GeneratorCheck> generator(List<Point> points) {
        return points.stream().sorted(ORDER).map(p -> {
            double gen = p.value(Metric.GENERATOR_CPU_UTILIZATION);
            double server = p.value(Metric.SERVER_CPU_UTILIZATION);
            double lag = p.value(Metric.SEND_LAG_P99);
            List<String> rules = new ArrayList<>();
            if (gen >= SATURATED_CPU && server < SATURATED_CPU) {
                rules.add("generator CPU " + Fmt.share(gen) + " ≥ " + Fmt.brief(SATURATED_CPU) + " while server CPU "
                        + Fmt.share(server) + " < " + Fmt.brief(SATURATED_CPU));
            }
            if (lag > SEND_LAG_LIMIT_MS) {
                rules.add("send lag p99 " + Fmt.sig3(lag) + " ms > " + Fmt.brief(SEND_LAG_LIMIT_MS) + " ms");
            }
            return new GeneratorCheck(p, gen, server, lag, rules);
        }).toList();
    }

    /**
     * The CPU steal of one point, averaged over its iterations.
     *
     * @param server    share of the server's CPUs' time the hypervisor took, 0..1
     * @param generator the same of the generator's CPUs
     */
    record Steal(Point point, double server, double generator) {
    }

    /**
     * Points at which the hypervisor took more than {@link CpuSteal.Share#NOTABLE} of the server's
     * or the generator's CPUs, in report order; points that did not report steal are left out.
     */
    static List<Steal> stolen(List<Point> points) {
        return points.stream().sorted(ORDER).map(p -> new Steal(p, p.value(Metric.SERVER_CPU_STEAL), p.value(Metric.GENERATOR_CPU_STEAL)))
                .filter(s -> s.server() > CpuSteal.Share.NOTABLE || s.generator() > CpuSteal.Share.NOTABLE).toList();
    }

    /** The highest steal any point reported of either side's CPUs; NaN when none reported it. */
    static double highestSteal(List<Point> points) {
        return points.stream().flatMapToDouble(p -> DoubleStream.of(p.value(Metric.SERVER_CPU_STEAL), p.value(Metric.GENERATOR_CPU_STEAL)))
                .filter(share -> !Double.isNaN(share)).max().orElse(Double.NaN);
    }

    /** Points that at some iteration's end held fewer connections than they asked for. */
    static List<Point> connectionsNotHeld(List<Point> points) {
        return points.stream().filter(p -> p.value(Metric.CONNECTIONS_OPEN) < p.cell().connections()).sorted(ORDER).toList();
    }
}

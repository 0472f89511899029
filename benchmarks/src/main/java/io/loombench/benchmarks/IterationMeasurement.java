package io.loombench.benchmarks;

import io.loombench.common.CpuSteal;
import io.loombench.common.ProcessUsage;
import io.loombench.loadgen.LoadError;
import io.loombench.loadgen.LoadSnapshot;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.results.ScalarResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one JMH iteration of a load benchmark measured, and its conversion into the
 * {@link Metric secondary results} the suite reports.
 *
 * @param period          the generator's counts and histograms over the iteration
 * @param seconds         the iteration's length by the generator's clock
 * @param openModel       true when requests were sent at a fixed rate (latency counts from the intended send)
 * @param offeredRate     requests per second asked for (open model), else 0
 * @param connections     connections the point asked for
 * @param serverIdle      the server's cost once started, before any connection
 * @param serverStart     the server's cost at the iteration's start
 * @param serverEnd       the server's cost at its end
 * @param serverCpus      CPUs the server may use
 * @param generatorStart  this process's cost at the iteration's start
 * @param generatorEnd    this process's cost at its end
 * @param generatorCpus   CPUs the generator may use
 * @param serverSteal     the hypervisor's share of the server's CPUs over the iteration; empty where it cannot be read
 * @param generatorSteal  the same of the generator's CPUs
 */
record IterationMeasurement(LoadSnapshot period, double seconds, boolean openModel, double offeredRate, int connections,
                            ProcessUsage serverIdle, ProcessUsage serverStart, ProcessUsage serverEnd, int serverCpus,
                            ProcessUsage generatorStart, ProcessUsage generatorEnd, int generatorCpus,
                            Optional<CpuSteal.Share> serverSteal, Optional<CpuSteal.Share> generatorSteal) {

    private static final double MIB = 1024.0 * 1024.0;

    /** Every metric of the iteration; the same labels every iteration, so JMH's averages mean what they say. */
    List<ScalarResult> results() {
        List<ScalarResult> results = new ArrayList<>();
        Histogram latency = period.response();
        add(results, Metric.LATENCY_P50, millis(latency, 50));
        add(results, Metric.LATENCY_P90, millis(latency, 90));
        add(results, Metric.LATENCY_P99, millis(latency, 99));
        add(results, Metric.LATENCY_P999, millis(latency, 99.9));
        add(results, Metric.LATENCY_MAX, latency.getTotalCount() == 0 ? 0 : latency.getMaxValue() / 1000.0);
        if (openModel) {
            add(results, Metric.SERVICE_P99, millis(period.service(), 99));
            add(results, Metric.SEND_LAG_P99, millis(period.sendLag(), 99));
            add(results, Metric.OFFERED_RATE, offeredRate);
        }
        add(results, Metric.ERRORS, period.totalErrors());
        for (LoadError kind : LoadError.values()) {
            if (period.errors(kind) > 0) {
                results.add(new ScalarResult(Metric.ERRORS.label() + "." + kind.name().toLowerCase(), period.errors(kind),
                        Metric.ERRORS.unit(), Metric.ERRORS.policy()));
            }
        }
        add(results, Metric.CONNECTIONS_OPEN, period.openConnections());

        long answered = Math.max(1, period.completed());
        add(results, Metric.SERVER_RSS, serverEnd.rssBytes() / MIB);
        add(results, Metric.SERVER_RSS_IDLE, serverIdle.rssBytes() / MIB);
        add(results, Metric.SERVER_RSS_PER_CONNECTION, (serverEnd.rssBytes() - serverIdle.rssBytes()) / 1024.0 / connections);
        add(results, Metric.SERVER_THREADS, serverEnd.threads());
        long serverCpuNanos = serverEnd.cpuNanos() - serverStart.cpuNanos();
        add(results, Metric.SERVER_CPU_PER_REQUEST, serverCpuNanos / 1000.0 / answered);
        add(results, Metric.SERVER_CPU_UTILIZATION, serverCpuNanos / 1e9 / seconds / serverCpus);
        long generatorCpuNanos = generatorEnd.cpuNanos() - generatorStart.cpuNanos();
        add(results, Metric.GENERATOR_CPU_UTILIZATION, generatorCpuNanos / 1e9 / seconds / generatorCpus);
        add(results, Metric.GENERATOR_CPU_PER_REQUEST, generatorCpuNanos / 1000.0 / answered);
        // Either readable in every iteration or in none (they need Linux's /proc), so JMH never
        // fills a missing one with a zero that would read as no steal.
        serverSteal.ifPresent(steal -> add(results, Metric.SERVER_CPU_STEAL, steal.share()));
        generatorSteal.ifPresent(steal -> add(results, Metric.GENERATOR_CPU_STEAL, steal.share()));
        return results;
    }

    private static void add(List<ScalarResult> results, Metric metric, double value) {
        results.add(new ScalarResult(metric.label(), value, metric.unit(), metric.policy()));
    }

    /** A percentile in milliseconds; 0 for an empty histogram (then the errors say why). */
    private static double millis(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
    }
}

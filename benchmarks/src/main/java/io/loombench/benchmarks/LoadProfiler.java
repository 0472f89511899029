package io.loombench.benchmarks;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Hands the suite's own measurements to JMH as secondary results, so they land in JMH's JSON
 * beside the primary score, per iteration and aggregated, where jmh-visualizer, Bencher or
 * github-action-benchmark read them. Run with {@code -prof io.loombench.benchmarks.LoadProfiler}.
 *
 * <p>The benchmark publishes: its {@code @TearDown(Level.Iteration)} publishes the iteration's
 * measurement, and, after the last iteration, its {@code @TearDown(Level.Trial)} publishes what only
 * the trial's end knows (the server's pinning events, counted once it has stopped). JMH runs both
 * tear-downs before it asks profilers for the iteration's results, so nothing is missed; what was
 * published is taken once, and {@link #beforeIteration} forgets anything left over.
 */
public final class LoadProfiler implements InternalProfiler {
    private static final List<Result<?>> published = new ArrayList<>();

    /** Adds results to the current iteration's; called on the benchmark's thread. */
    static void publish(Collection<? extends Result<?>> results) {
        synchronized (published) {
            published.addAll(results);
        }
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        synchronized (published) {
            published.clear();
        }
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        synchronized (published) {
            List<Result<?>> taken = new ArrayList<>(published);
            published.clear();
            return taken;
        }
    }

    @Override
    public String getDescription() {
        return "loombench: latency percentiles, errors, and the server's and generator's cost, per iteration";
    }
}

package io.loombench.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * Latency under the same offered load for every server: the open model at a fixed {@link #rate},
 * each request with an intended send time, and its latency counted from that time, so a server
 * that stalls cannot hide the stall (coordinated omission). The score is the achieved rate: at or
 * near {@code rate} when the server keeps up, below it when it does not. The percentiles,
 * service time and the generator's send lag are secondary results; every measured iteration's
 * histograms are kept in an interval log.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LatencyBenchmark extends LoadBenchmark {

    /** Offered requests per second in total, spread evenly over the connections. */
    @Param("10000")
    public int rate;

    @Override
    protected String kind() {
        return "latency";
    }

    @Override
    protected double rate() {
        return rate;
    }

    @Override
    protected boolean keepsIntervalLog() {
        return true;
    }

    @Benchmark
    public void latency() throws InterruptedException {
        awaitAnswer();
    }
}

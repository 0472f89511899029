package io.loombench.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * The most a server answers: the closed model, each connection sending its next request as soon
 * as its previous answer arrives, as wrk does. The score is answered requests per second over
 * JMH's iteration; the latency percentiles beside it count from the actual send (service time),
 * since in a closed loop a slow answer delays the next request instead of queueing behind it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ThroughputBenchmark extends LoadBenchmark {

    @Override
    protected String kind() {
        return "throughput";
    }

    @Override
    protected double rate() {
        return 0;
    }

    @Override
    protected boolean keepsIntervalLog() {
        return false;
    }

    @Benchmark
    public void throughput() throws InterruptedException {
        awaitAnswer();
    }
}

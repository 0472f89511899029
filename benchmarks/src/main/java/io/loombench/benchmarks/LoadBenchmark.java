package io.loombench.benchmarks;

import io.loombench.loadgen.LoadSpec;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.runner.IterationType;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What the throughput and latency benchmarks share: a JMH trial is one server child and one
 * continuous load run against it, and each iteration is a slice of that run.
 *
 * <ul>
 *   <li>Trial set-up starts the server in its own JVM on the server CPUs (this fork runs on the
 *       generator CPUs), then opens every connection before the first iteration.</li>
 *   <li>Iterations: JMH's warm-up iterations warm both JVMs, the server's and this one; each
 *       measured iteration's latency, errors and costs go to {@link LoadProfiler}.</li>
 *   <li>Trial tear-down ends the load, stops the server gracefully and counts its pinning
 *       events, reported with the last iteration.</li>
 * </ul>
 *
 * A benchmark method calls {@link #awaitAnswer}: one JMH operation is one answered request.
 */
@State(Scope.Benchmark)
public abstract class LoadBenchmark {
    /** Every connection must be open within this, or the iterations start with what is open (and the report says how many). */
    private static final Duration OPEN_WITHIN = Duration.ofSeconds(60);
    /** Slack beyond the iterations JMH asks for, before the load run ends by itself. */
    private static final Duration RUN_SLACK = Duration.ofSeconds(60);

    /** Who serves: virtual, pool, nio, netty or helidon. */
    @Param("nio")
    public String server;

    /** http, tcp (echo) or udp (echo). */
    @Param("http")
    public String protocol;

    /** none, wait (10 ms per request) or cpu (about 0.1 ms per request). */
    @Param("none")
    public String workload;

    @Param("64")
    public int connections;

    private ServerUnderTest serverUnderTest;
    private LoadSession session;

    /** The benchmark's name in point ids: {@code throughput}, {@code latency}. */
    protected abstract String kind();

    /** Requests per second in total for the open model, or 0 for the closed model (flat out). */
    protected abstract double rate();

    /** True when the run's latency histograms are kept as interval logs. */
    protected abstract boolean keepsIntervalLog();

    @Setup(Level.Trial)
    public void startTrial(BenchmarkParams params) throws IOException, InterruptedException {
        Point point = Point.of(server, protocol, workload, connections);
        BenchSettings settings = BenchSettings.fromSystemProperties();
        String trialId = point.id(kind()) + "-" + ProcessHandle.current().pid();
        serverUnderTest = ServerUnderTest.start(point, settings, trialId);
        try {
            LoadSpec spec = point.load(serverUnderTest.address())
                    .threads(Runtime.getRuntime().availableProcessors())
                    .rate(rate())
                    .duration(trialLength(params).plus(RUN_SLACK))
                    .build();
            Optional<IterationLog> log = keepsIntervalLog()
                    ? Optional.of(IterationLog.create(settings.outputDir().resolve("hlog").resolve(trialId + ".hlog"),
                            params.getBenchmark() + " " + trialId))
                    : Optional.empty();
            session = LoadSession.start(spec, OPEN_WITHIN, log);
        } catch (IOException | RuntimeException e) {
            serverUnderTest.close();
            throw e;
        }
    }

    /** The time JMH's iterations take, warm-up and measurement. */
    private static Duration trialLength(BenchmarkParams params) {
        long warmup = params.getWarmup().getCount() * params.getWarmup().getTime().convertTo(TimeUnit.MILLISECONDS);
        long measure = params.getMeasurement().getCount() * params.getMeasurement().getTime().convertTo(TimeUnit.MILLISECONDS);
        return Duration.ofMillis(warmup + measure);
    }

    @Setup(Level.Iteration)
    public void startIteration(IterationParams iteration) throws IOException {
        session.beginIteration(serverUnderTest, iteration.getTime().convertTo(TimeUnit.NANOSECONDS));
    }

    /** Waits for the next answer, or for the end of an iteration the server stopped answering in. */
    protected final void awaitAnswer() throws InterruptedException {
        session.awaitAnswer();
    }

    @TearDown(Level.Iteration)
    public void endIteration(IterationParams iteration) throws IOException {
        boolean measured = iteration.getType() == IterationType.MEASUREMENT;
        LoadProfiler.publish(session.endIteration(measured, serverUnderTest, rate()).results());
    }

    @TearDown(Level.Trial)
    public void endTrial() throws IOException, InterruptedException {
        try {
            session.stop();
            long pinned = serverUnderTest.stop();
            LoadProfiler.publish(List.of(new ScalarResult(Metric.SERVER_PINNED.label(), pinned,
                    Metric.SERVER_PINNED.unit(), Metric.SERVER_PINNED.policy())));
        } finally {
            session.close();
            serverUnderTest.close();
        }
    }
}

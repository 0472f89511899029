package io.loombench.benchmarks;

import io.loombench.common.DurationConverter;
import io.loombench.loadgen.CapacitySearch;
import io.loombench.loadgen.LoadGenerator;
import io.loombench.loadgen.LoadResult;
import io.loombench.loadgen.LoadSpec;
import io.loombench.loadgen.Slo;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.results.ScalarResult;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Capacity at an SLO, the number none of wrk, wrk2, h2load or k6 gives: the highest offered rate
 * at which the latency percentile of {@link #slo} still holds, found by the loadgen library's
 * {@link CapacitySearch} to within 5%. Each step of the search is an open-model run of its own
 * (connections opened, a warm-up, a measured period), against one server child for the whole
 * search, so the search is one JMH invocation: its primary score is only how long it took, and
 * the answer is the secondary result {@code capacity} (with {@code capacity.upper}, the lowest
 * rate that missed, when one did).
 *
 * <p>Every step's histograms go to an interval log, one interval per step tagged
 * {@code step-<n>}, and a step-by-step account to {@code logs/<trial>.capacity.log}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CapacityBenchmark {
    private static final int MAX_HALVINGS_FACTOR = 16;
    /**
     * A step's request timeout: a request unanswered this long has missed any SLO worth searching
     * for a hundred times over, and each step drains for up to two timeouts, which a starved
     * server would otherwise stretch to 20 s a step.
     */
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(2);

    @Param("nio")
    public String server;

    @Param("http")
    public String protocol;

    @Param("wait")
    public String workload;

    @Param("64")
    public int connections;

    /** The first rate tried, requests per second. */
    @Param("1000")
    public int rate;

    /** The objective, as {@link Slo#parse} reads it. */
    @Param("p99<=20ms")
    public String slo;

    private Point point;
    private BenchSettings settings;
    private String trialId;
    private ServerUnderTest serverUnderTest;

    @Setup(Level.Trial)
    public void startTrial() throws IOException, InterruptedException {
        point = Point.of(server, protocol, workload, connections);
        settings = BenchSettings.fromSystemProperties();
        trialId = point.id("capacity") + "-" + ProcessHandle.current().pid();
        serverUnderTest = ServerUnderTest.start(point, settings, trialId);
    }

    @Benchmark
    public CapacitySearch.Result capacity() throws IOException, InterruptedException {
        Duration warmup = seconds("bench.capacity.warmup", 1);
        Duration duration = seconds("bench.capacity.duration", 3);
        LoadSpec template = point.load(serverUnderTest.address())
                .threads(Runtime.getRuntime().availableProcessors())
                .timeout(STEP_TIMEOUT)
                .rate(rate).warmup(warmup).duration(duration).build();
        // Warm both JVMs up before the first step is judged, as a throughput trial's warm-up iterations do.
        LoadGenerator.run(template);
        Slo objective = Slo.parse(slo);
        Path hlog = Files.createDirectories(settings.outputDir().resolve("hlog")).resolve(trialId + ".hlog");
        Path log = Files.createDirectories(settings.outputDir().resolve("logs")).resolve(trialId + ".capacity.log");
        try (PrintStream hlogStream = new PrintStream(Files.newOutputStream(hlog), false, StandardCharsets.UTF_8);
             PrintStream steps = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8)) {
            HistogramLogWriter writer = new HistogramLogWriter(hlogStream);
            writer.outputComment("capacity search " + trialId + " for " + objective + "; one interval per step, tagged step-<n>,"
                    + " response time from the intended send in microseconds");
            writer.outputLegend();
            steps.printf(Locale.ROOT, "%s: searching from %,d req/s for %s; each step %s warm-up + %s measured%n",
                    trialId, rate, objective, DurationConverter.format(warmup), DurationConverter.format(duration));
            AtomicInteger stepsRun = new AtomicInteger();
            CapacitySearch.Trial trial = stepRate -> {
                LoadResult step = LoadGenerator.run(template.toBuilder().rate(stepRate).build());
                Histogram response = step.response();
                response.setTag("step-" + stepsRun.incrementAndGet());
                writer.outputIntervalHistogram(response);
                return CapacitySearch.Measurement.of(step);
            };
            // Four halvings below the first guess at most: a server that meets the SLO only below a
            // sixteenth of the rate the others are offered has, for this comparison, no capacity,
            // and each further step of a starved server costs ten seconds of the suite's budget.
            CapacitySearch search = CapacitySearch.builder(objective, rate).minRate(Math.max(1, rate / MAX_HALVINGS_FACTOR)).build();
            CapacitySearch.Result result = search.run(trial, step ->
                    steps.printf(Locale.ROOT, "step %2d %,10.0f req/s  %s %8.3f ms  errors %,d  achieved %,.0f req/s  %s%n",
                            step.index(), step.rate(), objective.label(), step.percentileMicros() / 1000.0, step.errors(),
                            step.achievedRate(), step.verdict()));
            steps.printf(Locale.ROOT, "capacity %,.0f req/s, upper %s, %s, %d steps%s%n", result.capacity(),
                    result.anyMissed() ? String.format(Locale.ROOT, "%,.0f req/s", result.upper()) : "none missed",
                    result.ending(), result.steps().size(), result.generatorLimited() ? ", the generator limited the search" : "");
            LoadProfiler.publish(results(result));
            return result;
        }
    }

    /** The answer as secondary results; {@code capacity.upper} only when some rate missed. */
    private static List<ScalarResult> results(CapacitySearch.Result result) {
        List<ScalarResult> results = new ArrayList<>();
        add(results, Metric.CAPACITY, result.capacity());
        if (result.anyMissed()) {
            add(results, Metric.CAPACITY_UPPER, result.upper());
        }
        add(results, Metric.CAPACITY_STEPS, result.steps().size());
        result.steps().stream().filter(step -> step.met() && step.rate() == result.capacity()).findFirst()
                .ifPresent(step -> add(results, Metric.CAPACITY_LATENCY, step.percentileMicros() / 1000.0));
        // The send lag of the step that bounds the answer from above says whether the generator, not the server, missed it.
        result.steps().stream().filter(step -> !step.met() && step.rate() == result.upper()).findFirst()
                .ifPresent(step -> add(results, Metric.SEND_LAG_P99, step.sendLagP99Micros() / 1000.0));
        return results;
    }

    private static void add(List<ScalarResult> results, Metric metric, double value) {
        results.add(new ScalarResult(metric.label(), value, metric.unit(), metric.policy()));
    }

    private static Duration seconds(String property, double otherwise) {
        double value = Double.parseDouble(System.getProperty(property, Double.toString(otherwise)));
        return Duration.ofMillis(Math.round(value * 1000));
    }

    @TearDown(Level.Trial)
    public void endTrial() throws IOException, InterruptedException {
        try {
            long pinned = serverUnderTest.stop();
            LoadProfiler.publish(List.of(new ScalarResult(Metric.SERVER_PINNED.label(), pinned,
                    Metric.SERVER_PINNED.unit(), Metric.SERVER_PINNED.policy())));
        } finally {
            serverUnderTest.close();
        }
    }
}

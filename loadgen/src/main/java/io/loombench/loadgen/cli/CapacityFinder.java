package io.loombench.loadgen.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.loombench.common.Cli;
import io.loombench.common.Environment;
import io.loombench.loadgen.CapacitySearch;
import io.loombench.loadgen.LoadListener;
import io.loombench.loadgen.LoadResult;
import io.loombench.loadgen.LoadSpec;
import io.loombench.loadgen.Slo;
import io.loombench.loadgen.engine.LoadRun;

import java.io.IOException;
import java.math.BigDecimal;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code --find-capacity}: runs a {@link CapacitySearch} with one load run per step, printing a
 * line per step and then the answer, and writes {@code --json}.
 *
 * <p>Exit codes: 0 when some rate met the SLO; 1 when none did (the target fails the SLO even at
 * the lowest rate tried), or when interrupted; with {@code --strict}, also 1 when the answer is
 * only a bound: the step that missed was limited by the generator, no rate missed, or the steps
 * ran out before the precision was reached. That follows a single run's rule: a run that fell
 * short is a warning, and {@code --strict} makes warnings fail.
 */
final class CapacityFinder {
    static final String FORMAT = "loombench-loadgen-capacity/1";

    private final LoadSpec spec;
    private final RunOptions options;
    private final LoadListener progress;
    private final PrintStream out;
    private final AtomicReference<LoadRun> current = new AtomicReference<>();
    private volatile boolean stopped;
    private final List<LoadResult> stepRuns = new ArrayList<>();
    private final List<CapacitySearch.Step> steps = new ArrayList<>();
    private LoadResult probe;
    /** The first step's rate, once known. */
    private double startRate;

    /**
     * @param spec     the template: every step runs it with its own rate; a rate of 0 asks for a probe
     * @param progress told about every second of every run (the progress line), or {@link LoadListener#NONE}
     */
    CapacityFinder(LoadSpec spec, RunOptions options, LoadListener progress, PrintStream out) {
        this.spec = spec;
        this.options = options;
        this.progress = progress;
        this.out = out;
    }

    /** Runs the search, prints it, writes {@code json} (if not null) and returns the exit code. */
    int run(String title, AtomicFile json, List<String> commandLine) throws IOException, InterruptedException {
        Slo slo = options.findCapacity;
        CountDownLatch reported = new CountDownLatch(1);
        Thread stopOnSignal = new Thread(() -> {
            stopped = true;
            LoadRun run = current.get();
            if (run != null) {
                run.stop();
            }
            awaitQuietly(reported, spec.timeout().toMillis() + 10_000);
        }, "loadgen-stop");
        Runtime.getRuntime().addShutdownHook(stopOnSignal);
        try {
            out.println(title);
            out.printf(Locale.ROOT, "  finding the highest rate at which %s holds: %,d connection%s, %d thread%s, pipeline %d;"
                            + " each step %s warm-up + %s measured; within %s, at most %d steps, a miss while loadgen lagged retried %s%n",
                    slo, spec.connections(), spec.connections() == 1 ? "" : "s",
                    Math.min(spec.threads(), spec.connections()), Math.min(spec.threads(), spec.connections()) == 1 ? "" : "s",
                    spec.pipeline(), seconds(spec.warmup().toNanos()), seconds(spec.duration().toNanos()),
                    percent(options.capacityPrecision()), options.capacitySteps(), times(options.capacityRetries()));
            out.flush();
            double start;
            if (spec.closedModel()) {
                probe = measure(spec);
                if (probe == null) {
                    return stoppedEarly(json, commandLine);
                }
                if (probe.completed() == 0) {
                    out.printf(Locale.ROOT, "  probe   closed model: no answers (errors: %s), so no first rate; give one with -R%n",
                            Summary.errors(probe.errors()));
                    out.flush();
                    write(json, commandLine, Cli.FAILED, null);
                    return Cli.FAILED;
                }
                start = firstGuess(probe.achievedRate());
                out.printf(Locale.ROOT, "  probe   closed model %10s req/s  %s %s  errors %,d  (so the first step is at about half: %s req/s)%n",
                        rate(probe.achievedRate()), slo.label(), millis(slo.valueIn(probe.response())), probe.totalErrors(), rate(start));
                out.flush();
            } else {
                start = spec.rate();
            }
            startRate = start;
            CapacitySearch search = CapacitySearch.builder(slo, start)
                    .precision(options.capacityPrecision()).maxSteps(options.capacitySteps())
                    .retries(options.capacityRetries()).build();
            CapacitySearch.Result result;
            try {
                result = search.run(this::trial, this::print);
            } catch (Stopped e) {
                return stoppedEarly(json, commandLine);
            }
            for (String line : answer(result)) {
                out.println(line);
            }
            out.flush();
            int exitCode = exitCode(result);
            write(json, commandLine, exitCode, result);
            return exitCode;
        } finally {
            reported.countDown();
            removeHook(stopOnSignal);
        }
    }

    /**
     * Half the closed-model throughput, to two significant digits. Flat out, the target ran at its
     * saturation throughput at this concurrency, where queueing makes latency high: the capacity at
     * any SLO is at or below it, so it bounds the first guess from above. Half of it usually meets a
     * loose SLO, and then the first doubling lands near the saturation point and misses, bracketing
     * the answer in two steps; a tight SLO halves from there. The rounding only makes the rates read
     * well: the guess is rough anyway.
     */
    static double firstGuess(double closedRate) {
        double half = closedRate / 2;
        double magnitude = Math.pow(10, Math.floor(Math.log10(half)) - 1);
        double rounded = Math.round(half / magnitude) * magnitude;
        return Math.max(CapacitySearch.DEFAULT_MIN_RATE, Math.min(LoadSpec.MAX_RATE, rounded));
    }

    private CapacitySearch.Measurement trial(double rate) throws InterruptedException {
        LoadResult result = measure(spec.toBuilder().rate(rate).build());
        if (result == null) {
            throw new Stopped();
        }
        stepRuns.add(result);
        return CapacitySearch.Measurement.of(result);
    }

    /** One run; null when a signal stopped it, since a cut-short run measures nothing worth judging. */
    private LoadResult measure(LoadSpec runSpec) throws InterruptedException {
        if (stopped) {
            return null;
        }
        LoadRun run = LoadRun.start(runSpec);
        current.set(run);
        if (stopped) {
            // The signal came between the check and the set: the hook may have missed this run.
            run.stop();
        }
        LoadResult result = run.await(progress);
        current.set(null);
        return stopped ? null : result;
    }

    private void print(CapacitySearch.Step step) {
        steps.add(step);
        Slo slo = options.findCapacity;
        out.printf(Locale.ROOT, "  step %2d %10s req/s  %s %s  errors %,d  achieved %s req/s (%.1f%% of offered)  %s%n",
                step.index(), rate(step.rate()), slo.label(), millis(step.percentileMicros()), step.errors(),
                rate(step.achievedRate()), step.offeredRate() > 0 ? 100 * step.achievedRate() / step.offeredRate() : 0.0,
                step.verdict());
        out.flush();
    }

    private List<String> answer(CapacitySearch.Result result) {
        List<String> lines = new ArrayList<>();
        String head = "capacity at " + result.slo() + ": ";
        int n = result.steps().size();
        String stepCount = n + " step" + (n == 1 ? "" : "s");
        String outOfSteps = stepCount + ", the most allowed";
        lines.add(head + switch (result.ending()) {
            case FOUND -> String.format(Locale.ROOT, "%s req/s (met at %s, missed at %s; %s)",
                    rate(result.capacity()), rate(result.capacity()), rate(result.upper()), stepCount);
            case NONE_MET -> String.format(Locale.ROOT, "none (missed at every rate down to %s req/s; %s)",
                    rate(result.upper()), stepCount);
            case ALL_MET -> String.format(Locale.ROOT, "at least %s req/s (met at %s, the highest rate loadgen sends; %s)",
                    rate(result.capacity()), rate(result.capacity()), stepCount);
            case OUT_OF_STEPS -> !result.anyMet()
                    ? String.format(Locale.ROOT, "none found (missed at every rate down to %s req/s; %s)", rate(result.upper()), outOfSteps)
                    : !result.anyMissed()
                    ? String.format(Locale.ROOT, "at least %s req/s (met at %s, no rate missed; %s)",
                            rate(result.capacity()), rate(result.capacity()), outOfSteps)
                    : String.format(Locale.ROOT, "%s req/s (met at %s, missed at %s; %s, before the two were within %s)",
                            rate(result.capacity()), rate(result.capacity()), rate(result.upper()), outOfSteps,
                            percent(options.capacityPrecision()));
        });
        if (result.generatorLimited()) {
            CapacitySearch.Step upper = result.steps().stream().filter(s -> !s.met() && s.rate() == result.upper()).findFirst().orElseThrow();
            lines.add(String.format(Locale.ROOT, "WARNING: at %s req/s loadgen fell behind its schedule (send lag p99 %.3f ms, over 1 ms),"
                            + " so that miss may be the generator's and the target may take more; give loadgen CPUs of its own (taskset) or more threads (-t)",
                    rate(upper.rate()), upper.sendLagP99Micros() / 1000.0));
        }
        return lines;
    }

    private int exitCode(CapacitySearch.Result result) {
        if (!result.anyMet()) {
            return Cli.FAILED;
        }
        boolean onlyABound = result.generatorLimited() || result.ending() != CapacitySearch.Ending.FOUND;
        return options.strict && onlyABound ? Cli.FAILED : Cli.OK;
    }

    private int stoppedEarly(AtomicFile json, List<String> commandLine) throws IOException {
        double met = steps.stream().filter(CapacitySearch.Step::met).mapToDouble(CapacitySearch.Step::rate).max().orElse(0);
        double missed = steps.stream().filter(s -> !s.met()).mapToDouble(CapacitySearch.Step::rate).min().orElse(Double.POSITIVE_INFINITY);
        out.printf(Locale.ROOT, "stopped after %d step%s: highest rate met %s, lowest missed %s%n", steps.size(), steps.size() == 1 ? "" : "s",
                met > 0 ? rate(met) + " req/s" : "none", missed < Double.POSITIVE_INFINITY ? rate(missed) + " req/s" : "none");
        out.flush();
        write(json, commandLine, Cli.FAILED, null);
        return Cli.FAILED;
    }

    /** Writes the JSON report: the template, the probe, every step with its run's measurements, and the answer (null when there is none). */
    private void write(AtomicFile json, List<String> commandLine, int exitCode, CapacitySearch.Result result) throws IOException {
        if (json == null) {
            return;
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("command", String.join(" ", commandLine));
        root.put("exitCode", exitCode);
        Slo slo = options.findCapacity;
        Map<String, Object> sloMap = new LinkedHashMap<>();
        sloMap.put("text", slo.toString());
        sloMap.put("percentile", slo.percentile());
        sloMap.put("boundMicros", slo.boundMicros());
        root.put("slo", sloMap);
        root.put("precision", options.capacityPrecision());
        root.put("maxSteps", options.capacitySteps());
        root.put("retries", options.capacityRetries());
        root.put("spec", SpecJson.write(spec));
        root.put("environment", JsonReport.environment(probe != null ? probe.environment()
                : !stepRuns.isEmpty() ? stepRuns.get(0).environment() : Environment.capture()));
        root.put("probe", probe == null ? null : JsonReport.measurements(probe));
        root.put("startRate", startRate > 0 ? startRate : null);
        List<Map<String, Object>> stepList = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            CapacitySearch.Step step = steps.get(i);
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("index", step.index());
            map.put("attempt", step.attempt());
            map.put("rate", step.rate());
            map.put("met", step.met());
            map.put("percentileMicros", step.percentileMicros());
            map.put("offeredRate", step.offeredRate());
            map.put("achievedRate", step.achievedRate());
            map.put("errors", step.errors());
            map.put("sendLagP99Micros", step.sendLagP99Micros());
            map.put("generatorLimited", step.generatorLimited());
            map.put("why", step.why());
            map.put("run", JsonReport.measurements(stepRuns.get(i)));
            stepList.add(map);
        }
        root.put("steps", stepList);
        if (result == null) {
            root.put("answer", null);
        } else {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("capacity", result.capacity());
            // JSON has no infinity: no rate missed is written as null.
            answer.put("upper", result.anyMissed() ? result.upper() : null);
            answer.put("ending", result.ending().name().toLowerCase(Locale.ROOT));
            answer.put("generatorLimited", result.generatorLimited());
            answer.put("steps", result.steps().size());
            root.put("answer", answer);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.stream(), root);
        json.commit();
    }

    /** Rates as people write them: whole requests per second from 100 up, three digits below. */
    static String rate(double perSecond) {
        if (perSecond >= 100 || perSecond == Math.rint(perSecond)) {
            return String.format(Locale.ROOT, "%,.0f", perSecond);
        }
        return String.format(Locale.ROOT, "%.3g", perSecond);
    }

    private static String millis(long micros) {
        return String.format(Locale.ROOT, "%8.3f ms", micros / 1000.0);
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    private static String times(int retries) {
        return switch (retries) {
            case 0 -> "never";
            case 1 -> "once";
            default -> retries + " times";
        };
    }

    private static String percent(double fraction) {
        return BigDecimal.valueOf(fraction).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    }

    private static void awaitQuietly(CountDownLatch latch, long millis) {
        try {
            latch.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: the hook is running and waits for us.
        }
    }

    /** Thrown out of a trial to end the search when a signal stopped its run. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super("stopped", null, false, false);
        }
    }
}

package io.loombench.loadgen;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Finds the highest request rate at which a target meets a latency {@link Slo}: the question
 * "how much load can it take while p99 stays within 10 ms?", which a fixed-rate run answers only
 * for the one rate it tried.
 *
 * <p>The search runs one trial per <em>step</em>, each at a fixed request rate (requests per
 * second, the open model). A step <b>meets</b> the SLO when all of these hold:
 * <ul>
 *   <li>it measured at least one answer, and the response time at the SLO's percentile
 *   ({@link Measurement#response()}, from each request's intended send time, so a stall cannot
 *   hide) is within the bound;</li>
 *   <li>it had no error at all, of any kind, in any phase;</li>
 *   <li>it achieved at least {@link #MIN_ACHIEVED_SHARE} of the rate it was offered:
 *   {@link Measurement#achievedRate()} (answers over the measured period as run, which stretches
 *   when requests due in it had to wait past its end) at least 0.99 times
 *   {@link Measurement#offeredRate()} (requests due in the measured period over its scheduled
 *   length). The offered rate is what the schedule actually asked for, not the nominal rate:
 *   Poisson arrivals offer a random count (one standard deviation is 3% of 1,000 requests), and
 *   uniform ones {@code floor(rate * D)} or {@code ceil(rate * D)} in D seconds, either of
 *   which a target that kept up answers in full.</li>
 * </ul>
 * Otherwise it <b>misses</b>.
 *
 * <p>The generator watches itself. Response times count from the intended send time, so its own
 * delay (send lag) is inside them and can only make a step look worse: a step that met while the
 * generator lagged met all the same. A step that missed while its send lag p99 exceeded
 * {@link #SEND_LAG_LIMIT_MICROS} may have missed because of the generator, and is marked
 * {@linkplain Step#generatorLimited() generator-limited}, unless the target missed anyway: when
 * the response time at the percentile exceeds the bound by more than the largest send lag of the
 * step, removing every request's lag would still leave it above the bound. When the step that
 * bounds the answer from above is generator-limited, the {@link Result} says the search hit the
 * generator's limit ({@link Result#generatorLimited()}): the target may take more.
 * (Counting every lagging step as a miss would throw away valid answers: on a busy 2-core
 * machine a few scheduling delays put the send lag p99 of a run at 98 requests per second at
 * 2.8 ms, in a step whose p99 of 23 ms met a 100 ms objective with room to spare.)
 *
 * <p><b>A miss the generator may have caused is measured again.</b> A step that missed while
 * generator-limited is tried again at once, up to {@code retries} more times in a row, and the rate
 * meets if any of its trials meets. Such a miss says more about the generator than about the
 * target (the generator's own garbage-collection pause, or a CPU it shares, lands in every
 * response time it measures), and letting it bound the search would end the bisection at the
 * generator's hiccup: on our 2-core machine the suite's searches at 10,000 connections missed
 * their first bisecting rate this way in three searches out of three, with send lag p99 of
 * 2.5-3.7 ms, and one of them met it on its retry. A miss on time is the target's and counts at
 * once: a target's own pauses (its collector's, say) are part of what it serves, and trying
 * again until a short step slipped between two of them would hide them. {@code retries} 0
 * judges every rate on one trial.
 *
 * <p>The search proceeds in two phases:
 * <ol>
 *   <li><b>Bracket.</b> If the start rate meets the SLO, the rate doubles until a step misses (but
 *   never beyond {@code maxRate}: the last doubling is cut to it, and if {@code maxRate} meets the
 *   SLO the search ends, {@link Ending#ALL_MET}). If the start rate misses, the rate halves until
 *   a step meets (but never below {@code minRate}: the last halving is cut to it, and if
 *   {@code minRate} misses the search ends with a capacity of 0, {@link Ending#NONE_MET}).</li>
 *   <li><b>Bisect.</b> With the highest rate met {@code lo} and the lowest rate missed {@code hi},
 *   the next step runs at their geometric mean {@code sqrt(lo * hi)} and replaces {@code lo} if it
 *   meets, {@code hi} if it misses, until {@code hi / lo <= 1 + precision}
 *   ({@link Ending#FOUND}).</li>
 * </ol>
 * The geometric mean halves the <em>ratio</em>'s logarithm each step, so the precision is
 * relative, as it should be for rates that may span six orders of magnitude. From a bracket with
 * {@code hi / lo = 2}, the default precision of 0.05 takes {@code ceil(log2(1 / log2(1.05)))} = 4
 * steps ({@code 2^(1/16)} = 1.044). A target whose knee lies between {@code start * 2^k} and
 * {@code start * 2^(k+1)} thus takes k + 2 bracketing steps and 4 bisecting ones.
 *
 * <p>Invariants of the {@link Result}, whatever the target does, including a noisy one that meets
 * a rate it missed a moment ago: at most {@code maxSteps} steps (trials, retries included) run;
 * every step's rate is within [{@code minRate}, {@code maxRate}]; every rate that met (in any of
 * its trials) is at most {@link Result#capacity()}, which is below {@link Result#upper()}, which
 * is at most every rate that missed (in all of its trials). (Each new rate lies strictly between
 * the two, and moves the one it agrees with.) So the capacity is the highest rate met and the
 * upper bound the lowest rate missed. A capacity of 0 means no step met; an upper bound of
 * {@link Double#POSITIVE_INFINITY} means no rate missed. A miss the step budget leaves
 * without its retry counts as a miss: the search is ending anyway, and a rate it has not seen met
 * is not reported as met.
 *
 * <p>Between trials the target is not rested: each trial's warm-up (for
 * {@link Trial#of(LoadSpec, LoadListener)}, the spec's) is what absorbs the previous step's
 * after-effects. In the open model they are small: a connection with a full pipeline holds its
 * backlog in the generator, not in the server, so at most {@code connections * pipeline}
 * requests are at the server when a trial ends.
 *
 * @param slo       the objective each step is held to
 * @param startRate the first step's rate, requests per second; within [{@code minRate}, {@code maxRate}]
 * @param precision the answer's relative precision: the search ends once
 *                  {@code upper / capacity <= 1 + precision}; above 0 and at most 1 (0.05 is within 5%)
 * @param maxSteps  the most steps (trials) the search runs, 1 to {@link #MAX_STEPS}; it ends
 *                  with {@link Ending#OUT_OF_STEPS} when they run out before it is done
 * @param minRate   the lowest rate tried when halving, requests per second; above 0
 * @param maxRate   the highest rate tried when doubling, requests per second; at most {@link LoadSpec#MAX_RATE}
 * @param retries   how many more trials a rate that missed while generator-limited gets before it
 *                  counts as missed, 0 to {@link #MAX_RETRIES}
 */
public record CapacitySearch(Slo slo, double startRate, double precision, int maxSteps, double minRate, double maxRate,
                             int retries) {
    /** The default relative precision: the answer is within 5% of the rate where the SLO starts to fail. */
    public static final double DEFAULT_PRECISION = 0.05;
    /**
     * The default step budget: enough to double or halve from a guess 2^10 = 1024 times off and
     * still bisect to the default precision (12 + 4 steps), with room for a noisy target.
     */
    public static final int DEFAULT_MAX_STEPS = 20;
    /** The most steps a search may be given, so that every search ends in bounded time. */
    public static final int MAX_STEPS = 100;
    /** The default retries of a rate missed while the generator lagged: one. */
    public static final int DEFAULT_RETRIES = 1;
    /** The most retries a missed rate may be given. */
    public static final int MAX_RETRIES = 5;
    /** The default floor of the halving phase, requests per second. */
    public static final double DEFAULT_MIN_RATE = 1;
    /**
     * A step must achieve at least this share of its rate: the threshold at which a single run
     * warns that it fell short, and for the same reason: a target that took in less than was sent
     * did not serve that rate, however fast it answered what it took.
     */
    public static final double MIN_ACHIEVED_SHARE = 0.99;
    /**
     * A step that missed with a send lag p99 above this many microseconds may be the generator's
     * miss: the threshold at which a single run warns that the generator fell behind its schedule.
     */
    public static final long SEND_LAG_LIMIT_MICROS = 1000;

    public CapacitySearch {
        Objects.requireNonNull(slo, "slo");
        if (!(minRate > 0) || !(maxRate <= LoadSpec.MAX_RATE) || !(minRate <= maxRate)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "rates must satisfy 0 < minimum <= maximum <= %,.0f requests per second, were %s and %s",
                    LoadSpec.MAX_RATE, minRate, maxRate));
        }
        if (!(startRate >= minRate && startRate <= maxRate)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the start rate must be within %s..%s requests per second, was %s", minRate, maxRate, startRate));
        }
        if (!(precision > 0 && precision <= 1)) {
            throw new IllegalArgumentException("the precision must be above 0 and at most 1 (0.05 is within 5%), was " + precision);
        }
        if (maxSteps < 1 || maxSteps > MAX_STEPS) {
            throw new IllegalArgumentException("the most steps must be 1.." + MAX_STEPS + ", was " + maxSteps);
        }
        if (retries < 0 || retries > MAX_RETRIES) {
            throw new IllegalArgumentException("the retries of a missed rate must be 0.." + MAX_RETRIES + ", was " + retries);
        }
    }

    /** A search for {@code slo} starting at {@code startRate} requests per second, with the defaults for the rest. */
    public static Builder builder(Slo slo, double startRate) {
        return new Builder(slo, startRate);
    }

    /** Runs the search with no step listener. */
    public Result run(Trial trial) throws InterruptedException {
        return run(trial, StepListener.NONE);
    }

    /**
     * Runs the search on the calling thread: at most {@code maxSteps} trials, one after the other,
     * telling {@code listener} about each step as soon as it is classified.
     *
     * @throws InterruptedException when a trial is interrupted; the steps so far went to the listener
     */
    public Result run(Trial trial, StepListener listener) throws InterruptedException {
        Objects.requireNonNull(trial, "trial");
        Objects.requireNonNull(listener, "listener");
        List<Step> steps = new ArrayList<>();
        double lo = 0;
        double hi = Double.POSITIVE_INFINITY;
        Step upperStep = null;
        Ending ending = null;
        double rate = startRate;
        while (ending == null) {
            if (steps.size() == maxSteps) {
                ending = Ending.OUT_OF_STEPS;
                break;
            }
            Step step = judge(trial, rate, steps, listener);
            if (step.met()) {
                lo = rate;
                if (hi < Double.POSITIVE_INFINITY) {
                    break;
                }
                if (rate >= maxRate) {
                    ending = Ending.ALL_MET;
                } else {
                    rate = Math.min(2 * rate, maxRate);
                }
            } else {
                hi = rate;
                upperStep = step;
                if (lo > 0) {
                    break;
                }
                if (rate <= minRate) {
                    ending = Ending.NONE_MET;
                } else {
                    rate = Math.max(rate / 2, minRate);
                }
            }
        }
        while (ending == null) {
            if (hi / lo <= 1 + precision) {
                ending = Ending.FOUND;
            } else if (steps.size() == maxSteps) {
                ending = Ending.OUT_OF_STEPS;
            } else {
                double mid = Math.sqrt(lo * hi);
                Step step = judge(trial, mid, steps, listener);
                if (step.met()) {
                    lo = mid;
                } else {
                    hi = mid;
                    upperStep = step;
                }
            }
        }
        return new Result(slo, lo, hi, ending, upperStep != null && upperStep.generatorLimited(), steps);
    }

    /**
     * Tries {@code rate} until a trial meets, or {@code 1 + retries} trials have missed, or the
     * step budget is spent, adding each step to {@code steps} and telling the listener.
     *
     * @return the last trial's step: met when any trial of the rate met
     */
    private Step judge(Trial trial, double rate, List<Step> steps, StepListener listener) throws InterruptedException {
        Step step;
        int attempt = 0;
        do {
            attempt++;
            step = step(trial, steps.size() + 1, attempt, rate);
            steps.add(step);
            listener.onStep(step);
        } while (step.generatorLimited() && attempt <= retries && steps.size() < maxSteps);
        return step;
    }

    /** Runs one trial and classifies it, as the class comment says. */
    private Step step(Trial trial, int index, int attempt, double rate) throws InterruptedException {
        Measurement measurement = Objects.requireNonNull(trial.run(rate), "the trial's measurement");
        Histogram response = measurement.response();
        long value = slo.valueIn(response);
        long lag = measurement.sendLag().getTotalCount() == 0 ? 0 : measurement.sendLag().getValueAtPercentile(99);
        double achieved = measurement.achievedRate();
        double offered = measurement.offeredRate();
        List<String> why = new ArrayList<>();
        if (response.getTotalCount() == 0) {
            why.add("no measured answers");
        } else if (!slo.metBy(value)) {
            why.add(String.format(Locale.ROOT, "%s %s over %s", slo.label(), millis(value), Slo.format(slo.bound())));
        }
        if (measurement.errors() > 0) {
            why.add(String.format(Locale.ROOT, "%,d error%s", measurement.errors(), measurement.errors() == 1 ? "" : "s"));
        }
        if (achieved < MIN_ACHIEVED_SHARE * offered) {
            why.add(String.format(Locale.ROOT, "achieved %.1f%% of the rate offered", 100 * achieved / offered));
        }
        boolean met = why.isEmpty();
        // Every request's response time holds its own send lag, so with each lag removed the
        // percentile would still be at least (value - largest lag): above the bound, the miss is
        // the target's whatever the generator did. The lowest equivalent value undoes the
        // histogram's rounding up, which would otherwise favour that verdict.
        boolean targetMissedAnyway = response.getTotalCount() > 0
                && !slo.metBy(response.lowestEquivalentValue(value) - measurement.sendLag().getMaxValue());
        boolean generatorLimited = !met && lag > SEND_LAG_LIMIT_MICROS && !targetMissedAnyway;
        if (generatorLimited) {
            why.add(String.format(Locale.ROOT, "send lag p99 %s over 1 ms, so the generator may be why", millis(lag)));
        }
        return new Step(index, attempt, rate, met, value, offered, achieved, measurement.errors(), lag, generatorLimited,
                String.join("; ", why));
    }

    private static String millis(long micros) {
        return String.format(Locale.ROOT, "%.3f ms", micros / 1000.0);
    }

    /**
     * Runs one step's load at a given rate and reports what it measured. An implementation may
     * drive a real target ({@link #of(LoadSpec, LoadListener)}) or simulate one.
     */
    @FunctionalInterface
    public interface Trial {
        /**
         * Applies load at {@code rate} requests per second, in the open model, and measures it.
         *
         * @throws InterruptedException when interrupted; the search ends with it
         */
        Measurement run(double rate) throws InterruptedException;

        /** As {@link #of(LoadSpec, LoadListener)}, with no listener. */
        static Trial of(LoadSpec template) {
            return of(template, LoadListener.NONE);
        }

        /**
         * Trials that each run {@code template} with its rate replaced by the step's (so in the open
         * model, whatever the template's own rate), with {@link LoadGenerator#run(LoadSpec, LoadListener)}:
         * each opens its own connections, warms up for the template's warm-up, measures for its
         * duration, and closes them.
         *
         * @param listener told about every second of every trial
         */
        static Trial of(LoadSpec template, LoadListener listener) {
            Objects.requireNonNull(template, "template");
            Objects.requireNonNull(listener, "listener");
            return rate -> Measurement.of(LoadGenerator.run(template.toBuilder().rate(rate).build(), listener));
        }
    }

    /**
     * What a trial measured, reduced to what the search judges.
     *
     * @param due       requests whose intended send time fell in the measured period: answered,
     *                  failed or never sent
     * @param completed answers to them
     * @param duration  length of the measured period as scheduled, seconds
     * @param seconds   length of the measured period as run, seconds: longer than {@code duration}
     *                  when requests due in it could only be sent after its end (as
     *                  {@link LoadResult#measuredSeconds()})
     * @param errors    failed requests and connection attempts, in every phase
     * @param response  response times of the measured requests, microseconds, from each request's intended send time
     * @param sendLag   the generator's send lag for the measured requests, microseconds
     */
    public record Measurement(long due, long completed, double duration, double seconds, long errors,
                              Histogram response, Histogram sendLag) {
        public Measurement {
            Objects.requireNonNull(response, "response");
            Objects.requireNonNull(sendLag, "sendLag");
            if (completed < 0 || due < completed || errors < 0) {
                throw new IllegalArgumentException("counts must satisfy 0 <= completed <= due and 0 <= errors, were "
                        + completed + ", " + due + " and " + errors);
            }
            if (!(duration > 0 && duration < Double.POSITIVE_INFINITY) || !(seconds >= 0 && seconds < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("the scheduled period must be above 0 and the period run not negative, were "
                        + duration + " and " + seconds);
            }
        }

        /**
         * The measurement of an open-model load run. Its due requests are those answered plus those
         * never sent; a run does not count its failed measured requests apart from failures in
         * other phases, and leaves them out, but a step with any error misses anyway.
         */
        public static Measurement of(LoadResult result) {
            return new Measurement(result.completed() + result.unsent(), result.completed(),
                    result.spec().duration().toNanos() / 1e9, result.measuredSeconds(), result.totalErrors(),
                    result.response(), result.sendLag());
        }

        /** Requests due per second of the scheduled measured period: the rate the schedule offered. */
        public double offeredRate() {
            return due / duration;
        }

        /** Answers per second of the measured period as run; 0 when it did not run. */
        public double achievedRate() {
            return seconds > 0 ? completed / seconds : 0;
        }
    }

    /**
     * One step of a search, classified.
     *
     * @param index            1 for the first step
     * @param attempt          1 for a rate's first trial, 2 for its retry after a generator-limited miss, and so on
     * @param rate             the rate asked for, requests per second
     * @param met              true when the step met the SLO (see {@link CapacitySearch})
     * @param percentileMicros the response time at the SLO's percentile, microseconds; 0 when nothing was measured
     * @param offeredRate      requests due per second, as the schedule offered them ({@link Measurement#offeredRate()})
     * @param achievedRate     measured answers per second ({@link Measurement#achievedRate()})
     * @param errors           failed requests and connection attempts, in every phase
     * @param sendLagP99Micros the generator's send lag p99, microseconds
     * @param generatorLimited true when the step missed while its send lag p99 exceeded
     *                         {@link #SEND_LAG_LIMIT_MICROS}, and its response times do not prove the
     *                         target would have missed without the generator's delay: the miss may
     *                         be the generator's (see {@link CapacitySearch}); false for a step that met
     * @param why              why it missed, as a phrase ({@code "p99 14.2 ms over 10ms; 3 errors"}); empty when it met
     */
    public record Step(int index, int attempt, double rate, boolean met, long percentileMicros, double offeredRate, double achievedRate,
                       long errors, long sendLagP99Micros, boolean generatorLimited, String why) {
        public Step {
            Objects.requireNonNull(why, "why");
        }

        /** The verdict as a step line shows it: {@code met}, {@code missed: <why>}, {@code missed again on try 2: <why>}, {@code met on try 2}. */
        public String verdict() {
            String retry = attempt > 1 ? " on try " + attempt : "";
            return met ? "met" + retry : (retry.isEmpty() ? "missed: " : "missed again" + retry + ": ") + why;
        }
    }

    /**
     * The answer of a search.
     *
     * @param slo              the objective searched for
     * @param capacity         the highest rate that met the SLO, requests per second; 0 when none did
     * @param upper            the lowest rate that missed it, requests per second, above {@code capacity};
     *                         {@link Double#POSITIVE_INFINITY} when none did
     * @param ending           why the search stopped
     * @param generatorLimited true when the step at {@code upper} is {@linkplain Step#generatorLimited()
     *                         generator-limited}: the target's capacity may then be higher than
     *                         found, which is the generator's limit as much as the target's
     * @param steps            every step, in the order run
     */
    public record Result(Slo slo, double capacity, double upper, Ending ending, boolean generatorLimited, List<Step> steps) {
        public Result {
            Objects.requireNonNull(slo, "slo");
            Objects.requireNonNull(ending, "ending");
            steps = List.copyOf(steps);
        }

        /** True when some rate met the SLO. */
        public boolean anyMet() {
            return capacity > 0;
        }

        /** True when some rate missed the SLO, so {@link #upper()} is a rate that was tried. */
        public boolean anyMissed() {
            return upper < Double.POSITIVE_INFINITY;
        }
    }

    /** Why a search stopped. */
    public enum Ending {
        /** The highest rate met and the lowest missed are within the precision of each other. */
        FOUND,
        /** The minimum rate missed the SLO, and so did every rate tried: the capacity is 0. */
        NONE_MET,
        /** The maximum rate met the SLO: the capacity is at least that, and no rate missed. */
        ALL_MET,
        /** The step budget ran out first: the answer is a bracket wider than the precision, or a one-sided bound. */
        OUT_OF_STEPS
    }

    /** Told about each step of a search as soon as it is classified, on the searching thread. */
    @FunctionalInterface
    public interface StepListener {
        StepListener NONE = step -> { };

        void onStep(Step step);
    }

    /**
     * Defaults: precision {@link #DEFAULT_PRECISION}, {@link #DEFAULT_MAX_STEPS} steps, rates from
     * {@link #DEFAULT_MIN_RATE} to {@link LoadSpec#MAX_RATE}, {@link #DEFAULT_RETRIES} retry of a generator-limited miss.
     */
    public static final class Builder {
        private final Slo slo;
        private final double startRate;
        private double precision = DEFAULT_PRECISION;
        private int maxSteps = DEFAULT_MAX_STEPS;
        private double minRate = DEFAULT_MIN_RATE;
        private double maxRate = LoadSpec.MAX_RATE;
        private int retries = DEFAULT_RETRIES;

        private Builder(Slo slo, double startRate) {
            this.slo = slo;
            this.startRate = startRate;
        }

        public Builder precision(double value) { precision = value; return this; }
        public Builder maxSteps(int value) { maxSteps = value; return this; }
        public Builder minRate(double value) { minRate = value; return this; }
        public Builder maxRate(double value) { maxRate = value; return this; }
        public Builder retries(int value) { retries = value; return this; }

        /** @throws IllegalArgumentException when a value is out of range, saying which */
        public CapacitySearch build() {
            return new CapacitySearch(slo, startRate, precision, maxSteps, minRate, maxRate, retries);
        }
    }
}

package io.loombench.loadgen;

import io.loombench.loadgen.CapacitySearch.Ending;
import io.loombench.loadgen.CapacitySearch.Measurement;
import io.loombench.loadgen.CapacitySearch.Result;
import io.loombench.loadgen.CapacitySearch.Step;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The search against simulated targets: each trial is a function of the rate, so the steps are
 * known in advance. Every test uses the SLO p99&lt;=10ms, a fast answer of 2 ms and a slow one of
 * 50 ms, and the default precision of 0.05.
 *
 * <p>How many steps a bisection takes: from a bracket {@code [lo, 2 lo]} each step halves
 * {@code log(hi / lo)}, so after k steps {@code hi / lo = 2^(1/2^k)}: 1.414, 1.189, 1.091, 1.044.
 * The first at or below 1.05 is k = 4 (1.091 is not), whatever the knee.
 */
class CapacitySearchTest {
    private static final Slo SLO = Slo.parse("p99<=10ms");
    private static final long FAST_MICROS = 2_000;
    private static final long SLOW_MICROS = 50_000;
    private static final double SECONDS = 5;

    /** What a simulated trial measured: {@code latencyMicros} for every answer, and the rest as given. */
    private static Measurement measured(double rate, long latencyMicros, long errors, double achievedRate, long sendLagMicros) {
        Histogram response = new Histogram(3_600_000_000L, 3);
        response.recordValueWithCount(latencyMicros, 1000);
        Histogram sendLag = new Histogram(3_600_000_000L, 3);
        sendLag.recordValueWithCount(sendLagMicros, 1000);
        return new Measurement(Math.round(rate * SECONDS), Math.round(achievedRate * SECONDS), SECONDS, SECONDS, errors, response, sendLag);
    }

    /** A target that answers fast up to {@code knee} requests per second and slowly above it, at every rate asked. */
    private static CapacitySearch.Trial knee(double knee, List<Double> rates) {
        return rate -> {
            rates.add(rate);
            return measured(rate, rate <= knee ? FAST_MICROS : SLOW_MICROS, 0, rate, 50);
        };
    }

    /** A search that judges each rate on one trial, so a test's steps are the bisection's own; retries have tests of their own. */
    private static Result search(double start, CapacitySearch.Trial trial) throws InterruptedException {
        return CapacitySearch.builder(SLO, start).retries(0).build().run(trial);
    }

    /**
     * Knee at 11,500 from 1,000: 1,000, 2,000, 4,000 and 8,000 meet, 16,000 misses (5 steps), then
     * 4 bisecting steps: 9. The bisection runs 11,314 (met), 13,454, 12,338 and 11,815 (missed).
     */
    @Test
    void findsAKneeAboveTheStartWithinThePrecision() throws Exception {
        List<Double> rates = new ArrayList<>();
        List<Step> told = new ArrayList<>();

        Result result = CapacitySearch.builder(SLO, 1000).retries(0).build().run(knee(11_500, rates), told::add);

        assertThat(result.ending()).isEqualTo(Ending.FOUND);
        assertThat(result.steps()).hasSize(9);
        assertThat(rates).hasSize(9).startsWith(1000.0, 2000.0, 4000.0, 8000.0, 16000.0);
        assertThat(told).as("the listener heard every step, in order").isEqualTo(result.steps());
        assertThat(result.capacity()).isLessThanOrEqualTo(11_500).isCloseTo(11_314, within(1.0));
        assertThat(result.upper()).isGreaterThan(11_500).isCloseTo(11_815, within(1.0));
        assertThat(result.upper() / result.capacity()).isLessThanOrEqualTo(1.05);
        assertThat(result.generatorLimited()).isFalse();
        assertThat(result.steps()).extracting(Step::index).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(result.steps()).extracting(Step::attempt).containsOnly(1);
        Step missed = result.steps().get(4);
        assertThat(missed.met()).isFalse();
        assertThat(missed.percentileMicros()).isBetween(SLOW_MICROS, SLOW_MICROS + 50);
        assertThat(missed.why()).startsWith("p99 50.").endsWith("ms over 10ms");
        assertThat(result.steps().get(0).why()).isEmpty();
    }

    /** Knee at 300 from 1,000: 1,000 and 500 miss, 250 meets (3 steps), then 4 bisecting steps: 7. */
    @Test
    void findsAKneeBelowTheStartByHalving() throws Exception {
        List<Double> rates = new ArrayList<>();

        Result result = search(1000, knee(300, rates));

        assertThat(result.ending()).isEqualTo(Ending.FOUND);
        assertThat(rates).hasSize(7).startsWith(1000.0, 500.0, 250.0);
        assertThat(result.capacity()).isLessThanOrEqualTo(300);
        assertThat(result.upper()).isGreaterThan(300);
        assertThat(result.upper() / result.capacity()).isLessThanOrEqualTo(1.05);
    }

    /**
     * Nothing meets: from 1,000 the rate halves nine times to 1.95, then the tenth halving is cut
     * to the floor of 1, which misses too: 11 steps, capacity 0, lowest rate missed 1.
     */
    @Test
    void whenNothingMeetsTheCapacityIsZeroAtTheFloor() throws Exception {
        List<Double> rates = new ArrayList<>();

        Result result = search(1000, knee(0.5, rates));

        assertThat(result.ending()).isEqualTo(Ending.NONE_MET);
        assertThat(result.anyMet()).isFalse();
        assertThat(result.capacity()).isZero();
        assertThat(result.upper()).isEqualTo(1.0);
        assertThat(rates).hasSize(11).endsWith(1000.0 / 512, 1.0);
        assertThat(result.steps()).noneMatch(Step::met);
    }

    /** Everything meets up to a 10,000 cap: 1,000, 2,000, 4,000, 8,000, then 10,000 (not 16,000): 5 steps. */
    @Test
    void whenEverythingMeetsTheSearchStopsAtTheMaximumRate() throws Exception {
        List<Double> rates = new ArrayList<>();

        Result result = CapacitySearch.builder(SLO, 1000).maxRate(10_000).build().run(knee(Double.MAX_VALUE, rates));

        assertThat(result.ending()).isEqualTo(Ending.ALL_MET);
        assertThat(rates).containsExactly(1000.0, 2000.0, 4000.0, 8000.0, 10_000.0);
        assertThat(result.capacity()).isEqualTo(10_000);
        assertThat(result.upper()).isInfinite();
        assertThat(result.anyMissed()).isFalse();
    }

    /** Everything meets and the steps run out first: 6 steps double 1,000 to 32,000, a lower bound. */
    @Test
    void whenTheStepsRunOutWhileDoublingTheAnswerIsALowerBound() throws Exception {
        List<Double> rates = new ArrayList<>();

        Result result = CapacitySearch.builder(SLO, 1000).maxSteps(6).build().run(knee(Double.MAX_VALUE, rates));

        assertThat(result.ending()).isEqualTo(Ending.OUT_OF_STEPS);
        assertThat(rates).hasSize(6);
        assertThat(result.capacity()).isEqualTo(32_000);
        assertThat(result.upper()).isInfinite();
    }

    /**
     * Fast answers at every rate, but the target takes in at most 5,000 requests per second. The
     * achieved-rate test finds that: a rate up to 5,000 / 0.99 = 5,051 still counts as achieved.
     */
    @Test
    void aTargetThatCannotTakeTheRateMissesEvenWithFastAnswers() throws Exception {
        Result result = search(1000, rate -> measured(rate, FAST_MICROS, 0, Math.min(rate, 5000), 50));

        assertThat(result.ending()).isEqualTo(Ending.FOUND);
        assertThat(result.capacity()).isBetween(5000 / 1.05, 5000 / 0.99);
        Step missed = result.steps().stream().filter(s -> !s.met()).findFirst().orElseThrow();
        assertThat(missed.why()).startsWith("achieved ").endsWith("% of the rate offered");
        assertThat(missed.achievedRate()).isEqualTo(5000);
    }

    /** A single error misses, however fast the answers: errors start above 3,000. */
    @Test
    void anyErrorMisses() throws Exception {
        Result result = search(1000, rate -> measured(rate, FAST_MICROS, rate > 3000 ? 1 : 0, rate, 50));

        assertThat(result.capacity()).isLessThanOrEqualTo(3000).isGreaterThan(3000 / 1.05);
        assertThat(result.steps()).filteredOn(s -> !s.met()).allSatisfy(s -> assertThat(s.why()).isEqualTo("1 error"));
    }

    @Test
    void aStepWithNoAnswersMisses() throws Exception {
        Result result = search(1000, rate -> new Measurement(Math.round(rate * SECONDS), 0, SECONDS, SECONDS, 0, new Histogram(3), new Histogram(3)));

        assertThat(result.ending()).isEqualTo(Ending.NONE_MET);
        assertThat(result.steps().get(0).why()).isEqualTo("no measured answers; achieved 0.0% of the rate offered");
    }

    /**
     * A generator that saturates: from 4,000 req/s its send lag p99 is 3 ms, and above 6,000 it
     * cannot send the rate (it achieves 6,000). The target answers in 2 ms at any rate, so the
     * response times, which hold the lag, stay at 5 ms, within the bound. 1,000 and 2,000 meet on
     * time; 4,000 meets although the generator lagged (the lag is inside its response times); 8,000
     * misses on the rate while lagging, and nothing shows the target would have missed: the
     * bisection of [4,000, 8,000] ends near 6,000, and the answer is the generator's limit.
     */
    @Test
    void aMissWhileTheGeneratorLagsMarksTheAnswerGeneratorLimited() throws Exception {
        Result result = search(1000, rate -> {
            long lag = rate >= 4000 ? 3000 : 50;
            return measured(rate, FAST_MICROS + lag, 0, Math.min(rate, 6000), lag);
        });

        assertThat(result.ending()).isEqualTo(Ending.FOUND);
        assertThat(result.capacity()).isBetween(6000 / 1.05, 6000 / 0.99);
        assertThat(result.generatorLimited()).isTrue();
        Step lateButMet = result.steps().get(2);
        assertThat(lateButMet.rate()).isEqualTo(4000);
        assertThat(lateButMet.met()).as("the lag is inside the response times, which met the bound").isTrue();
        assertThat(lateButMet.sendLagP99Micros()).isGreaterThan(CapacitySearch.SEND_LAG_LIMIT_MICROS);
        assertThat(lateButMet.generatorLimited()).as("only a miss can be the generator's").isFalse();
        assertThat(lateButMet.why()).isEmpty();
        assertThat(result.steps()).filteredOn(s -> !s.met()).isNotEmpty().allSatisfy(s -> {
            assertThat(s.generatorLimited()).isTrue();
            assertThat(s.why()).startsWith("achieved ").endsWith("; send lag p99 3.001 ms over 1 ms, so the generator may be why");
        });
    }

    /**
     * A lagging generator does not excuse a miss the response times prove: 50 ms answers, with
     * at most 3 ms of lag in them, would be 47 ms late without it, far over 10 ms.
     */
    @Test
    void aMissBeyondTheLagIsTheTargetsEvenWhenTheGeneratorLags() throws Exception {
        Result result = search(1000, rate -> measured(rate, rate <= 5000 ? FAST_MICROS : SLOW_MICROS, 0, rate, 3000));

        assertThat(result.capacity()).isLessThanOrEqualTo(5000).isGreaterThan(5000 / 1.05);
        assertThat(result.generatorLimited()).isFalse();
        assertThat(result.steps()).noneMatch(Step::generatorLimited);
        assertThat(result.steps()).filteredOn(s -> !s.met()).allSatisfy(s -> assertThat(s.why()).doesNotContain("send lag"));
    }

    /**
     * The generator lags and falls short from 10,000 up; the target takes in 5,000 at most.
     * From 16,000: it misses on the rate while lagging (generator-limited); 8,000 misses on the
     * rate on time (the target's); 4,000 meets, and the bisection stays within [4,000, 8,000]. The
     * lowest miss is the target's own, so the answer is not generator-limited, though a step was.
     */
    @Test
    void aLaggingMissAboveAnOnTimeMissLeavesTheAnswerTheTargets() throws Exception {
        Result result = search(16_000, rate -> measured(rate, FAST_MICROS, 0, Math.min(rate, 5000), rate >= 10_000 ? 3000 : 50));

        assertThat(result.steps().get(0).generatorLimited()).isTrue();
        assertThat(result.steps().get(1).rate()).isEqualTo(8000);
        assertThat(result.steps().get(1).generatorLimited()).isFalse();
        assertThat(result.generatorLimited()).isFalse();
        assertThat(result.capacity()).isBetween(5000 / 1.05, 5000 / 0.99);
    }

    /**
     * A noisy target, not monotonic: below its knee a step meets with probability 0.8, above it
     * 0.2, each miss the generator's (so retried). Whatever the draw, with one trial per rate or
     * with retries, the search ends
     * within its step budget, every rate that met (in any trial) is at most the capacity, every
     * rate that missed (in all its trials) at least the upper bound, and a found answer is within
     * the precision. Seeds make each case repeatable.
     */
    @Test
    void aNoisyTargetStillEndsWithinTheBudgetAndKeepsTheInvariants() throws Exception {
        for (int retries : new int[] {0, 1, 3}) {
            for (long seed = 0; seed < 500; seed++) {
                SplittableRandom random = new SplittableRandom(seed);
                CapacitySearch search = CapacitySearch.builder(SLO, 1000).maxSteps(12).maxRate(1e6).retries(retries).build();

                Result result = search.run(rate -> {
                    boolean meets = random.nextDouble() < (rate <= 7000 ? 0.8 : 0.2);
                    return meets ? measured(rate, FAST_MICROS, 0, rate, 50) : generatorPause(rate);
                });

                String seedText = "retries " + retries + ", seed " + seed;
                assertThat(result.steps()).as(seedText).hasSizeBetween(1, 12);
                assertThat(result.capacity()).as(seedText).isLessThan(result.upper());
                Map<Double, Boolean> metByRate = new HashMap<>();
                for (Step step : result.steps()) {
                    assertThat(step.rate()).as(seedText).isBetween(1.0, 1e6);
                    assertThat(step.attempt()).as(seedText).isBetween(1, 1 + retries);
                    metByRate.merge(step.rate(), step.met(), Boolean::logicalOr);
                }
                metByRate.forEach((rate, met) -> {
                    if (met) {
                        assertThat(rate).as(seedText).isLessThanOrEqualTo(result.capacity());
                    } else {
                        assertThat(rate).as(seedText).isGreaterThanOrEqualTo(result.upper());
                    }
                });
                if (result.ending() == Ending.FOUND) {
                    assertThat(result.upper() / result.capacity()).as(seedText).isLessThanOrEqualTo(1.05);
                }
            }
        }
    }

    /**
     * A miss on time is the target's and is not tried again, by default either: a consistent knee
     * at 11,500 takes the 9 steps of {@link #findsAKneeAboveTheStartWithinThePrecision}; nor is a
     * miss the response times prove the target's although the generator lagged, or one with
     * errors.
     */
    @Test
    void aMissOnTimeIsNotRetried() throws Exception {
        Result knee = CapacitySearch.builder(SLO, 1000).build().run(knee(11_500, new ArrayList<>()));
        Result provenSlow = CapacitySearch.builder(SLO, 1000).build()
                .run(rate -> measured(rate, rate <= 5000 ? FAST_MICROS : SLOW_MICROS, 0, rate, 3000));
        Result errors = CapacitySearch.builder(SLO, 1000).build().run(rate -> measured(rate, FAST_MICROS, rate > 3000 ? 1 : 0, rate, 50));

        assertThat(knee.steps()).hasSize(9);
        for (Result result : List.of(knee, provenSlow, errors)) {
            assertThat(result.ending()).isEqualTo(Ending.FOUND);
            assertThat(result.steps()).extracting(Step::attempt).containsOnly(1);
        }
    }

    /**
     * The case retries are for: a target with its knee at 20,000, and a generator that pauses for
     * 30 ms through its first trial at 16,000 (its own collector, say), so that step misses with
     * every response time 32 ms, 30 of them the generator's lag. With one trial per rate, that
     * miss bounds the search at 16,000, and the bisection of [8,000, 16,000] ends at 15,322; with a
     * retry, 16,000 meets on its second trial, the bracket becomes [16,000, 32,000], and the
     * answer is the knee's, 19,869 (32,000, 22,627 and 20,749 miss on time: no retry).
     */
    @Test
    void aMissWhileTheGeneratorPausedIsTriedAgain() throws Exception {
        Result once = search(1000, kneeWithOneGeneratorPauseAt(20_000, 16_000));
        Result retried = CapacitySearch.builder(SLO, 1000).build().run(kneeWithOneGeneratorPauseAt(20_000, 16_000));

        assertThat(once.upper()).isEqualTo(16_000);
        assertThat(once.capacity()).isCloseTo(15_322, within(1.0));
        assertThat(once.generatorLimited()).isTrue();
        assertThat(retried.steps().get(4)).satisfies(s -> {
            assertThat(s.rate()).isEqualTo(16_000);
            assertThat(s.met()).isFalse();
            assertThat(s.generatorLimited()).isTrue();
            assertThat(s.verdict()).startsWith("missed: p99 32.").endsWith("so the generator may be why");
        });
        assertThat(retried.steps().get(5)).satisfies(s -> {
            assertThat(s.rate()).isEqualTo(16_000);
            assertThat(s.attempt()).isEqualTo(2);
            assertThat(s.verdict()).isEqualTo("met on try 2");
        });
        assertThat(retried.steps()).hasSize(11);
        assertThat(retried.capacity()).isCloseTo(19_869, within(1.0));
        assertThat(retried.generatorLimited()).isFalse();
    }

    /**
     * A step the generator spoiled: every answer 32 ms, 30 ms of it send lag, so the target's
     * own part (2 ms) meets the 10 ms bound and the miss is generator-limited.
     */
    private static Measurement generatorPause(double rate) {
        return measured(rate, FAST_MICROS + 30_000, 0, rate, 30_000);
    }

    /**
     * A target answering fast up to {@code knee} and slowly above, measured by a generator that
     * pauses through its first trial at {@code pausedRate}.
     */
    private static CapacitySearch.Trial kneeWithOneGeneratorPauseAt(double knee, double pausedRate) {
        boolean[] paused = {false};
        return rate -> {
            boolean pause = rate == pausedRate && !paused[0];
            paused[0] |= pause;
            return pause ? generatorPause(rate) : measured(rate, rate <= knee ? FAST_MICROS : SLOW_MICROS, 0, rate, 50);
        };
    }

    /** How a step line and the suite's step log give each verdict. */
    @Test
    void theVerdictNamesARetry() {
        Step met = new Step(1, 1, 1000, true, FAST_MICROS, 1000, 1000, 0, 50, false, "");
        Step missed = new Step(2, 1, 2000, false, SLOW_MICROS, 2000, 2000, 0, 50, false, "p99 50.000 ms over 10ms");
        Step missedAgain = new Step(3, 2, 2000, false, SLOW_MICROS, 2000, 2000, 0, 50, false, "p99 50.000 ms over 10ms");
        Step metOnRetry = new Step(3, 2, 2000, true, FAST_MICROS, 2000, 2000, 0, 50, false, "");

        assertThat(met.verdict()).isEqualTo("met");
        assertThat(missed.verdict()).isEqualTo("missed: p99 50.000 ms over 10ms");
        assertThat(missedAgain.verdict()).isEqualTo("missed again on try 2: p99 50.000 ms over 10ms");
        assertThat(metOnRetry.verdict()).isEqualTo("met on try 2");
    }

    /**
     * A miss the budget leaves without its retry counts as a miss: a knee at 3,000 seen by a
     * generator that pauses above it (every miss is generator-limited). With 5 steps: 1,000 and
     * 2,000 meet, 4,000 misses twice, and the fifth step, 2,828, meets. With 3, the search ends on
     * 4,000's first miss, which bounds the answer all the same.
     */
    @Test
    void aMissLeftWithoutItsRetryByTheBudgetCountsAsAMiss() throws Exception {
        List<Double> rates = new ArrayList<>();
        CapacitySearch.Trial pausingAbove3000 = rate -> {
            rates.add(rate);
            return rate <= 3000 ? measured(rate, FAST_MICROS, 0, rate, 50) : generatorPause(rate);
        };

        Result five = CapacitySearch.builder(SLO, 1000).maxSteps(5).build().run(pausingAbove3000);
        rates.clear();
        Result three = CapacitySearch.builder(SLO, 1000).maxSteps(3).build().run(pausingAbove3000);

        assertThat(five.steps()).extracting(Step::rate).containsExactly(1000.0, 2000.0, 4000.0, 4000.0, Math.sqrt(2000.0 * 4000.0));
        assertThat(five.ending()).isEqualTo(Ending.OUT_OF_STEPS);
        assertThat(five.capacity()).isCloseTo(2828, within(1.0));
        assertThat(five.upper()).isEqualTo(4000);
        assertThat(rates).containsExactly(1000.0, 2000.0, 4000.0);
        assertThat(three.ending()).isEqualTo(Ending.OUT_OF_STEPS);
        assertThat(three.capacity()).isEqualTo(2000);
        assertThat(three.upper()).isEqualTo(4000);
    }

    /**
     * The share achieved is of what the schedule offered, not of the nominal rate: Poisson
     * arrivals may offer 4% less than asked, and a target that answered all of it on time kept up.
     * Answers that came in a measured period stretched by 2% (requests due in it could only be
     * sent after its end) fall short, and so do 2% of the due requests never sent.
     */
    @Test
    void theRateAchievedIsMeasuredAgainstTheRateOffered() throws Exception {
        assertThat(oneStep(new Measurement(960, 960, 1.0, 1.0, 0, fast(960), new Histogram(3))).met())
                .as("all of a short Poisson draw answered").isTrue();
        assertThat(oneStep(new Measurement(1000, 1000, 1.0, 1.005, 0, fast(1000), new Histogram(3))).met())
                .as("stretched by 0.5%").isTrue();
        Step stretched = oneStep(new Measurement(1000, 1000, 1.0, 1.02, 0, fast(1000), new Histogram(3)));
        assertThat(stretched.met()).isFalse();
        assertThat(stretched.why()).isEqualTo("achieved 98.0% of the rate offered");
        assertThat(stretched.offeredRate()).isEqualTo(1000);
        assertThat(oneStep(new Measurement(1000, 980, 1.0, 1.0, 0, fast(980), new Histogram(3))).met())
                .as("2% never sent").isFalse();
    }

    private static Step oneStep(Measurement measurement) throws InterruptedException {
        return CapacitySearch.builder(SLO, 1000).maxSteps(1).build().run(rate -> measurement).steps().get(0);
    }

    private static Histogram fast(long count) {
        Histogram histogram = new Histogram(3);
        histogram.recordValueWithCount(FAST_MICROS, count);
        return histogram;
    }

    @Test
    void anInterruptedTrialEndsTheSearch() {
        CapacitySearch search = CapacitySearch.builder(SLO, 1000).build();

        assertThatThrownBy(() -> search.run(rate -> {
            throw new InterruptedException("stop");
        })).isInstanceOf(InterruptedException.class);
    }

    @Test
    void badParametersAreRejected() {
        assertThatThrownBy(() -> CapacitySearch.builder(SLO, 0.5).build()).hasMessageContaining("start rate");
        assertThatThrownBy(() -> CapacitySearch.builder(SLO, 1000).maxRate(500).build()).hasMessageContaining("start rate");
        assertThatThrownBy(() -> CapacitySearch.builder(SLO, 1000).maxRate(1e9).build()).hasMessageContaining("rates must");
        assertThatThrownBy(() -> CapacitySearch.builder(SLO, 1000).minRate(0).build()).hasMessageContaining("rates must");
        assertThatThrownBy(() -> CapacitySearch.builder(SLO, 1000).precision(0).build()).hasMessageContaining("precision");
        assertThatThrownBy(() -> CapacitySearch.builder(SLO, 1000).precision(Double.NaN).build()).hasMessageContaining("precision");
        assertThatThrownBy(() -> CapacitySearch.builder(SLO, 1000).maxSteps(0).build()).hasMessageContaining("steps");
        assertThatThrownBy(() -> CapacitySearch.builder(SLO, 1000).maxSteps(101).build()).hasMessageContaining("steps");
        assertThatThrownBy(() -> CapacitySearch.builder(SLO, Double.NaN).build()).hasMessageContaining("start rate");
        assertThatThrownBy(() -> CapacitySearch.builder(SLO, 1000).retries(-1).build()).hasMessageContaining("retries");
        assertThatThrownBy(() -> CapacitySearch.builder(SLO, 1000).retries(6).build()).hasMessageContaining("retries");
    }
}

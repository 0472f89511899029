package io.loombench.benchmarks.report;

import java.util.Optional;

/**
 * A point the suite measured twice because its first measurement regressed against the
 * baseline. The run's {@code jmh.json} holds the second measurement, which the gate judges;
 * this is what the first one was, as {@code remeasured.json} lists it and the gate shows.
 *
 * <p>Why measure again rather than widen the threshold: on a shared 2-core machine a point's
 * score moves between runs by more than JMH's error within one run says (the default matrix's
 * {@code throughput-http-cpu-c64-nio} answered 5,839 to 8,065 req/s in eight runs of two commits
 * measured alternately, each run's own error ±12-37%), and a peer at 10,000 connections
 * sometimes ends a run with timeouts. A regression of the code shows again in a second
 * measurement; most of the machine's noise does not. A wider threshold would hide real
 * regressions on every point to spare the few that are noisy.
 *
 * @param id       the point's id
 * @param value    the first measurement's gated metric (req/s, or p99 ms for a latency point); NaN when it had none
 * @param error    its JMH error, NaN when there was none
 * @param failure  why the first measurement failed (its errors, as {@link Point#failure} says), or empty
 */
public record Remeasurement(String id, double value, double error, String failure) {
    /** The file a run lists them in. */
    public static final String FILE = "remeasured.json";
    /** The directory of a run that keeps the first measurements' JMH logs and interval logs. */
    public static final String DIR = "remeasured";

    /** What the gate read of a point's first measurement. */
    public static Remeasurement of(Point first) {
        Optional<Score> score = Gate.gated(first);
        return new Remeasurement(first.id(), score.map(Score::value).orElse(Double.NaN),
                score.map(Score::error).orElse(Double.NaN), first.failed() ? first.failure() : "");
    }

    /** The first measurement in a few words: its failure, or its change against the baseline's value. */
    String describe(double baseline) {
        if (!failure.isEmpty()) {
            return "the first failed (" + failure + ")";
        }
        if (Double.isNaN(value) || Double.isNaN(baseline) || baseline == 0) {
            return "the first reported nothing to compare";
        }
        return "the first " + Fmt.change((value - baseline) / baseline);
    }
}

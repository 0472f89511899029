package io.loombench.benchmarks.report;

import io.loombench.benchmarks.Metric;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One benchmark with one combination of parameters, as JMH reported it.
 *
 * @param kind        which benchmark
 * @param cell        protocol, workload and connections
 * @param server      {@code virtual}, {@code pool}, {@code nio} (the models) or a reference peer
 *                    such as {@code netty} or {@code helidon}
 * @param params      every JMH parameter of the point, as JMH wrote it (strings)
 * @param primary     JMH's primary metric: requests/s for throughput and latency, the search's
 *                    duration for capacity
 * @param secondaries JMH's secondary metrics by label ({@link Metric#label()}, plus
 *                    {@code errors.<kind>}); for capacity always holds {@code capacity}
 */
public record Point(Kind kind, Cell cell, String server, Map<String, String> params, Score primary,
                    Map<String, Score> secondaries) {

    /** Secondary labels that count errors of one kind, {@code errors.timeout} for instance. */
    public static final String ERROR_KIND_PREFIX = Metric.ERRORS.label() + ".";

    public Point {
        params = Map.copyOf(params);
        secondaries = Map.copyOf(secondaries);
        if (kind == Kind.CAPACITY && !secondaries.containsKey(Metric.CAPACITY.label())) {
            throw new IllegalArgumentException("capacity point " + kind.id() + "-" + cell.id() + "-" + server
                    + " has no '" + Metric.CAPACITY.label() + "' secondary metric");
        }
    }

    /** {@code <kind>-<protocol>-<workload>-c<connections>-<server>}, as in the hlog file names. */
    public String id() {
        return kind.id() + "-" + cell.id() + "-" + server;
    }

    public boolean isModel() {
        return Servers.isModel(server);
    }

    public Optional<Score> metric(Metric metric) {
        return Optional.ofNullable(secondaries.get(metric.label()));
    }

    /** The metric's score, NaN when the point did not report it. */
    public double value(Metric metric) {
        return metric(metric).map(Score::value).orElse(Double.NaN);
    }

    /**
     * The number this point answers with: answered (throughput) or achieved (latency) requests/s,
     * or for capacity the highest rate found to meet the SLO.
     */
    public Score score() {
        return kind == Kind.CAPACITY ? secondaries.get(Metric.CAPACITY.label()) : primary;
    }

    /**
     * Where the true {@link #score()} lies: its confidence interval; for capacity widened up to
     * {@code capacity.upper} (plus its error), because a search that passed at {@code capacity}
     * and missed at {@code capacity.upper} only brackets the capacity.
     */
    public Interval estimate() {
        Interval interval = score().interval();
        if (kind != Kind.CAPACITY) {
            return interval;
        }
        double upper = metric(Metric.CAPACITY_UPPER).map(s -> s.value() + s.errorOrZero()).orElse(interval.high());
        return new Interval(interval.value(), interval.low(), Math.max(interval.high(), upper));
    }

    /** Errors of each kind over the whole point ({@code errors.<kind>} labels), by kind. */
    public SortedMap<String, Long> errorKinds() {
        return secondaries.entrySet().stream()
                .filter(e -> e.getKey().startsWith(ERROR_KIND_PREFIX) && e.getValue().value() > 0)
                .collect(Collectors.toMap(e -> e.getKey().substring(ERROR_KIND_PREFIX.length()),
                        e -> Math.round(e.getValue().value()), Long::sum, TreeMap::new));
    }

    /** A point with any error is failed: never ranked, never part of a ratio or a chart line. */
    public boolean failed() {
        return value(Metric.ERRORS) > 0 || !errorKinds().isEmpty();
    }

    /** What failed, for people: {@code timeout 30, connect 5}; empty for a point that did not fail. */
    public String failure() {
        if (!failed()) {
            return "";
        }
        SortedMap<String, Long> kinds = errorKinds();
        if (kinds.isEmpty()) {
            return Fmt.count(value(Metric.ERRORS)) + " errors";
        }
        return kinds.entrySet().stream().map(e -> e.getKey() + " " + Fmt.count(e.getValue()))
                .collect(Collectors.joining(", "));
    }

    /** The open model's offered rate (req/s), the {@code rate} parameter. */
    public OptionalDouble rate() {
        String rate = params.get("rate");
        return rate == null ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(rate));
    }

    /** The capacity search's SLO, the {@code slo} parameter ({@code p99<=20ms}). */
    public Optional<String> slo() {
        return Optional.ofNullable(params.get("slo"));
    }
}

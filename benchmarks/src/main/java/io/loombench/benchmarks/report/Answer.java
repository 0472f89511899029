package io.loombench.benchmarks.report;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The answer for one cell and one benchmark: which of the three models scored highest and by
 * what ratio over the runner-up. The ratio's interval is the conservative one from both points'
 * {@link Point#estimate() estimates}; when it includes 1.0 the two are tied. Failed points are
 * named, never ranked. Peers are not contestants: they give reference ratios (winner / peer).
 *
 * @param kind   throughput or capacity
 * @param cell   protocol, workload, connections
 * @param ranked the models that did not fail, highest score first
 * @param failed the models that failed
 * @param peers  the reference peers measured in this cell, failed or not, in {@link Servers#ORDER}
 */
public record Answer(Kind kind, Cell cell, List<Point> ranked, List<Point> failed, List<Point> peers) {

    public Answer {
        ranked = List.copyOf(ranked);
        failed = List.copyOf(failed);
        peers = List.copyOf(peers);
    }

    /** One answer per cell that has points of this kind, in cell order. */
    public static List<Answer> of(List<Point> points, Kind kind) {
        Map<Cell, List<Point>> byCell = points.stream().filter(p -> p.kind() == kind)
                .collect(Collectors.groupingBy(Point::cell, TreeMap::new, Collectors.toList()));
        Comparator<Point> byServer = Comparator.comparing(Point::server, Servers.ORDER);
        return byCell.entrySet().stream().map(e -> {
            List<Point> cellPoints = e.getValue().stream().sorted(byServer).toList();
            List<Point> ranked = cellPoints.stream().filter(p -> p.isModel() && !p.failed())
                    .sorted(Comparator.comparingDouble((Point p) -> p.score().value()).reversed().thenComparing(byServer))
                    .toList();
            List<Point> failed = cellPoints.stream().filter(p -> p.isModel() && p.failed()).toList();
            List<Point> peers = cellPoints.stream().filter(p -> !p.isModel()).toList();
            return new Answer(kind, e.getKey(), ranked, failed, peers);
        }).toList();
    }

    public Optional<Point> winner() {
        return ranked.stream().findFirst();
    }

    public Optional<Point> runnerUp() {
        return ranked.stream().skip(1).findFirst();
    }

    /** Winner / runner-up; empty with fewer than two ranked models. */
    public Optional<Interval> overRunnerUp() {
        return runnerUp().map(r -> Interval.ratio(ranked.get(0).estimate(), r.estimate()));
    }

    /** True when the ratio over the runner-up includes 1.0: the data cannot tell the two apart. */
    public boolean tie() {
        return overRunnerUp().map(r -> r.contains(1.0)).orElse(false);
    }

    /**
     * True when JMH gave the winner or the runner-up no error (fewer than three samples): the
     * ratio's interval is then only the point, and the ranking has no measured uncertainty.
     */
    public boolean errorUnknown() {
        return ranked.stream().limit(2).anyMatch(p -> Double.isNaN(p.score().error()));
    }

    /** Every other ranked model whose ratio to the winner includes 1.0 (the runner-up first when {@link #tie()}). */
    public List<Point> tiedWithWinner() {
        return ranked.stream().skip(1)
                .filter(p -> Interval.ratio(ranked.get(0).estimate(), p.estimate()).contains(1.0)).toList();
    }

    /** Winner / peer; empty when there is no winner or the peer failed. */
    public Optional<Interval> overPeer(Point peer) {
        return peer.failed() ? Optional.empty() : winner().map(w -> Interval.ratio(w.estimate(), peer.estimate()));
    }
}

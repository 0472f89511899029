package io.loombench.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import static io.loombench.benchmarks.report.Block.Column.number;
import static io.loombench.benchmarks.report.Block.Column.text;

/**
 * What the {@link Gate} found: one row per compared metric, and the verdict.
 *
 * @param current      the run's name
 * @param baseline     the baseline's directory and what it is, for people; empty when there was none
 * @param otherMachine why absolute scores do not gate (the baseline ran on another machine); empty when they do
 * @param threshold    the relative change beyond which a worse metric is a regression, e.g. 0.10
 * @param rows         the comparisons, absolute metrics first, then the ratios between models
 * @param notCompared  ids of baseline points this run lacks (left out by a filter, say): listed, not failed
 * @param added        ids of points only this run has
 * @param remeasured   points this run measured twice, their first regressed: the rows judge the second
 */
public record GateResult(String current, Optional<String> baseline, Optional<String> otherMachine, double threshold,
                         List<Row> rows, List<String> notCompared, List<String> added, List<Remeasurement> remeasured) {

    public GateResult {
        rows = List.copyOf(rows);
        notCompared = List.copyOf(notCompared);
        added = List.copyOf(added);
        remeasured = List.copyOf(remeasured);
    }

    public enum Verdict {
        OK("ok"), BETTER("better"), REGRESSION("REGRESSION"), NOT_GATED("not gated");

        private final String label;

        Verdict(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One comparison.
     *
     * @param metric        what was compared: {@code throughput req/s}, {@code latency p99 ms},
     *                      {@code capacity req/s}, or a ratio such as {@code throughput virtual/nio}
     * @param ratio         true for a ratio between two models of the same run, false for a point's own score
     * @param subject       the point's id, or for a ratio its cell ({@code throughput-http-wait-c10000})
     * @param points        the ids of the points the comparison reads: the point, or a ratio's two
     * @param baseline      the baseline's value; NaN when it reported none
     * @param baselineError its JMH error, NaN counted as 0
     * @param current       this run's value; NaN when it reported none
     * @param currentError  its JMH error, NaN counted as 0
     * @param verdict       the row's verdict
     * @param reason        why, in words, where the verdict alone does not say; else empty
     */
    public record Row(String metric, boolean ratio, String subject, List<String> points, double baseline, double baselineError,
                      double current, double currentError, Verdict verdict, String reason) {

        public Row {
            points = List.copyOf(points);
        }

        /** This row with {@code more} said after its reason. */
        Row withReasonAdded(String more) {
            return new Row(metric, ratio, subject, points, baseline, baselineError, current, currentError, verdict,
                    reason.isEmpty() ? more : reason + "; " + more);
        }

        /** (current - baseline) / baseline. */
        public double change() {
            return (current - baseline) / baseline;
        }

        /** sqrt(e_current² + e_baseline²) / baseline: the change the errors alone can explain. */
        public double combinedError() {
            return Math.hypot(currentError, baselineError) / Math.abs(baseline);
        }
    }

    public boolean passed() {
        return regressions().isEmpty();
    }

    public List<Row> regressions() {
        return rows.stream().filter(r -> r.verdict() == Verdict.REGRESSION).toList();
    }

    /** The ids of the points the regressed comparisons read, each once, in the table's order. */
    public List<String> regressedPoints() {
        return regressions().stream().flatMap(r -> r.points().stream()).distinct().toList();
    }

    /** The gate's table and verdict, as written to {@code gate.md} and printed. */
    List<Block> blocks() {
        List<Block> out = new ArrayList<>();
        out.add(new Block.Heading(1, "Regression gate: " + (passed() ? "passed" : "FAILED")));
        if (baseline.isEmpty()) {
            out.add(new Block.Paragraph("No baseline to compare `" + current + "` with, so the gate passes."));
            return out;
        }
        String percent = Fmt.brief(threshold * 100) + "%";
        out.add(new Block.Paragraph("This run, `" + current + "`, against the baseline " + baseline.get() + ". A metric regressed "
                + "when it is worse by more than " + percent + " and by more than the combined error sqrt(e_cur² + e_base²) "
                + "of JMH's 99.9% errors (a missing error counts as 0). Higher is better for throughput and capacity, lower for "
                + "latency p99. Ratios between models of the same run fail when they move that much in either direction: "
                + "they cannot tell which model moved."));
        otherMachine.ifPresent(why -> out.add(new Block.Paragraph("**Only the ratios gate**: " + why
                + " Absolute scores are shown, marked not gated.")));
        List<Block.Column> columns = List.of(text("metric"), text("point"), number("baseline"), number("current"),
                number("change"), number("combined error"), text("verdict"));
        out.add(new Block.Table(columns, rows.stream().map(r -> List.of(r.metric(), "`" + r.subject() + "`",
                value(r.baseline(), r.baselineError()), value(r.current(), r.currentError()),
                Fmt.change(r.change()), Fmt.percent(r.combinedError()),
                (r.verdict() == Verdict.REGRESSION ? "**" + r.verdict().label() + "**" : r.verdict().label())
                        + (r.reason().isEmpty() ? "" : ": " + r.reason()))).toList()));
        if (!notCompared.isEmpty()) {
            out.add(new Block.Paragraph("Not compared, in the baseline but not in this run: " + ids(notCompared) + "."));
        }
        if (!added.isEmpty()) {
            out.add(new Block.Paragraph("New in this run, no baseline to compare with: " + ids(added) + "."));
        }
        if (!remeasured.isEmpty()) {
            boolean one = remeasured.size() == 1;
            out.add(new Block.Paragraph("Measured twice: " + ids(remeasured.stream().map(Remeasurement::id).toList())
                    + (one ? " regressed on its first measurement and was" : " regressed on their first measurement and were")
                    + " measured again at the end of the run; the rows judge the second measurement and say what the first "
                    + "was. A regression of the code shows in both; the first " + (one ? "measurement's" : "measurements'")
                    + " files are kept in `" + Remeasurement.DIR + "/`."));
        }
        long better = rows.stream().filter(r -> r.verdict() == Verdict.BETTER).count();
        long gated = rows.stream().filter(r -> r.verdict() != Verdict.NOT_GATED).count();
        out.add(new Block.Paragraph(passed()
                ? "**Passed**: " + gated + " gated comparisons, no regression" + (better > 0 ? ", " + better + " better" : "") + "."
                : "**FAILED**: " + regressions().size() + " of " + gated + " gated comparisons regressed: " + regressions().stream()
                .map(r -> r.metric() + " `" + r.subject() + "` " + summary(r))
                .collect(Collectors.joining("; ")) + "."));
        return out;
    }

    /** A regressed row in a few words: its change, and why where the row says. */
    private static String summary(Row row) {
        if (!Double.isFinite(row.change())) {
            return row.reason();
        }
        return Fmt.change(row.change()) + (row.reason().isEmpty() ? "" : " (" + row.reason() + ")");
    }

    /** The gate as Markdown: the content of {@code gate.md}. */
    public String markdown() {
        return MarkdownReport.render(blocks());
    }

    private static String value(double v, double error) {
        return Double.isNaN(v) ? Report.DASH : error > 0 ? Fmt.withError(v, error) : Fmt.amount(v);
    }

    private static String ids(List<String> ids) {
        return ids.stream().map(id -> "`" + id + "`").collect(Collectors.joining(", "));
    }
}

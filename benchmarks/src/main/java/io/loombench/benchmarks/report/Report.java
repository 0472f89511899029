package io.loombench.benchmarks.report;

import io.loombench.benchmarks.Metric;
import io.loombench.benchmarks.suite.AgreementCheck;
import io.loombench.benchmarks.suite.RunEnvironment;
import io.loombench.common.CpuSteal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.loombench.benchmarks.report.Block.Column.number;
import static io.loombench.benchmarks.report.Block.Column.text;

/**
 * The report's content, in the order a reader needs it: the answer (who wins each workload and by
 * how much), the environment, the tables, the charts, then the sanity checks that say whether to
 * believe it. Rendered by {@link MarkdownReport} and {@link HtmlReport} alike.
 *
 * @param title  the report's title
 * @param blocks its content, the title first
 */
record Report(String title, List<Block> blocks) {

    static final String DASH = "—";

    private static final Comparator<Point> ORDER = Comparator.comparing(Point::cell).thenComparing(Point::server, Servers.ORDER);

    Report {
        blocks = List.copyOf(blocks);
    }

    static Report of(SuiteResults results, Charts.ChartSet charts) {
        String title = "loombench report: " + results.environment().map(RunEnvironment::startedAt).orElse(results.name());
        List<Block> out = new ArrayList<>();
        out.add(new Block.Heading(1, title));
        out.add(new Block.Paragraph(summary(results)));
        answer(results, out);
        environment(results, out);
        tables(results, out);
        charts(charts, out);
        sanity(results, out);
        agreement(results, out);
        return new Report(title, out);
    }

    private static String summary(SuiteResults results) {
        long failed = results.points().stream().filter(Point::failed).count();
        String where = results.environment().map(e -> "Commit `" + shortCommit(e.commit()) + "`" + (e.dirty() ? " (dirty)" : "")
                + ", " + e.matrix() + " matrix, ").orElse("");
        return "Run `" + results.name() + "`. " + where + Fmt.count(results.points().size()) + " points"
                + (failed > 0 ? ", **" + failed + " failed**" : ", none failed") + ".";
    }

    // ---- the answer -------------------------------------------------------------------------

    private static void answer(SuiteResults results, List<Block> out) {
        out.add(new Block.Heading(2, "The answer"));
        out.add(new Block.Paragraph("For each protocol, workload and connection count: the model (virtual, pool, nio) "
                + "that scored highest, and its ratio over the runner-up with the ratio's interval from JMH's 99.9% errors, "
                + "taken conservatively as [(a-ea)/(b+eb), (a+ea)/(b-eb)]. An interval that includes 1.00 is a **tie**. "
                + "A point with any error is **failed**: named, never ranked. Peers are references, not contestants: "
                + "their columns give the winner's score over the peer's, with the same kind of interval."));
        answerTable(Answer.of(results.points(), Kind.THROUGHPUT), "Throughput (closed model, flat out)", out);
        List<Answer> capacity = Answer.of(results.points(), Kind.CAPACITY);
        if (!capacity.isEmpty()) {
            answerTable(capacity, "Capacity at the SLO", out);
            out.add(new Block.Paragraph("A capacity search brackets the capacity between the highest rate that met the SLO "
                    + "and the lowest that missed it, so each capacity's interval here reaches up to the miss (plus its error)."));
        }
        List<Point> failed = results.points().stream().filter(Point::failed).sorted(ORDER).toList();
        if (!failed.isEmpty()) {
            out.add(new Block.Paragraph("**Failed points**, left out of every ranking, ratio and chart line: "
                    + failed.stream().map(p -> "`" + p.id() + "` (" + p.failure() + ")").collect(Collectors.joining(", ")) + "."));
        }
    }

    private static void answerTable(List<Answer> answers, String heading, List<Block> out) {
        out.add(new Block.Heading(3, heading));
        if (answers.isEmpty()) {
            out.add(new Block.Paragraph("No points of this benchmark in this run."));
            return;
        }
        boolean capacity = answers.getFirst().kind() == Kind.CAPACITY;
        List<String> peers = answers.stream().flatMap(a -> a.peers().stream()).map(Point::server).distinct()
                .sorted(Servers.ORDER).toList();
        List<Block.Column> columns = new ArrayList<>(List.of(text("protocol"), text("workload"), number("connections")));
        if (capacity) {
            columns.add(text("SLO"));
        }
        columns.addAll(List.of(text("winner"), text("ratio over the runner-up [interval]")));
        peers.forEach(peer -> columns.add(text("winner / " + peer)));
        columns.add(text("failed"));
        List<List<String>> rows = new ArrayList<>();
        for (Answer a : answers) {
            List<String> row = new ArrayList<>(List.of(a.cell().protocol(), a.cell().workload(), Fmt.count(a.cell().connections())));
            if (capacity) {
                row.add(allPoints(a).stream().map(Point::slo).flatMap(Optional::stream).findFirst().map(s -> "`" + s + "`").orElse(DASH));
            }
            row.add(winner(a));
            row.add(a.overRunnerUp().map(r -> Fmt.ratio(r) + " over " + a.runnerUp().orElseThrow().server()
                            + (a.errorUnknown() ? " (JMH gave no error: fewer than 3 samples)" : ""))
                    .orElse(a.ranked().size() == 1 ? "the only model measured" : DASH));
            for (String peer : peers) {
                row.add(a.peers().stream().filter(p -> p.server().equals(peer)).findFirst()
                        .map(p -> p.failed() ? "peer failed (" + p.failure() + ")" : a.overPeer(p).map(Fmt::ratio).orElse(DASH))
                        .orElse(DASH));
            }
            row.add(a.failed().isEmpty() ? DASH
                    : a.failed().stream().map(p -> "**" + p.server() + "** (" + p.failure() + ")").collect(Collectors.joining("; ")));
            rows.add(row);
        }
        out.add(new Block.Table(columns, rows));
    }

    private static String winner(Answer a) {
        if (a.winner().isEmpty()) {
            return a.failed().isEmpty() ? "no model measured" : "none: every model failed";
        }
        if (a.tie()) {
            return "tie: " + a.winner().get().server() + ", "
                    + a.tiedWithWinner().stream().map(Point::server).collect(Collectors.joining(", "));
        }
        return "**" + a.winner().get().server() + "**";
    }

    private static List<Point> allPoints(Answer a) {
        List<Point> all = new ArrayList<>(a.ranked());
        all.addAll(a.failed());
        all.addAll(a.peers());
        return all;
    }

    // ---- environment ------------------------------------------------------------------------

    private static void environment(SuiteResults results, List<Block> out) {
        out.add(new Block.Heading(2, "Environment"));
        if (results.environment().isEmpty()) {
            out.add(new Block.Paragraph("This run wrote no `" + SuiteResults.ENV_JSON + "`: where and how it ran is not known."));
        }
        results.environment().ifPresent(e -> {
            out.add(new Block.Bullets(List.of(
                    "Harness JVM (JMH and the load generator): " + jvm(e.harness()),
                    "Server JVM: " + jvm(e.server()),
                    "CPU: " + e.cpuModel() + ", " + e.cpuCount() + " usable; memory " + Fmt.sig3(e.memoryBytes() / (1024.0 * 1024 * 1024)) + " GiB",
                    "Placement: " + placement(e.placement()),
                    "OS: " + e.os() + ", kernel " + e.kernel() + ", host " + e.hostname(),
                    "Commit: `" + e.commit() + "`" + (e.dirty() ? " **dirty** (uncommitted changes)" : " (clean)"),
                    "Command: `" + e.command() + "`; matrix " + e.matrix()
                            + (e.include().isEmpty() ? ", every point" : ", points matching `" + e.include() + "`"),
                    "JMH, per point: " + e.jmh().stream().map(Report::jmhSettings).collect(Collectors.joining("; "))
                            + "; started " + e.startedAt())));
        });
        if (!results.unknown().isEmpty()) {
            out.add(new Block.Paragraph("Left out of this report, benchmarks it does not know: "
                    + results.unknown().stream().map(b -> "`" + b + "`").collect(Collectors.joining(", ")) + "."));
        }
    }

    private static String jmhSettings(RunEnvironment.JmhSettings jmh) {
        if (jmh.warmupIterations() == 0 && jmh.measurementSeconds() == 0) {
            return jmh.benchmark() + " " + jmh.forks() + " fork × " + jmh.measurementIterations() + " search";
        }
        return jmh.benchmark() + " " + jmh.forks() + (jmh.forks() == 1 ? " fork × " : " forks × ") + jmh.measurementIterations()
                + " measured iterations of " + Fmt.brief(jmh.measurementSeconds()) + " s after " + jmh.warmupIterations()
                + " warm-up of " + Fmt.brief(jmh.warmupSeconds()) + " s";
    }

    private static String jvm(RunEnvironment.Jvm jvm) {
        return jvm.version() + " (" + jvm.vendor() + ", " + jvm.vmName() + ") `" + jvm.java() + "`"
                + jvm.collector().map(gc -> ", collector **" + gc + "**").orElse("")
                + (jvm.flags().isEmpty() ? "" : ", flags `" + String.join(" ", jvm.flags()) + "`")
                + (jvm.effective() == null || jvm.effective().isBlank() ? "" : ", effective `" + jvm.effective().strip() + "`");
    }

    private static String placement(RunEnvironment.Placement p) {
        return p.pinned()
                ? "pinned with taskset: server on CPUs " + p.serverCpus() + ", generator on CPUs " + p.generatorCpus()
                : "**shared** (" + p.mode() + "): server and generator on any CPU (server " + p.serverCpus() + ", generator "
                + p.generatorCpus() + "); on a small machine the scheduler's placement is then part of what was measured";
    }

    // ---- tables -----------------------------------------------------------------------------

    private static void tables(SuiteResults results, List<Block> out) {
        out.add(new Block.Heading(2, "Tables"));
        out.add(new Block.Paragraph("Scores are JMH's, ± its 99.9% error (`?` where JMH gives none). Latency percentiles are "
                + "the mean over iterations of each iteration's percentile, max the highest of any iteration; the exact "
                + "distribution over every request is in the latency spectrum charts."));
        table(results.points(Kind.THROUGHPUT), "Throughput (closed model, flat out)", out,
                List.of(number("requests/s"), number("p50 ms"), number("p99 ms"), number("p99.9 ms"), number("max ms")),
                p -> List.of(Fmt.withError(p.primary()), ms(p, Metric.LATENCY_P50), ms(p, Metric.LATENCY_P99),
                        ms(p, Metric.LATENCY_P999), ms(p, Metric.LATENCY_MAX)));
        table(results.points(Kind.LATENCY), "Latency at a fixed offered rate (open model)", out,
                List.of(number("offered req/s"), number("achieved req/s"), number("achieved / offered"), number("p50 ms"),
                        number("p90 ms"), number("p99 ms"), number("p99.9 ms"), number("max ms"), number("send lag p99 ms")),
                p -> {
                    double offered = p.rate().orElse(p.value(Metric.OFFERED_RATE));
                    return List.of(Fmt.amount(offered), Fmt.withError(p.primary()), Fmt.percent(p.primary().value() / offered),
                            ms(p, Metric.LATENCY_P50), ms(p, Metric.LATENCY_P90), ms(p, Metric.LATENCY_P99),
                            ms(p, Metric.LATENCY_P999), ms(p, Metric.LATENCY_MAX), ms(p, Metric.SEND_LAG_P99));
                });
        table(results.points(Kind.CAPACITY), "Capacity at the SLO", out,
                List.of(text("SLO"), number("capacity req/s"), number("missed at req/s"), number("SLO percentile at capacity, ms"),
                        number("search steps")),
                p -> List.of(p.slo().map(s -> "`" + s + "`").orElse(DASH), Fmt.withError(p.score()),
                        p.metric(Metric.CAPACITY_UPPER).map(Fmt::withError).orElse(DASH), ms(p, Metric.CAPACITY_LATENCY),
                        p.metric(Metric.CAPACITY_STEPS).map(t -> Fmt.count(t.value())).orElse(DASH)));
        costTable(results.points(), out);
    }

    private static void table(List<Point> points, String heading, List<Block> out, List<Block.Column> metrics,
                              Function<Point, List<String>> cells) {
        if (points.isEmpty()) {
            return;
        }
        out.add(new Block.Heading(3, heading));
        List<Block.Column> columns = new ArrayList<>(List.of(text("protocol"), text("workload"), number("connections"), text("server")));
        columns.addAll(metrics);
        columns.add(text("status"));
        List<List<String>> rows = points.stream().sorted(ORDER).map(p -> {
            List<String> row = new ArrayList<>(List.of(p.cell().protocol(), p.cell().workload(), Fmt.count(p.cell().connections()),
                    p.isModel() ? p.server() : p.server() + " (peer)"));
            row.addAll(cells.apply(p));
            row.add(status(p));
            return row;
        }).toList();
        out.add(new Block.Table(columns, rows));
    }

    private static void costTable(List<Point> points, List<Block> out) {
        if (points.isEmpty()) {
            return;
        }
        out.add(new Block.Heading(3, "Server cost"));
        out.add(new Block.Paragraph("Measured from `/proc` of the server's own JVM at the end of each measured iteration: "
                + "RSS per connection is (RSS - idle RSS) / connections; CPU is user + system time; pinned counts JFR "
                + "`jdk.VirtualThreadPinned` events (virtual and helidon only)."));
        List<Block.Column> columns = List.of(text("benchmark"), text("protocol"), text("workload"), number("connections"), text("server"),
                number("RSS MiB"), number("idle RSS MiB"), number("RSS / connection KiB"), number("threads"),
                number("CPU µs / request"), number("server CPU share"), number("pinned"), text("status"));
        List<List<String>> rows = points.stream().sorted(Comparator.comparing(Point::kind).thenComparing(ORDER)).map(p -> List.of(
                p.kind().id(), p.cell().protocol(), p.cell().workload(), Fmt.count(p.cell().connections()), p.server(),
                amount(p, Metric.SERVER_RSS), amount(p, Metric.SERVER_RSS_IDLE), amount(p, Metric.SERVER_RSS_PER_CONNECTION),
                p.metric(Metric.SERVER_THREADS).map(t -> Fmt.count(t.value())).orElse(DASH), amount(p, Metric.SERVER_CPU_PER_REQUEST),
                p.metric(Metric.SERVER_CPU_UTILIZATION).map(s -> Fmt.share(s.value())).orElse(DASH),
                p.metric(Metric.SERVER_PINNED).map(s -> Fmt.count(s.value())).orElse(DASH), status(p))).toList();
        out.add(new Block.Table(columns, rows));
    }

    private static String ms(Point p, Metric metric) {
        return p.metric(metric).map(s -> Fmt.sig3(s.value())).orElse(DASH);
    }

    private static String amount(Point p, Metric metric) {
        return p.metric(metric).map(s -> Fmt.amount(s.value())).orElse(DASH);
    }

    private static String status(Point p) {
        return p.failed() ? "**FAILED**: " + p.failure() : "ok";
    }

    // ---- charts -----------------------------------------------------------------------------

    private static void charts(Charts.ChartSet charts, List<Block> out) {
        out.add(new Block.Heading(2, "Charts"));
        section(charts, Chart.Section.THROUGHPUT, "Throughput vs connections", out);
        section(charts, Chart.Section.LATENCY, "Latency percentile spectrum at the same offered load", out);
        section(charts, Chart.Section.CAPACITY, "Capacity at the SLO", out);
        section(charts, Chart.Section.COST, "Memory and threads", out);
        if (!charts.notes().isEmpty()) {
            out.add(new Block.Bullets(charts.notes()));
        }
    }

    private static void section(Charts.ChartSet charts, Chart.Section section, String heading, List<Block> out) {
        List<Chart> list = charts.section(section);
        if (list.isEmpty()) {
            return;
        }
        out.add(new Block.Heading(3, heading));
        for (Chart chart : list) {
            out.add(new Block.Figure(chart));
            if (!chart.caption().isEmpty()) {
                out.add(new Block.Paragraph(chart.caption()));
            }
        }
    }

    // ---- sanity checks ----------------------------------------------------------------------

    /** A first measurement's gated value with its unit: p99 for a latency point, the rate otherwise. */
    private static String firstValue(Remeasurement first, SuiteResults results) {
        boolean latency = results.point(first.id()).map(p -> p.kind() == Kind.LATENCY).orElse(false);
        String value = Double.isFinite(first.error()) && first.error() > 0 ? Fmt.withError(first.value(), first.error())
                : Fmt.amount(first.value());
        return latency ? "p99 " + value + " ms" : value + " req/s";
    }

    private static void sanity(SuiteResults results, List<Block> out) {
        out.add(new Block.Heading(2, "Sanity checks"));
        if (!results.notMeasured().isEmpty()) {
            out.add(new Block.Heading(3, "Points not measured"));
            out.add(new Block.Bullets(results.notMeasured().stream()
                    .map(failure -> "`" + failure.id() + "`: " + failure.reason()).toList()));
        }
        if (!results.remeasured().isEmpty()) {
            out.add(new Block.Heading(3, "Points measured twice"));
            out.add(new Block.Paragraph("These regressed against the baseline on their first measurement and were measured "
                    + "again at the end of the run; this report and the gate show the second measurement. The first is in "
                    + "`" + Remeasurement.FILE + "` and `" + Remeasurement.DIR + "/`."));
            out.add(new Block.Bullets(results.remeasured().stream().map(first -> "`" + first.id() + "`: first "
                    + (first.failure().isEmpty() ? firstValue(first, results) : "failed (" + first.failure() + ")")).toList()));
        }
        littlesLaw(results.points(), out);
        generator(results.points(), out);
        List<Point> notHeld = SanityChecks.connectionsNotHeld(results.points());
        out.add(new Block.Heading(3, "Connections held"));
        out.add(new Block.Paragraph(notHeld.isEmpty()
                ? "Every point held all its connections to the end of every iteration."
                : "Points that at some iteration's end held fewer connections than asked: " + notHeld.stream()
                .map(p -> "`" + p.id() + "` (" + Fmt.count(p.value(Metric.CONNECTIONS_OPEN)) + " of " + Fmt.count(p.cell().connections()) + ")")
                .collect(Collectors.joining(", ")) + "."));
        steal(results.points(), out);
    }

    private static void steal(List<Point> points, List<Block> out) {
        out.add(new Block.Heading(3, "CPU steal"));
        double highest = SanityChecks.highestSteal(points);
        if (Double.isNaN(highest)) {
            out.add(new Block.Paragraph("Not read in this run: it needs Linux's `/proc/stat`."));
            return;
        }
        List<SanityChecks.Steal> stolen = SanityChecks.stolen(points);
        String threshold = Fmt.percent(CpuSteal.Share.NOTABLE);
        if (stolen.isEmpty()) {
            out.add(new Block.Paragraph("At no point did the hypervisor take more than " + threshold + " of the server's or the"
                    + " generator's CPUs' time (the most at any point: " + Fmt.percent(highest) + "), so the host's other guests"
                    + " are not in these numbers."));
            return;
        }
        out.add(new Block.Paragraph("At these points the hypervisor took more than " + threshold + " of the server's or the"
                + " generator's CPUs' time (CPU steal, the `st` of top): the host ran other guests on them, and their latencies and"
                + " rates hold those waits as well as the server's. Compare them with a run on a quieter host before reading a"
                + " difference into them."));
        out.add(new Block.Table(List.of(text("point"), number("server CPU steal"), number("generator CPU steal")),
                stolen.stream().map(s -> List.of("`" + s.point().id() + "`", Fmt.percent(s.server()), Fmt.percent(s.generator()))).toList()));
    }

    private static void littlesLaw(List<Point> points, List<Block> out) {
        out.add(new Block.Heading(3, "Little's law on the wait workload"));
        List<SanityChecks.LittlesLaw> checks = SanityChecks.littlesLaw(points);
        out.add(new Block.Paragraph("Each request waits " + Fmt.brief(SanityChecks.WAIT_MS) + " ms, so with n requests in flight "
                + "no server answers more than n / " + Fmt.brief(SanityChecks.WAIT_MS) + " ms. In flight: the connections; for the "
                + "pool, whose " + SanityChecks.POOL_THREADS + " threads each hold one connection, min(connections, "
                + SanityChecks.POOL_THREADS + "). Measured above the bound beyond its error means the wait or the pool is not what "
                + "this report assumes."));
        if (checks.isEmpty()) {
            out.add(new Block.Paragraph("No throughput or capacity point of the wait workload in this run."));
            return;
        }
        List<Block.Column> columns = List.of(text("benchmark"), text("protocol"), number("connections"), text("server"),
                number("in flight at most"), number("bound req/s"), number("measured req/s"), number("measured / bound"), text("verdict"));
        out.add(new Block.Table(columns, checks.stream().map(c -> List.of(c.point().kind().id(), c.point().cell().protocol(),
                Fmt.count(c.point().cell().connections()), c.point().server(), Fmt.count(c.inFlight()), Fmt.count(c.bound()),
                Fmt.withError(c.point().score()), Fmt.percent(c.ratio()),
                c.point().failed() ? "**FAILED**: " + c.point().failure()
                        : c.exceeded() ? "**above the bound**" : "within the bound")).toList()));
    }

    private static void generator(List<Point> points, List<Block> out) {
        out.add(new Block.Heading(3, "The generator: send lag and CPU"));
        out.add(new Block.Paragraph("The generator was the limit, not the server, where its CPU share was at least "
                + Fmt.brief(SanityChecks.SATURATED_CPU) + " while the server's was below " + Fmt.brief(SanityChecks.SATURATED_CPU)
                + ", or (open model) where its send lag p99 exceeded " + Fmt.brief(SanityChecks.SEND_LAG_LIMIT_MS) + " ms."));
        List<SanityChecks.GeneratorCheck> checks = SanityChecks.generator(points);
        List<Block.Column> columns = List.of(text("point"), number("generator CPU share"), number("generator CPU µs / request"),
                number("server CPU share"), number("send lag p99 ms"), text("generator the limit?"));
        out.add(new Block.Table(columns, checks.stream().map(c -> List.of("`" + c.point().id() + "`", share(c.generatorCpu()),
                amount(c.point(), Metric.GENERATOR_CPU_PER_REQUEST),
                share(c.serverCpu()), Double.isNaN(c.sendLagP99()) ? DASH : Fmt.sig3(c.sendLagP99()),
                c.generatorLimited() ? "**yes**: " + String.join("; ", c.rules()) : "no")).toList()));
        List<SanityChecks.GeneratorCheck> limited = checks.stream().filter(SanityChecks.GeneratorCheck::generatorLimited).toList();
        out.add(new Block.Heading(3, "Points where the generator was the limit"));
        out.add(limited.isEmpty()
                ? new Block.Paragraph("None: at every point the server, not the generator, set the numbers.")
                : new Block.Bullets(limited.stream().map(c -> "`" + c.point().id() + "`: " + String.join("; ", c.rules())
                + ". Its numbers say as much about the generator as about the server.").toList()));
    }

    // ---- agreement with other tools ---------------------------------------------------------

    private static void agreement(SuiteResults results, List<Block> out) {
        out.add(new Block.Heading(2, "Agreement with wrk and h2load"));
        if (results.agreement().isEmpty()) {
            out.add(new Block.Paragraph("Not checked for this run: `mvn verify -Pagreement` measures the suite's throughput beside wrk's"
                    + " and h2load's against the same server and adds the table here."));
            return;
        }
        AgreementCheck.Agreement agreement = results.agreement().get();
        out.add(new Block.Paragraph(agreement.note() + " They should agree within "
                + Fmt.percent(AgreementCheck.TOLERANCE) + "."));
        List<Block.Column> columns = List.of(number("connections"), text("tool"), number("req/s"), number("/ suite"),
                number("tool CPU"), number("server CPU"), text("verdict"));
        out.add(new Block.Table(columns, agreement.rows().stream().map(row -> {
            double suite = agreement.rows().stream().filter(r -> r.connections() == row.connections() && r.tool().equals("loombench suite"))
                    .mapToDouble(AgreementCheck.Row::rate).findFirst().orElse(Double.NaN);
            return List.of(Fmt.count(row.connections()), row.tool(), Fmt.count(row.rate()), Fmt.sig3(row.rate() / suite),
                    share(row.toolCpu()), share(row.serverCpu()), row.verdict());
        }).toList()));
    }

    private static String share(double v) {
        return Double.isNaN(v) ? DASH : Fmt.share(v);
    }

    private static String shortCommit(String commit) {
        return commit.length() > 12 ? commit.substring(0, 12) : commit;
    }
}

package io.loombench.benchmarks.report;

import io.loombench.benchmarks.Metric;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.series.AxesChartSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The report's charts, drawn with XChart as SVG. Failed points are left out of every chart (and
 * the caption says so): a line through a failed point would show a number that means nothing.
 * Every server has the same colour in every chart; peers are dashed.
 */
final class Charts {

    /** Where, under the run directory, the SVG files go. */
    static final String DIR = "charts";

    /**
     * @param charts the charts, by section, each section in cell order
     * @param notes  charts that could not be drawn, and why
     */
    record ChartSet(List<Chart> charts, List<String> notes) {
        List<Chart> section(Chart.Section section) {
            return charts.stream().filter(c -> c.section() == section).toList();
        }
    }

    private static final int WIDTH = 800;
    private static final int HEIGHT = 460;
    private static final Map<String, Color> COLORS = Map.of(
            "virtual", new Color(31, 119, 180), "pool", new Color(255, 127, 14), "nio", new Color(44, 160, 44),
            "netty", new Color(110, 110, 110), "helidon", new Color(148, 103, 189));
    private static final List<Color> OTHER_COLORS = List.of(new Color(214, 39, 40), new Color(140, 86, 75), new Color(23, 190, 207));
    /** Percentiles marked on the spectrum's x axis, while the data reaches them. */
    private static final double[] SPECTRUM_MARKS = {50, 90, 99, 99.9, 99.99, 99.999, 99.9999};
    /** Percentile steps per halving of the distance to 100%, as HdrHistogram's own percentile output. */
    private static final int TICKS_PER_HALF_DISTANCE = 5;

    static {
        // Charts are drawn with AWT, which must not look for a display (a CI machine has none);
        // set before any chart exists, since AWT reads it once.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Charts() {
    }

    static ChartSet build(SuiteResults results) throws IOException {
        List<Chart> charts = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Map.Entry<Group, List<Point>> group : byGroup(results.points(Kind.THROUGHPUT)).entrySet()) {
            Group g = group.getKey();
            List<Point> points = group.getValue();
            lines(Chart.Section.THROUGHPUT, "throughput-" + g.id(),
                    "Throughput vs connections: " + g.label() + " (closed model; bars: JMH 99.9% error)",
                    "requests/s", points, p -> p.primary().value(), p -> p.primary().errorOrZero())
                    .ifPresentOrElse(charts::add, () -> notes.add("No throughput chart for " + g.label() + ": every point failed."));
            lines(Chart.Section.COST, "rss-per-conn-" + g.id(),
                    "Server RSS per connection vs connections: " + g.label() + " (throughput runs)",
                    "KiB per connection", points, p -> p.value(Metric.SERVER_RSS_PER_CONNECTION), null)
                    .ifPresentOrElse(charts::add, () -> notes.add("No RSS chart for " + g.label() + ": no point reported it."));
            lines(Chart.Section.COST, "threads-" + g.id(),
                    "Server threads vs connections: " + g.label() + " (throughput runs)",
                    "threads", points, p -> p.value(Metric.SERVER_THREADS), null)
                    .ifPresentOrElse(charts::add, () -> notes.add("No threads chart for " + g.label() + ": no point reported it."));
        }
        for (Map.Entry<Cell, List<Point>> cell : byCell(results.points(Kind.LATENCY)).entrySet()) {
            spectrum(results, cell.getKey(), cell.getValue()).ifPresentOrElse(charts::add,
                    () -> notes.add("No latency spectrum for " + cell.getKey().label()
                            + ": no point that did not fail has an HdrHistogram log."));
        }
        for (Map.Entry<Cell, List<Point>> cell : byCell(results.points(Kind.CAPACITY)).entrySet()) {
            capacity(cell.getKey(), cell.getValue()).ifPresentOrElse(charts::add,
                    () -> notes.add("No capacity chart for " + cell.getKey().label() + ": every point failed."));
        }
        charts.sort(Comparator.comparing(Chart::section));
        return new ChartSet(List.copyOf(charts), List.copyOf(notes));
    }

    /**
     * One line per server over connections, with error bars when {@code error} is given; points
     * without the value are left out like failed ones. Empty when no point is left to draw.
     */
    private static Optional<Chart> lines(Chart.Section section, String name, String title, String yTitle, List<Point> points,
                                         ToDoubleFunction<Point> value, ToDoubleFunction<Point> error) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("connections").yAxisTitle(yTitle).build();
        style(chart.getStyler());
        int fewest = points.stream().mapToInt(p -> p.cell().connections()).min().orElse(1);
        int most = points.stream().mapToInt(p -> p.cell().connections()).max().orElse(1);
        // Connection counts in a matrix grow by factors (64, 1,000, 10,000): a log axis spaces them evenly.
        chart.getStyler().setXAxisLogarithmic(most >= 10L * fewest);
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        chart.getStyler().setYAxisDecimalPattern("#,##0.##");
        chart.getStyler().setYAxisMin(0.0);
        List<String> series = new ArrayList<>();
        for (Map.Entry<String, List<Point>> server : byServer(points).entrySet()) {
            List<Point> drawn = server.getValue().stream().filter(p -> !p.failed() && Double.isFinite(value.applyAsDouble(p)))
                    .sorted(Comparator.comparingInt(p -> p.cell().connections())).toList();
            if (drawn.isEmpty()) {
                continue;
            }
            double[] x = drawn.stream().mapToDouble(p -> p.cell().connections()).toArray();
            double[] y = drawn.stream().mapToDouble(value).toArray();
            XYSeries s = error == null ? chart.addSeries(Servers.seriesName(server.getKey()), x, y)
                    : chart.addSeries(Servers.seriesName(server.getKey()), x, y, drawn.stream().mapToDouble(error).toArray());
            look(s, server.getKey(), series.size());
            s.setMarker(Servers.isModel(server.getKey()) ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND);
            series.add(s.getName());
        }
        if (series.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Chart(section, name, title, leftOut(points), series, Svg.render(chart, name, title, series)));
    }

    /**
     * HdrHistogram's percentile plot: x is 1/(1-p) on a log scale, so every further nine of the
     * percentile gets the same room; y is the latency in ms, log scale. Computed from the merged
     * logs of every fork, so the curve is the exact distribution of every measured request.
     */
    private static Optional<Chart> spectrum(SuiteResults results, Cell cell, List<Point> points) throws IOException {
        String rate = points.stream().map(Point::rate).filter(r -> r.isPresent()).findFirst()
                .map(r -> Fmt.count(r.getAsDouble()) + " req/s offered").orElse("a fixed offered rate");
        String name = "latency-" + cell.id();
        String title = "Latency by percentile: " + cell.label() + ", " + rate;
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("percentile (log scale of 1/(1-p))").yAxisTitle("latency from intended send (ms)").build();
        style(chart.getStyler());
        List<String> series = new ArrayList<>();
        List<String> noLog = new ArrayList<>();
        double lowest = Double.MAX_VALUE;
        double highest = 0;
        double widest = 0;
        for (Point point : points) {
            if (point.failed()) {
                continue;
            }
            Optional<LatencyLogs> logs = results.latencyLogs(point);
            if (logs.isEmpty() || logs.get().response().getTotalCount() == 0) {
                noLog.add(point.server());
                continue;
            }
            double[][] xy = percentileCurve(logs.get().response());
            XYSeries s = chart.addSeries(Servers.seriesName(point.server()), xy[0], xy[1]);
            look(s, point.server(), series.size());
            s.setMarker(SeriesMarkers.NONE);
            series.add(s.getName());
            lowest = Math.min(lowest, xy[1][0]);
            highest = Math.max(highest, xy[1][xy[1].length - 1]);
            widest = Math.max(widest, xy[0][xy[0].length - 1]);
        }
        if (series.isEmpty()) {
            return Optional.empty();
        }
        AxesChartStyler styler = chart.getStyler();
        // The y range hugs the data, with a band below the lowest latency for the percentile
        // labels, where no curve can run (every curve starts at or above it).
        double span = Math.max(Math.log10(highest / lowest), 0.5);
        double logMin = Math.log10(lowest) - 0.12 * span;
        double logMax = Math.log10(highest) + 0.05 * span;
        styler.setYAxisLogarithmic(true).setYAxisLogarithmicDecadeOnly(false).setYAxisDecimalPattern("#,##0.###");
        styler.setYAxisMin(Math.pow(10, logMin)).setYAxisMax(Math.pow(10, logMax)).setXAxisMin(0.0).setXAxisMax(widest * 1.02);
        // XChart puts linear ticks where it likes; the percentiles are marked by hand instead.
        styler.setXAxisTicksVisible(false).setPlotGridVerticalLinesVisible(false);
        double labelY = Math.pow(10, logMin + 0.025 * (logMax - logMin));
        for (double p : SPECTRUM_MARKS) {
            double x = Math.log10(1 / (1 - p / 100));
            if (x <= widest) {
                chart.addAnnotation(new AnnotationLine(x, true, false));
                chart.addAnnotation(new AnnotationText(percentLabel(p), x, labelY, false));
            }
        }
        String caption = join(leftOut(points), noLog.isEmpty() ? "" : "No HdrHistogram log: " + String.join(", ", noLog) + ".");
        return Optional.of(new Chart(Chart.Section.LATENCY, name, title, caption, series, Svg.render(chart, name, title, series)));
    }

    /** The curve's points: x = log10(1/(1-p)), y = ms; the 100% step (x infinite) is left out. */
    static double[][] percentileCurve(Histogram histogram) {
        List<double[]> curve = new ArrayList<>();
        for (HistogramIterationValue v : histogram.percentiles(TICKS_PER_HALF_DISTANCE)) {
            double p = v.getPercentileLevelIteratedTo() / 100;
            if (p >= 1) {
                break;
            }
            // 1 µs is the logs' lowest discernible value; a 0 would have no place on a log axis.
            curve.add(new double[] {Math.log10(1 / (1 - p)), Math.max(1, v.getValueIteratedTo()) / 1000.0});
        }
        return new double[][] {curve.stream().mapToDouble(c -> c[0]).toArray(), curve.stream().mapToDouble(c -> c[1]).toArray()};
    }

    private static String percentLabel(double p) {
        return (p == Math.rint(p) ? String.valueOf((int) p) : String.valueOf(p)) + "%";
    }

    /** Capacity of each server at one cell as bars with JMH's error; the SLO in the title. */
    private static Optional<Chart> capacity(Cell cell, List<Point> points) {
        List<Point> drawn = points.stream().filter(p -> !p.failed()).toList();
        if (drawn.isEmpty()) {
            return Optional.empty();
        }
        String slo = points.stream().map(Point::slo).flatMap(Optional::stream).findFirst().orElse("the SLO");
        String name = "capacity-" + cell.id();
        String title = "Capacity at " + slo + ": " + cell.label() + " (bars: JMH 99.9% error)";
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(cell.label()).yAxisTitle("highest rate meeting the SLO (req/s)").build();
        style(chart.getStyler());
        chart.getStyler().setYAxisDecimalPattern("#,##0").setYAxisMin(0.0);
        List<String> series = new ArrayList<>();
        for (Point p : drawn) {
            CategorySeries s = chart.addSeries(Servers.seriesName(p.server()), List.of(slo),
                    List.of(p.score().value()), List.of(p.score().errorOrZero()));
            Color color = color(p.server(), series.size());
            s.setFillColor(color);
            s.setLineColor(color);
            series.add(s.getName());
        }
        return Optional.of(new Chart(Chart.Section.CAPACITY, name, title, leftOut(points), series, Svg.render(chart, name, title, series)));
    }

    private static void style(AxesChartStyler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(false);
        styler.setLegendBorderColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(225, 225, 225));
        // Solid strokes: VectorGraphics2D writes a dashed grid line as hundreds of segments.
        styler.setPlotGridLinesStroke(new BasicStroke(0.6f));
        styler.setAxisTickMarksStroke(new BasicStroke(1f));
        styler.setAnnotationLineStroke(new BasicStroke(0.6f));
        styler.setAnnotationLineColor(new Color(170, 170, 170));
        styler.setAnnotationTextFontColor(new Color(90, 90, 90));
        styler.setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        styler.setErrorBarsColorSeriesColor(true);
        styler.setMarkerSize(7);
    }

    private static void look(AxesChartSeries series, String server, int index) {
        series.setLineColor(color(server, index));
        if (series instanceof XYSeries xy) {
            xy.setMarkerColor(color(server, index));
        }
        series.setLineStyle(Servers.isModel(server) ? new BasicStroke(2f)
                : new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f));
    }

    private static Color color(String server, int index) {
        return COLORS.getOrDefault(server, OTHER_COLORS.get(index % OTHER_COLORS.size()));
    }

    /** The caption naming failed points left out of a chart, or empty. */
    private static String leftOut(List<Point> points) {
        String failed = points.stream().filter(Point::failed)
                .map(p -> p.server() + " at " + Fmt.count(p.cell().connections()) + " connections (" + p.failure() + ")")
                .collect(Collectors.joining("; "));
        return failed.isEmpty() ? "" : "Left out, failed: " + failed + ".";
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : a + " " + b;
    }

    /** A protocol and a workload: the points one chart over connections shows. */
    private record Group(String protocol, String workload) {
        String id() {
            return protocol + "-" + workload;
        }

        String label() {
            return protocol + ", " + workload;
        }
    }

    /** Points by protocol and workload, in cell order. */
    private static Map<Group, List<Point>> byGroup(List<Point> points) {
        Map<Group, List<Point>> groups = new LinkedHashMap<>();
        points.stream().sorted(Comparator.comparing(Point::cell))
                .forEach(p -> groups.computeIfAbsent(new Group(p.cell().protocol(), p.cell().workload()), k -> new ArrayList<>()).add(p));
        return groups;
    }

    private static Map<Cell, List<Point>> byCell(List<Point> points) {
        return points.stream().sorted(Comparator.comparing(Point::server, Servers.ORDER))
                .collect(Collectors.groupingBy(Point::cell, TreeMap::new, Collectors.toList()));
    }

    private static Map<String, List<Point>> byServer(List<Point> points) {
        return points.stream().collect(Collectors.groupingBy(Point::server, () -> new TreeMap<>(Servers.ORDER), Collectors.toList()));
    }
}

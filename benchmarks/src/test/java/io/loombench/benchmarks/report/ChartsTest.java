package io.loombench.benchmarks.report;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ChartsTest {

    private static final String SVG = "http://www.w3.org/2000/svg";

    @TempDir
    static Path dir;
    private static Charts.ChartSet charts;

    @BeforeAll
    static void build() throws IOException {
        charts = Charts.build(SuiteResults.read(Fixtures.run(dir)));
    }

    @Test
    void oneChartOfEachKindPerGroup() {
        assertThat(charts.charts()).extracting(Chart::name).containsExactly(
                "throughput-http-none", "throughput-http-wait", "latency-http-wait-c1000", "capacity-http-wait-c1000",
                "rss-per-conn-http-none", "threads-http-none", "rss-per-conn-http-wait", "threads-http-wait");
        assertThat(charts.notes()).isEmpty();
    }

    @Test
    void everyChartIsValidSvgNamingItsSeries() throws Exception {
        for (Chart chart : charts.charts()) {
            Document svg = ReportTest.xml(chart.svg());
            Element root = svg.getDocumentElement();

            assertThat(root.getNamespaceURI()).as(chart.name()).isEqualTo(SVG);
            assertThat(root.getLocalName()).isEqualTo("svg");
            assertThat(text(svg, "title")).isEqualTo(chart.title());
            assertThat(text(svg, "desc")).isEqualTo("series: " + String.join(", ", chart.series()));
            assertThat(svg.getElementsByTagNameNS(SVG, "path").getLength()).isPositive();
        }
    }

    @Test
    void throughputHasEveryServerModelsAndPeersInItsOwnColour() {
        Chart chart = chart("throughput-http-none");

        assertThat(chart.series()).containsExactly("virtual", "pool", "nio", "netty (peer)", "helidon (peer)");
        assertThat(chart.svg()).contains("rgb(31,119,180)", "rgb(255,127,14)", "rgb(44,160,44)", "rgb(110,110,110)", "rgb(148,103,189)");
    }

    @Test
    void failedPointsAreLeftOutAndTheCaptionSaysSo() {
        Chart chart = chart("throughput-http-wait");

        assertThat(chart.series()).containsExactly("virtual", "pool", "nio");
        assertThat(chart.caption()).isEqualTo("Left out, failed: pool at 10,000 connections (connect 5, timeout 30).");
    }

    @Test
    void theSpectrumHasAServerPerLineAtTheSameOfferedLoad() {
        Chart chart = chart("latency-http-wait-c1000");

        assertThat(chart.series()).containsExactly("virtual", "pool", "nio");
        assertThat(chart.title()).contains("15,000 req/s offered");
        assertThat(chart.caption()).isEmpty();
    }

    @Test
    void svgIdsAreUniqueAcrossCharts() throws Exception {
        Set<String> ids = new HashSet<>();
        for (Chart chart : charts.charts()) {
            NodeList all = ReportTest.xml(chart.svg()).getElementsByTagName("*");
            for (int i = 0; i < all.getLength(); i++) {
                String id = ((Element) all.item(i)).getAttribute("id");
                if (!id.isEmpty()) {
                    assertThat(ids.add(id)).as(id).isTrue();
                    assertThat(id).startsWith(chart.name() + "-");
                }
            }
        }
        assertThat(ids).isNotEmpty();
    }

    @Test
    void percentileCurveIsHdrHistogramsOnALogScaleOfOneOverOneMinusP() {
        Histogram h = new Histogram(1, 60_000_000, 3);
        for (int i = 1; i <= 10_000; i++) {
            h.recordValue(i * 10L);
        }
        double[][] curve = Charts.percentileCurve(h);

        assertThat(curve[0][0]).isZero();
        for (int i = 1; i < curve[0].length; i++) {
            assertThat(curve[0][i]).isGreaterThanOrEqualTo(curve[0][i - 1]);
            assertThat(curve[1][i]).isGreaterThanOrEqualTo(curve[1][i - 1]);
        }
        // Each point's latency is HdrHistogram's own at the percentile its x stands for, in ms.
        for (int i = 0; i < curve[0].length; i++) {
            double p = 100 * (1 - Math.pow(10, -curve[0][i]));
            double expected = Math.max(1, h.getValueAtPercentile(p)) / 1000.0;
            assertThat(curve[1][i]).as("p%s", p).isCloseTo(expected, within(expected * 0.002 + 0.001));
        }
        assertThat(curve[0][curve[0].length - 1]).isFinite();
    }

    @Test
    void writesChartFilesThatTheReportReferences() throws Exception {
        Path run = Fixtures.run(dir.resolve("tool"));
        Files.createDirectories(run.resolve(Charts.DIR));
        Files.writeString(run.resolve(Charts.DIR).resolve("stale.svg"), "<svg/>");

        ReportTool.run(run, null, Gate.DEFAULT_THRESHOLD, false, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));

        try (var files = Files.list(run.resolve(Charts.DIR))) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList())
                    .isEqualTo(charts.charts().stream().map(Chart::fileName).sorted().toList());
        }
    }

    private static Chart chart(String name) {
        return charts.charts().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    private static String text(Document svg, String element) {
        return svg.getElementsByTagNameNS(SVG, element).item(0).getTextContent();
    }
}

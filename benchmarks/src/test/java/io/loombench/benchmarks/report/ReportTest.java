package io.loombench.benchmarks.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.loombench.benchmarks.suite.AgreementCheck;
import io.loombench.benchmarks.suite.SuiteRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The report rendered once from the recorded run: its sections, its answer, its sanity checks. */
class ReportTest {

    private static final List<String> SECTIONS = List.of("The answer", "Environment", "Tables", "Charts", "Sanity checks",
            "Agreement with wrk and h2load");

    @TempDir
    static Path dir;
    private static Path run;
    private static String markdown;
    private static String html;

    @BeforeAll
    static void render() throws Exception {
        run = Fixtures.run(dir);
        int status = ReportTool.run(run, null, Gate.DEFAULT_THRESHOLD, false, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(status).isZero();
        markdown = Files.readString(run.resolve(ReportTool.REPORT_MD));
        html = Files.readString(run.resolve(ReportTool.REPORT_HTML));
    }

    /** A run that left points unmeasured and was checked against wrk says both, in the report's words. */
    @Test
    void pointsNotMeasuredPointsMeasuredTwiceAndTheAgreementCheckAreReported(@TempDir Path other) throws Exception {
        Path checked = Fixtures.run(other);
        Files.writeString(checked.resolve(SuiteRunner.Failure.FILE), """
                [ { "id" : "latency-http-cpu-c64-helidon", "benchmark" : "io.loombench.benchmarks.LatencyBenchmark.latency",
                    "params" : { "server" : "helidon" }, "reason" : "server printed no ready line within 60 s (see logs/x.jmh.log)" } ]
                """);
        AgreementCheck.Agreement agreement = new AgreementCheck.Agreement("`nio` server, measured by hand.", List.of(
                new AgreementCheck.Row(64, "loombench suite", 120_000, 0.8, 0.95, "the reference"),
                new AgreementCheck.Row(64, "wrk", 100_000, 1.0, 0.8, "-17%: wrk used 100% of its CPU")));
        new ObjectMapper().writeValue(checked.resolve(AgreementCheck.Agreement.FILE).toFile(), agreement);
        new ObjectMapper().writeValue(checked.resolve(Remeasurement.FILE).toFile(), List.of(
                new Remeasurement("throughput-http-none-c64-nio", 100_000, 4_000, ""),
                new Remeasurement("latency-http-wait-c1000-pool", 31.5, Double.NaN, ""),
                new Remeasurement("throughput-http-wait-c10000-pool", Double.NaN, Double.NaN, "timeout 733")));

        ReportTool.run(checked, null, Gate.DEFAULT_THRESHOLD, false, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        String report = Files.readString(checked.resolve(ReportTool.REPORT_MD));

        assertThat(section(report, "Sanity checks")).contains("### Points not measured")
                .contains("`latency-http-cpu-c64-helidon`: server printed no ready line within 60 s")
                .contains("### Points measured twice", "`throughput-http-none-c64-nio`: first 100,000 ± 4,000 req/s",
                        "`latency-http-wait-c1000-pool`: first p99 31.5 ms", "`throughput-http-wait-c10000-pool`: first failed (timeout 733)");
        assertThat(section(markdown, "Sanity checks")).doesNotContain("measured twice");
        assertThat(section(report, "Agreement with wrk and h2load")).contains("`nio` server, measured by hand.")
                .contains("| 64 | wrk | 100,000 | 0.833 | 1.00 | 0.80 | -17%: wrk used 100% of its CPU |");
        assertThat(section(markdown, "Agreement with wrk and h2load")).contains("Not checked for this run: `mvn verify -Pagreement`");
    }

    @Test
    void opensWithTheAnswerThenTheSectionsInOrder() {
        List<String> headings = markdown.lines().filter(l -> l.startsWith("## ")).map(l -> l.substring(3)).toList();

        assertThat(headings).containsExactlyElementsOf(SECTIONS);
        assertThat(markdown.lines().findFirst()).contains("# loombench report: 2025-06-02T09:14:03Z");
    }

    @Test
    void theAnswerNamesTheWinnerTheRatioTheTiesAndTheFailed() {
        String answer = section(markdown, "The answer");

        assertThat(answer).contains("| http | none | 64 | **nio** | 1.14 [1.10, 1.18] over virtual | 0.970 [0.943, 0.997] | 1.45 [1.40, 1.51] | — |");
        assertThat(answer).contains("| http | none | 1,000 | tie: nio, virtual | 1.01 [0.941, 1.09] over virtual |");
        assertThat(answer).contains("| http | wait | 10,000 | **virtual** | 1.15 [1.12, 1.18] over nio | — | — | **pool** (connect 5, timeout 30) |");
        assertThat(answer).contains("| http | wait | 1,000 | `p99<=20ms` | tie: virtual, nio | 1.03 [0.952, 1.12] over nio |");
        assertThat(answer).contains("**Failed points**").contains("`throughput-http-wait-c10000-pool` (connect 5, timeout 30)");
    }

    @Test
    void statesTheEnvironmentNearTheTop() {
        String env = section(markdown, "Environment");

        assertThat(env).contains("Server JVM: 25.0.1+8-LTS (Eclipse Adoptium", "CPU: AMD EPYC 7B13, 2 usable",
                "pinned with taskset: server on CPUs 1, generator on CPUs 0", "kernel 6.1.0-18-amd64",
                "`1da7ea2f3b0c4d5e6f708192a3b4c5d6e7f80912` (clean)", "Command: `mvn verify -Pbench`",
                "JMH, per point: throughput 2 forks × 3 measured iterations of 10 s after 2 warm-up of 5 s", "capacity 1 fork × 1 search");
        assertThat(env).as("the collector each JVM ran with, named apart from its flags")
                .contains("`/usr/lib/jvm/temurin-25-jdk-amd64/bin/java`, collector **Serial**, flags `-Xmx2g`")
                .contains(", collector **G1**, flags `-Xmx1g -XX:+UseG1GC`");
    }

    @Test
    void tablesMarkFailuresAndShowTheKeySecondaries() {
        String tables = section(markdown, "Tables");

        assertThat(tables).contains("| http | wait | 10,000 | pool | 19,000 ± 500 | 480 | 620 | 900 | 1,500 | **FAILED**: connect 5, timeout 30 |");
        assertThat(tables).contains("| http | wait | 1,000 | nio | 15,000 | 14,997 ± 6 | 100.0% | 10.1 | 10.3 | 10.9 | 13.2 | 22.0 | 1.60 | ok |");
        assertThat(tables).contains("| http | wait | 1,000 | virtual | `p99<=20ms` | 60,000 ± 1,000 | 63,000 ± 1,000 | 18.4 | 6 | ok |");
        assertThat(tables).contains("| throughput | http | none | 64 | virtual | 42.6 | 42.0 | 9.50 | 24 | 6.93 | 0.97 | 2 | ok |");
        assertThat(tables).contains("| http | none | 64 | netty (peer) |");
    }

    @Test
    void sanityChecksLittlesLawAndTheGenerator() {
        String sanity = section(markdown, "Sanity checks");

        assertThat(sanity).contains("| throughput | http | 1,000 | pool | 200 | 20,000 | 19,500 ± 150 | 97.5% | within the bound |");
        assertThat(sanity).contains("`throughput-http-none-c64-netty`: generator CPU 0.95 ≥ 0.9 while server CPU 0.70 < 0.9");
        assertThat(sanity).contains("`latency-http-wait-c1000-nio`: send lag p99 1.60 ms > 1 ms");
        assertThat(sanity).contains("`throughput-http-wait-c10000-pool` (9,963 of 10,000)");
    }

    /** The recorded run's generator lost a third of its CPU at one point (gen.cpu.steal 0.32) and under 1% elsewhere. */
    @Test
    void sanityChecksNameThePointsWhoseCpusTheHostTook() {
        String sanity = section(markdown, "Sanity checks");
        String steal = sanity.substring(sanity.indexOf("\n### CPU steal\n"));

        assertThat(steal).contains("At these points the hypervisor took more than 5.0% of the server's or the generator's CPUs' time");
        assertThat(steal).contains("| `throughput-http-none-c64-nio` | 0.4% | 32.0% |");
        assertThat(steal.lines().filter(line -> line.startsWith("| `"))).hasSize(1);
    }

    @Test
    void markdownPointsAtEveryChartFile() throws Exception {
        List<String> files = chartFiles();

        assertThat(files).contains("throughput-http-none.svg", "throughput-http-wait.svg", "latency-http-wait-c1000.svg",
                "capacity-http-wait-c1000.svg", "rss-per-conn-http-wait.svg", "threads-http-wait.svg");
        for (String file : files) {
            assertThat(markdown).contains("](charts/" + file + ")");
        }
    }

    @Test
    void htmlHasTheSameSectionsAndEmbedsEverySvg() throws Exception {
        Document page = xml(html);
        List<String> headings = new ArrayList<>();
        NodeList h2 = page.getElementsByTagNameNS("http://www.w3.org/1999/xhtml", "h2");
        for (int i = 0; i < h2.getLength(); i++) {
            headings.add(h2.item(i).getTextContent());
        }
        NodeList svgs = page.getElementsByTagNameNS("http://www.w3.org/2000/svg", "svg");

        assertThat(headings).containsExactlyElementsOf(SECTIONS);
        assertThat(svgs.getLength()).isEqualTo(chartFiles().size());
        assertThat(((Element) svgs.item(0)).getElementsByTagNameNS("http://www.w3.org/2000/svg", "path").getLength()).isPositive();
        assertThat(html).contains("<td>tie: nio, virtual</td>").contains("<strong>FAILED</strong>: connect 5, timeout 30")
                .contains("<code>p99&lt;=20ms</code>").doesNotContain("<?xml version");
    }

    @Test
    void markdownAndHtmlSayTheSame() {
        // Every table row of the Markdown, stripped of its marks, is a row of the HTML.
        List<String> rows = section(markdown, "The answer").lines().filter(l -> l.startsWith("| http")).toList();
        assertThat(rows).isNotEmpty();
        for (String row : rows) {
            String firstCells = row.substring(2, row.indexOf(" |", row.indexOf(" |") + 1)).replace(" | ", "</td><td>");
            assertThat(html).contains("<tr><td>" + firstCells + "</td>");
        }
    }

    @Test
    void renderingIsDeterministic() throws Exception {
        Path again = Fixtures.copy("run", dir.resolve("again"));
        Fixtures.writeHlogs(again);
        ReportTool.run(again, null, Gate.DEFAULT_THRESHOLD, false, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        assertThat(Files.readString(again.resolve(ReportTool.REPORT_HTML)).replace(again.getFileName().toString(), "run"))
                .isEqualTo(html.replace(run.getFileName().toString(), "run"));
        for (String file : chartFiles()) {
            assertThat(Files.readString(again.resolve("charts").resolve(file))).isEqualTo(Files.readString(run.resolve("charts").resolve(file)));
        }
    }

    static List<String> chartFiles() throws Exception {
        try (Stream<Path> files = Files.list(run.resolve(Charts.DIR))) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    static Document xml(String text) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** From the section's heading to the next section's. */
    private static String section(String markdown, String heading) {
        int start = markdown.indexOf("\n## " + heading + "\n");
        assertThat(start).as(heading).isNotNegative();
        int end = markdown.indexOf("\n## ", start + 1);
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }
}

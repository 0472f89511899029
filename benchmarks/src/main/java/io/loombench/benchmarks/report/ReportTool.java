package io.loombench.benchmarks.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;

/**
 * Turns a suite run's directory into {@code report.md}, {@code report.html} and
 * {@code charts/*.svg}, and gates it against a baseline into {@code gate.md}. The suite runner
 * calls {@link #run} after JMH; {@link #main} does the same by hand:
 *
 * <pre>ReportTool RUN_DIR [--baseline DIR] [--threshold 0.10] [--no-gate]</pre>
 */
public final class ReportTool {

    public static final String REPORT_MD = "report.md";
    public static final String REPORT_HTML = "report.html";
    public static final String GATE_MD = "gate.md";

    private static final String USAGE = """
            usage: ReportTool RUN_DIR [--baseline DIR] [--threshold 0.10] [--no-gate]
              RUN_DIR         a suite run's directory (jmh.json, env.json, hlog/); the report is written into it
              --baseline DIR  the run to gate against; default: the 'baseline' directory beside RUN_DIR
              --threshold F   relative change beyond which a worse metric is a regression (default 0.10 = 10%)
              --no-gate       write the report only
            exit status: 0 report written and gate passed (or off), 1 a regression, 2 bad arguments or input""";

    private ReportTool() {
    }

    /**
     * Writes the report into {@code runDir}, then, when {@code gate}, compares the run with the
     * baseline, prints the gate's table to {@code out} and writes it to {@code gate.md} (with the
     * gate off, an earlier {@code gate.md} stays as it was).
     *
     * @param baselineDirOrNull the baseline run's directory; null or a directory that does not
     *                          exist means no baseline, and the gate passes
     * @param threshold         relative change beyond which a worse metric regressed, e.g. 0.10
     * @return 0 when the gate passed or was off, 1 when something regressed
     * @throws IOException              when a file cannot be read or written
     * @throws IllegalArgumentException when a file is not what the suite writes, or the threshold is not positive
     */
    public static int run(Path runDir, Path baselineDirOrNull, double threshold, boolean gate, PrintStream out) throws IOException {
        return run(runDir, runDir, baselineDirOrNull, threshold, gate, out);
    }

    /**
     * As {@link #run(Path, Path, double, boolean, PrintStream)}, naming the run's directory as
     * {@code shownAs} in what it prints (the suite prints paths relative to the project).
     */
    public static int run(Path runDir, Path shownAs, Path baselineDirOrNull, double threshold, boolean gate, PrintStream out)
            throws IOException {
        Gate.requireThreshold(threshold);
        SuiteResults results = SuiteResults.read(runDir);
        Charts.ChartSet charts = Charts.build(results);
        writeCharts(runDir.resolve(Charts.DIR), charts.charts());
        Report report = Report.of(results, charts);
        write(runDir.resolve(REPORT_MD), MarkdownReport.render(report.blocks()));
        write(runDir.resolve(REPORT_HTML), HtmlReport.render(report.title(), report.blocks()));
        out.println("report: wrote " + shownAs.resolve(REPORT_MD) + ", " + REPORT_HTML + " and " + charts.charts().size()
                + " charts in " + Charts.DIR + "/");
        if (!gate) {
            out.println("gate: off");
            return 0;
        }
        GateResult result = baselineDirOrNull == null || !Files.isDirectory(baselineDirOrNull)
                ? Gate.withoutBaseline(results, threshold)
                : Gate.check(results, SuiteResults.read(baselineDirOrNull), threshold);
        String markdown = result.markdown();
        write(runDir.resolve(GATE_MD), markdown);
        out.print(markdown);
        out.flush();
        return result.passed() ? 0 : 1;
    }

    public static void main(String[] args) {
        System.exit(main(args, System.out, System.err));
    }

    /** {@link #main} without the exit: the exit status. */
    static int main(String[] args, PrintStream out, PrintStream err) {
        Path runDir = null;
        Path baseline = null;
        boolean baselineGiven = false;
        double threshold = Gate.DEFAULT_THRESHOLD;
        boolean gate = true;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--help", "-h" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    case "--baseline" -> {
                        baseline = Path.of(value(args, ++i, "--baseline"));
                        baselineGiven = true;
                    }
                    case "--threshold" -> threshold = threshold(value(args, ++i, "--threshold"));
                    case "--no-gate" -> gate = false;
                    default -> {
                        if (args[i].startsWith("-") || runDir != null) {
                            throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
                        }
                        runDir = Path.of(args[i]);
                    }
                }
            }
            if (runDir == null) {
                throw new IllegalArgumentException("no RUN_DIR given");
            }
        } catch (IllegalArgumentException e) {
            err.println("report: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (!baselineGiven) {
            baseline = besideRun(runDir);
        }
        try {
            return run(runDir, baseline, threshold, gate, out);
        } catch (IOException | IllegalArgumentException e) {
            err.println("report: " + e);
            return 2;
        }
    }

    /** {@code results/baseline} for {@code results/<run>}; null when the run is the baseline itself. */
    private static Path besideRun(Path runDir) {
        Path run = runDir.toAbsolutePath().normalize();
        Path parent = run.getParent();
        Path baseline = parent == null ? null : parent.resolve("baseline");
        return baseline == null || baseline.equals(run) ? null : baseline;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static double threshold(String text) {
        try {
            return Gate.requireThreshold(Double.parseDouble(text));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--threshold '" + text + "' is not a number (0.10 is 10%)");
        }
    }

    /** Replaces the charts directory's SVG files with these, so a re-rendered report has no stale chart beside it. */
    private static void writeCharts(Path dir, List<Chart> charts) throws IOException {
        Files.createDirectories(dir);
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "*.svg")) {
            for (Path file : old) {
                Files.delete(file);
            }
        }
        for (Chart chart : charts) {
            write(dir.resolve(chart.fileName()), chart.svg());
        }
    }

    /** Writes whole or not at all: to a new temporary file beside it (with the umask's permissions), then renamed over it. */
    private static void write(Path file, String content) throws IOException {
        Path temp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.writeString(temp, content, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}

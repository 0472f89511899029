package io.loombench.loadgen.cli;

import io.loombench.common.Cli;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a result goes, for a run and for a merge alike. Each file is opened before the work (so
 * one that cannot be written stops the command at once, with exit code 2, not after a long run)
 * and appears under its name only once written whole ({@link AtomicFile}).
 */
final class OutputFiles {
    @Option(names = "--json", paramLabel = "FILE", description = "Write the summary, spec, environment and full histograms as JSON.")
    Path json;

    @Option(names = "--hlog", paramLabel = "FILE", description = "Write an HdrHistogram interval log (one interval per second, microseconds).")
    Path hlog;

    @Option(names = "--hgrm", paramLabel = "FILE", description = "Write the response-time percentile distribution in HdrHistogram's text form (milliseconds).")
    Path hgrm;

    /** The three must be different files: one would overwrite another. */
    void requireDistinct() {
        List<Path> outputs = new ArrayList<>();
        for (Path path : new Path[] {hlog, json, hgrm}) {
            if (path != null) {
                Path absolute = path.toAbsolutePath().normalize();
                if (outputs.contains(absolute)) {
                    throw new IllegalArgumentException("--hlog, --json and --hgrm must name different files; " + path + " is named twice");
                }
                outputs.add(absolute);
            }
        }
    }

    /** Opens one output, or says in one line why it cannot be. */
    static AtomicFile open(String option, Path path) {
        try {
            return new AtomicFile(path);
        } catch (IOException e) {
            throw new Cli.InputFailure("cannot write " + option + " " + path + ": " + Cli.describe(e));
        }
    }

    /** Writes {@code --hgrm}: the response-time distribution in HdrHistogram's text form, in milliseconds. */
    static void writeHgrm(Histogram response, AtomicFile hgrm) throws IOException {
        PrintStream stream = new PrintStream(hgrm.stream(), false, StandardCharsets.UTF_8);
        response.outputPercentileDistribution(stream, 1000.0);
        stream.flush();
        hgrm.commit();
    }
}

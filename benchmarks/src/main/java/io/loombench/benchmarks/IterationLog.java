package io.loombench.benchmarks;

import io.loombench.loadgen.LoadSnapshot;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An HdrHistogram interval log of a trial's measured iterations, one interval each, in
 * microseconds: the response time untagged (what HdrHistogram's tools read by default), the
 * service time tagged {@code service}, the send lag tagged {@code send-lag}. Warm-up iterations
 * are not written, so the log holds exactly what the trial measured.
 */
final class IterationLog implements AutoCloseable {
    private final PrintStream stream;
    private final HistogramLogWriter writer;

    private IterationLog(PrintStream stream, String title) {
        this.stream = stream;
        this.writer = new HistogramLogWriter(stream);
        writer.outputComment(title);
        writer.outputComment("One interval per measured JMH iteration. Values in microseconds. Untagged: response time from the"
                + " intended send; tag 'service': from the actual send; tag 'send-lag': actual send minus when it could be sent.");
        writer.outputLogFormatVersion();
        long now = System.currentTimeMillis();
        writer.outputStartTime(now);
        writer.setBaseTime(now);
        writer.outputBaseTime(now);
        writer.outputLegend();
    }

    static IterationLog create(Path file, String title) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return new IterationLog(new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8), title);
    }

    /** Writes one iteration; its histograms are the period's own, so they may be stamped and tagged. */
    void write(LoadSnapshot period, long startMillis, long endMillis) {
        write(period.response(), null, startMillis, endMillis);
        write(period.service(), "service", startMillis, endMillis);
        write(period.sendLag(), "send-lag", startMillis, endMillis);
    }

    private void write(Histogram histogram, String tag, long startMillis, long endMillis) {
        histogram.setStartTimeStamp(startMillis);
        histogram.setEndTimeStamp(endMillis);
        histogram.setTag(tag);
        writer.outputIntervalHistogram(histogram);
    }

    @Override
    public void close() {
        stream.close();
    }
}

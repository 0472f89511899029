package io.loombench.loadgen.cli;

import io.loombench.loadgen.IntervalStats;
import io.loombench.loadgen.LoadListener;
import io.loombench.loadgen.Phase;
import org.HdrHistogram.HistogramLogWriter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes the HdrHistogram interval log ({@code --hlog}): one interval a second from the start of
 * the measured period, readable by {@code HistogramLogReader}, HistogramLogAnalyzer and
 * {@code HistogramLogProcessor}. Response times are the untagged histograms, so tools read them by
 * default; service times are tagged {@code service} and send lags {@code send-lag}. Values are in
 * microseconds. Empty intervals are kept: a second with no answers is a stall worth seeing.
 */
final class HlogWriter implements LoadListener, AutoCloseable {
    static final String SERVICE_TAG = "service";
    static final String SEND_LAG_TAG = "send-lag";

    private final AtomicFile file;
    private final PrintStream stream;
    private final HistogramLogWriter writer;
    private boolean started;

    /**
     * @param file     where the log goes; owned by this writer from now on
     * @param comments the first lines, each written as a comment: what ran, which shard, the spec's hash
     */
    HlogWriter(AtomicFile file, List<String> comments) {
        this.file = file;
        this.stream = new PrintStream(file.stream(), false, StandardCharsets.UTF_8);
        this.writer = new HistogramLogWriter(stream);
        comments.forEach(writer::outputComment);
        writer.outputComment("Values in microseconds. Untagged: response time from the intended send;"
                + " tag 'service': from the actual send; tag 'send-lag': actual send minus when it could be sent.");
    }

    @Override
    public void onInterval(IntervalStats interval) {
        if (interval.phase() != Phase.MEASURING && interval.phase() != Phase.DRAINING) {
            return;
        }
        if (!started) {
            // The histograms' start, not the interval's: the first measured interval may have begun
            // in the warm-up, but what it holds starts with the measured period.
            startLog(interval.response().getStartTimeStamp());
        }
        interval.service().setTag(SERVICE_TAG);
        interval.sendLag().setTag(SEND_LAG_TAG);
        writer.outputIntervalHistogram(interval.response());
        writer.outputIntervalHistogram(interval.service());
        writer.outputIntervalHistogram(interval.sendLag());
    }

    private void startLog(long startMillis) {
        writer.outputLogFormatVersion();
        writer.outputStartTime(startMillis);
        writer.setBaseTime(startMillis);
        writer.outputBaseTime(startMillis);
        writer.outputLegend();
        started = true;
    }

    /** Makes the log visible under its name, however the run ended; a run that measured nothing gives a log without intervals. */
    void commit() throws IOException {
        if (!started) {
            startLog(System.currentTimeMillis());
        }
        stream.flush();
        file.commit();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}

package io.loombench.benchmarks.report;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The exact latency distributions of one open-model point: every interval of its HdrHistogram
 * logs (one log per JMH fork, one interval per measured iteration) added together. Adding
 * histograms keeps every recorded value; nothing is resampled. Values are in microseconds.
 *
 * @param response  untagged intervals: response time from each request's intended send time
 * @param service   intervals tagged {@code service}: from the actual send
 * @param sendLag   intervals tagged {@code send-lag}: the generator's delay in sending
 * @param files     logs read
 * @param intervals intervals read, all tags
 */
public record LatencyLogs(Histogram response, Histogram service, Histogram sendLag, int files, int intervals) {

    public static final String SERVICE_TAG = "service";
    public static final String SEND_LAG_TAG = "send-lag";

    static LatencyLogs read(List<Path> files) throws IOException {
        Histogram response = null;
        Histogram service = null;
        Histogram sendLag = null;
        int intervals = 0;
        for (Path file : files) {
            HistogramLogReader reader = new HistogramLogReader(file.toFile());
            try {
                EncodableHistogram next;
                while ((next = reader.nextIntervalHistogram()) != null) {
                    if (!(next instanceof Histogram interval)) {
                        throw new IllegalArgumentException(file + ": holds a " + next.getClass().getSimpleName()
                                + ", not integer microseconds");
                    }
                    intervals++;
                    String tag = interval.getTag();
                    if (tag == null) {
                        response = add(response, interval);
                    } else if (tag.equals(SERVICE_TAG)) {
                        service = add(service, interval);
                    } else if (tag.equals(SEND_LAG_TAG)) {
                        sendLag = add(sendLag, interval);
                    }
                }
            } finally {
                reader.close();
            }
        }
        return new LatencyLogs(orEmpty(response), orEmpty(service), orEmpty(sendLag), files.size(), intervals);
    }

    private static Histogram add(Histogram sum, Histogram interval) {
        if (sum == null) {
            // A copy keeps the interval's bucket layout, so adding the others is exact; auto-resize
            // covers an interval with a larger range.
            Histogram first = interval.copy();
            first.setAutoResize(true);
            first.setTag(null);
            return first;
        }
        sum.add(interval);
        return sum;
    }

    private static Histogram orEmpty(Histogram histogram) {
        return histogram != null ? histogram : new Histogram(3);
    }
}

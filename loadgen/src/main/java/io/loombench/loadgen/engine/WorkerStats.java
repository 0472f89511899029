package io.loombench.loadgen.engine;

import io.loombench.loadgen.LoadError;
import io.loombench.loadgen.LatencyHistograms;
import org.HdrHistogram.SingleWriterRecorder;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One worker's measurements. The worker thread is the only writer; the reporting thread reads
 * counts once a second and swaps out interval histograms.
 *
 * <p>Counts use release stores and acquire loads on an {@link AtomicLongArray}: cheaper than atomic
 * increments (there is one writer) and still visible to the reader. Latencies go into
 * {@link SingleWriterRecorder}s, whose interval swap loses no value: every recorded value lands
 * in exactly one interval histogram.
 */
final class WorkerStats {
    private static final Counter[] STATUS_CLASSES = {
            Counter.STATUS_1XX, Counter.STATUS_2XX, Counter.STATUS_3XX, Counter.STATUS_4XX, Counter.STATUS_5XX};

    final SingleWriterRecorder response = newRecorder();
    final SingleWriterRecorder service = newRecorder();
    final SingleWriterRecorder sendLag = newRecorder();
    private final AtomicLongArray counts = new AtomicLongArray(Counter.values().length);
    private final AtomicLongArray errors = new AtomicLongArray(LoadError.values().length);

    static SingleWriterRecorder newRecorder() {
        return new SingleWriterRecorder(1, LatencyHistograms.HIGHEST_MICROS, LatencyHistograms.SIGNIFICANT_DIGITS);
    }

    /** Records a nanosecond interval in microseconds, clamped to the histogram's range. */
    static void record(SingleWriterRecorder recorder, long nanos) {
        recorder.recordValue(Math.min(LatencyHistograms.HIGHEST_MICROS, Math.max(0, nanos / 1000)));
    }

    void add(Counter counter, long n) {
        int i = counter.ordinal();
        counts.setRelease(i, counts.getPlain(i) + n);
    }

    void increment(Counter counter) {
        add(counter, 1);
    }

    void error(LoadError kind, long n) {
        int i = kind.ordinal();
        errors.setRelease(i, errors.getPlain(i) + n);
    }

    long get(Counter counter) {
        return counts.getAcquire(counter.ordinal());
    }

    long errors(LoadError kind) {
        return errors.getAcquire(kind.ordinal());
    }

    long totalErrors() {
        long total = 0;
        for (LoadError kind : LoadError.values()) {
            total += errors(kind);
        }
        return total;
    }

    /** Counts an HTTP status by class. */
    void status(int code) {
        int statusClass = code / 100;
        if (statusClass >= 1 && statusClass <= STATUS_CLASSES.length) {
            increment(STATUS_CLASSES[statusClass - 1]);
        }
    }
}

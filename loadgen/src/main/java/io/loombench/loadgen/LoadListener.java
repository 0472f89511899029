package io.loombench.loadgen;

/** Told about a run as it goes, on the thread that waits for the run. */
@FunctionalInterface
public interface LoadListener {
    LoadListener NONE = interval -> { };

    /** Called at the end of every interval; the histograms are the listener's to keep. */
    void onInterval(IntervalStats interval);
}

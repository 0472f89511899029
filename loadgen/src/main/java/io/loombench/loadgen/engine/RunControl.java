package io.loombench.loadgen.engine;

/** Shared by a run's workers: one flag that ends the run early (fail-fast, or the caller gave up). */
final class RunControl {
    private volatile boolean stopped;

    void stop() {
        stopped = true;
    }

    boolean stopped() {
        return stopped;
    }
}

package io.loombench.loadgen.engine;

import java.nio.channels.Selector;
import java.util.concurrent.locks.LockSupport;

/**
 * Wakes a worker's selector at its next due send, to well under a millisecond.
 *
 * <p>Why a second thread: epoll waits in whole milliseconds, which would make sends up to a
 * millisecond late. Spinning instead keeps sends punctual but burns a core, and on a machine
 * shared with the server under test that steals the server's CPU and gets the generator
 * preempted for whole time slices. Parking the worker itself would leave answers unread while it
 * sleeps, adding to every latency measured. So the worker blocks in the selector, where answers
 * wake it at once, and this thread, parked with {@link LockSupport#parkNanos} (accurate to tens
 * of microseconds), wakes it when a send comes due. When answers keep the worker busy it never
 * blocks long, and the pacer hardly ever fires.
 */
final class Pacer implements Runnable {
    private static final long NONE = Long.MIN_VALUE;

    private final Selector selector;
    private final Thread thread;
    /** When to wake the selector, or {@link #NONE}; written by the worker. */
    private volatile long target = NONE;
    /** What the pacer is parked until, or {@link #NONE}; lets the worker skip needless unparks. */
    private volatile long parkedUntil = NONE;
    private volatile boolean stopped;

    /** @param deathHandler told if the pacer thread fails, which ends the run */
    Pacer(Selector selector, String name, Thread.UncaughtExceptionHandler deathHandler) {
        this.selector = selector;
        this.thread = new Thread(this, name);
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler(deathHandler);
    }

    void start() {
        thread.start();
    }

    /** Asks for a selector wake-up at {@code dueNanos}; called by the worker before it blocks. */
    void wakeAt(long dueNanos) {
        target = dueNanos;
        long parked = parkedUntil;
        if (parked == NONE || dueNanos - parked < 0) {
            LockSupport.unpark(thread);
        }
    }

    /** The worker is awake: no wake-up is needed any more. */
    void cancel() {
        target = NONE;
    }

    void stop() throws InterruptedException {
        stopped = true;
        LockSupport.unpark(thread);
        thread.join();
    }

    @Override
    public void run() {
        while (!stopped) {
            long due = target;
            if (due == NONE) {
                LockSupport.park(this);
                continue;
            }
            long waitNanos = due - System.nanoTime();
            if (waitNanos > 0) {
                parkedUntil = due;
                LockSupport.parkNanos(this, waitNanos);
                parkedUntil = NONE;
            } else if (target == due) {
                target = NONE;
                selector.wakeup();
            }
        }
    }
}

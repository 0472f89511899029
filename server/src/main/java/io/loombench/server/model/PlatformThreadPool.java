package io.loombench.server.model;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The POOL model's executor: a fixed number of platform threads and an unbounded queue, like
 * {@link java.util.concurrent.Executors#newFixedThreadPool}, except that {@link #awaitTermination}
 * also waits for the worker threads themselves to end.
 *
 * <p>{@link ThreadPoolExecutor} declares itself terminated from the last worker's exit path, a
 * moment before that thread ends, so a plain pool lets {@code Server.close()} return while a
 * {@code loombench-pool-*} thread is still alive. A closed server must leave none behind.
 */
public final class PlatformThreadPool extends ThreadPoolExecutor {
    private final Workers workers;

    /** @param namePrefix each thread is named this followed by a number from 0 */
    public PlatformThreadPool(int threads, String namePrefix) {
        this(threads, new Workers(namePrefix));
    }

    private PlatformThreadPool(int threads, Workers workers) {
        super(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), workers);
        this.workers = workers;
    }

    /** Waits until the pool has terminated and every thread it made has ended. */
    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        if (!super.awaitTermination(timeout, unit)) {
            return false;
        }
        for (Thread thread : workers.made) {
            long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (leftMillis > 0) {
                thread.join(leftMillis);
            }
            if (thread.isAlive()) {
                return false;
            }
        }
        return true;
    }

    /** Makes and remembers the workers; a worker ends only when the pool shuts down or a task throws. */
    private static final class Workers implements ThreadFactory {
        private final String namePrefix;
        private final AtomicInteger ids = new AtomicInteger();
        private final Queue<Thread> made = new ConcurrentLinkedQueue<>();

        Workers(String namePrefix) {
            this.namePrefix = namePrefix;
        }

        @Override
        public Thread newThread(Runnable task) {
            // A replacement for a worker that died of a task's exception: forget the dead ones.
            made.removeIf(thread -> thread.getState() == Thread.State.TERMINATED);
            Thread thread = new Thread(task, namePrefix + ids.getAndIncrement());
            made.add(thread);
            return thread;
        }
    }
}

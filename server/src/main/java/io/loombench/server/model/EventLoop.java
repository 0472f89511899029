package io.loombench.server.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * One selector on one platform thread, with a task queue for other threads and timers for the
 * loop's own use. Everything registered here is touched only by the loop thread, so handlers need
 * no locks.
 *
 * <p>Time: the loop reads {@link System#nanoTime()} into {@link #now()} when the selector returns,
 * before the first ready handler runs, and again before tasks and timers; handlers use it instead
 * of reading the clock per event. It must not be older than the select: a loop idle for a second
 * would otherwise start a timer or a deadline a second in the past. Timers fire in due order, after
 * I/O, with the selector's millisecond granularity. An optional periodic action (the timeout
 * sweep) runs every {@code periodNanos}.
 *
 * <p>Bugs: a {@link RuntimeException} from a handler, task, timer or the periodic action goes to
 * the loop's bug handler (which counts it) and the loop goes on with the next one, so one bug
 * does not take the loop's other connections down. A handler that owns a connection catches its
 * own first, to close that connection; what reaches the loop's handler is a bug outside any one
 * connection.
 */
public final class EventLoop implements Runnable {

    /** Attached to a {@link SelectionKey} of this loop; called on the loop thread when it is ready. */
    public interface Handler {
        void onReady(SelectionKey key);
    }

    private record Timer(long dueNanos, long sequence, Runnable action) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer other) {
            int byDue = Long.compare(dueNanos - other.dueNanos, 0);
            return byDue != 0 ? byDue : Long.compare(sequence, other.sequence);
        }
    }

    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final Consumer<SelectionKey> dispatch = this::dispatch;
    private final long periodNanos;
    private final LongConsumer periodic;
    private final BiConsumer<String, RuntimeException> onBug;
    private long timerSequence;
    private long nextPeriodicNanos;
    private long now = System.nanoTime();
    /** Whether {@link #now} was read since the selector returned, so one turn reads it once for all its I/O. */
    private boolean clockRead;
    private boolean stopped;

    /**
     * @param periodNanos how often {@code periodic} runs on the loop thread
     * @param periodic    a recurring action, such as a timeout sweep; receives {@link #now()}
     * @param onBug       told of every {@link RuntimeException} that reaches the loop, with the loop's name
     */
    public EventLoop(String name, long periodNanos, LongConsumer periodic, BiConsumer<String, RuntimeException> onBug) {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        this.periodNanos = periodNanos;
        this.periodic = periodic;
        this.onBug = onBug;
        this.nextPeriodicNanos = now + periodNanos;
        this.thread = new Thread(this, name);
    }

    public void start() {
        thread.start();
    }

    public Selector selector() {
        return selector;
    }

    /** The time of this turn of the loop; loop thread only. */
    public long now() {
        return now;
    }

    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on the loop thread soon; callable from any thread. */
    public void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** Runs {@code action} on the loop thread after {@code delayNanos}; loop thread only. */
    public void schedule(long delayNanos, Runnable action) {
        timers.add(new Timer(now + delayNanos, timerSequence++, action));
    }

    /** Asks the loop to end after the current turn and close its selector; callable from any thread. */
    public void stop() {
        execute(() -> stopped = true);
    }

    /** Waits for the loop thread to end. */
    public void join() throws InterruptedException {
        thread.join();
    }

    /** Pending timers, for a drain that waits on them; loop thread only. */
    public int pendingTimers() {
        return timers.size();
    }

    @Override
    public void run() {
        try {
            while (!stopped) {
                clockRead = false;
                selector.select(dispatch, selectTimeoutMillis());
                now = System.nanoTime();
                runTasks();
                runDueTimers();
                if (now - nextPeriodicNanos >= 0) {
                    nextPeriodicNanos = now + periodNanos;
                    runPeriodic();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("selector failed in " + thread.getName(), e);
        } finally {
            try {
                selector.close();
            } catch (IOException ignored) {
                // Closing deregisters keys; the channels were closed by their owners.
            }
        }
    }

    private void dispatch(SelectionKey key) {
        if (!clockRead) {
            now = System.nanoTime();
            clockRead = true;
        }
        try {
            ((Handler) key.attachment()).onReady(key);
        } catch (RuntimeException e) {
            reportBug(e);
        }
    }

    private void runGuarded(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            reportBug(e);
        }
    }

    private void runPeriodic() {
        try {
            periodic.accept(now);
        } catch (RuntimeException e) {
            reportBug(e);
        }
    }

    /** A bug in one handler, task or timer must not take the loop's other connections down with it. */
    private void reportBug(RuntimeException e) {
        onBug.accept(thread.getName(), e);
    }

    /**
     * Until the next timer or periodic action, at least 1 ms (0 would mean forever). Tasks need no
     * special case: {@link #execute} wakes the selector, which makes the next select return at once.
     */
    private long selectTimeoutMillis() {
        long nextDue = nextPeriodicNanos;
        Timer first = timers.peek();
        if (first != null && first.dueNanos - nextDue < 0) {
            nextDue = first.dueNanos;
        }
        long waitNanos = nextDue - System.nanoTime();
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999));
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            runGuarded(task);
        }
    }

    private void runDueTimers() {
        Timer first;
        while ((first = timers.peek()) != null && now - first.dueNanos >= 0) {
            timers.poll();
            runGuarded(first.action);
        }
    }
}

package io.loombench.benchmarks;

import io.loombench.common.CpuSteal;
import io.loombench.common.ProcessUsage;
import io.loombench.loadgen.LoadListener;
import io.loombench.loadgen.LoadResult;
import io.loombench.loadgen.LoadSnapshot;
import io.loombench.loadgen.LoadSpec;
import io.loombench.loadgen.engine.LoadRun;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The load of one trial: a single loadgen run that lasts the whole trial (every connection opened
 * once, before the first iteration), cut into JMH iterations by {@link LoadSnapshot}s.
 *
 * <p>The benchmark thread counts answers one JMH operation each ({@link #awaitAnswer}): JMH's
 * throughput score is then answers per second over JMH's own iteration time. The thread parks
 * when it has caught up, so it costs the generator's CPU almost nothing.
 *
 * <p>Measured iterations go to an {@link IterationLog} when the benchmark keeps one.
 */
final class LoadSession implements AutoCloseable {
    /** No answer for this long, after an iteration's time is up, means the server has stopped answering. */
    private static final long STALLED_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * How long the benchmark thread sleeps when it has counted every answer so far: short against
     * an iteration, long enough that it wakes at most a few thousand times a second.
     */
    private static final long PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(500);

    private final LoadSpec spec;
    private final LoadRun run;
    /** Completed by the reporting thread with the run's result, or with why it failed. */
    private final CompletableFuture<LoadResult> outcome = new CompletableFuture<>();
    private final Thread reporter;
    private final Optional<IterationLog> log;
    /** Answers counted so far: the run's count when last read. */
    private long cursor;
    /** Answers read from the run but not yet handed to JMH. */
    private long available;
    /** When JMH will end the current iteration, on the {@link System#nanoTime()} clock. */
    private long iterationEndsAt;
    private LoadSnapshot iterationStart;
    private long iterationStartMillis;
    private ProcessUsage serverAtStart;
    private ProcessUsage generatorAtStart;
    private Optional<CpuSteal> serverStealAtStart;
    private Optional<CpuSteal> generatorStealAtStart;

    private LoadSession(LoadSpec spec, Optional<IterationLog> log) {
        this.spec = spec;
        this.log = log;
        this.run = LoadRun.start(spec);
        this.reporter = Thread.ofPlatform().name("bench-load-reporter").start(() -> {
            try {
                outcome.complete(run.await(LoadListener.NONE));
            } catch (InterruptedException | RuntimeException e) {
                outcome.completeExceptionally(e);
            }
        });
    }

    /**
     * Starts the run and waits (at most {@code openWithin}) for every connection to open.
     *
     * @param log where measured iterations go, if anywhere; the session closes it
     */
    static LoadSession start(LoadSpec spec, Duration openWithin, Optional<IterationLog> log) throws InterruptedException {
        LoadSession session = new LoadSession(spec, log);
        long deadline = System.nanoTime() + openWithin.toNanos();
        while (session.run.openConnections() < spec.connections() && System.nanoTime() - deadline < 0 && !session.outcome.isDone()) {
            Thread.sleep(10);
        }
        return session;
    }

    /**
     * Marks the start of an iteration.
     *
     * @param lengthNanos how long JMH runs the iteration
     */
    void beginIteration(ServerUnderTest server, long lengthNanos) throws IOException {
        iterationEndsAt = System.nanoTime() + lengthNanos;
        serverAtStart = server.usage();
        generatorAtStart = ProcessUsage.self();
        serverStealAtStart = CpuSteal.ofProcess(server.pid());
        generatorStealAtStart = CpuSteal.ofSelf();
        iterationStartMillis = System.currentTimeMillis();
        iterationStart = run.snapshot();
        cursor = iterationStart.completed();
        available = 0;
    }

    /**
     * Returns once one more answer has arrived since the last call (or the iteration's start):
     * one JMH operation is one answer. Answers that arrived while this thread was parked are
     * taken one per call without touching the run, so at a high rate most calls return at once
     * and the thread parks only when it has caught up.
     *
     * <p>A server that stops answering must not hang the iteration: once the iteration's time is
     * up and no answer has come for a second, this returns anyway, so such an iteration counts one
     * answer more than it had, and its requests' timeouts mark the point failed. The iteration's
     * length comes from JMH's parameters for it, so warm-up iterations end on time too.
     *
     * @throws IllegalStateException if the load run has ended (it failed, or was too short)
     */
    void awaitAnswer() throws InterruptedException {
        if (available > 0) {
            available--;
            return;
        }
        long lastProgress = System.nanoTime();
        while (true) {
            long completed = run.completed();
            if (completed > cursor) {
                available = completed - cursor - 1;
                cursor = completed;
                return;
            }
            LockSupport.parkNanos(PARK_NANOS);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (outcome.isDone()) {
                Throwable failure = outcome.isCompletedExceptionally() ? outcome.exceptionNow() : null;
                throw new IllegalStateException("the load run ended before JMH did: "
                        + (failure != null ? failure.toString() : "its duration was too short for the iterations"), failure);
            }
            long now = System.nanoTime();
            if (now - iterationEndsAt > 0 && now - lastProgress > STALLED_NANOS) {
                return;
            }
        }
    }

    /**
     * Marks the end of an iteration and returns what it measured.
     *
     * @param measured true for a measurement iteration, false for warm-up (only measured ones go to the interval log)
     */
    IterationMeasurement endIteration(boolean measured, ServerUnderTest server, double offeredRate) throws IOException {
        LoadSnapshot end = run.snapshot();
        long endMillis = System.currentTimeMillis();
        ProcessUsage generatorAtEnd = ProcessUsage.self();
        ProcessUsage serverAtEnd = server.usage();
        LoadSnapshot period = end.since(iterationStart);
        if (measured) {
            log.ifPresent(iterations -> iterations.write(period, iterationStartMillis, endMillis));
        }
        return new IterationMeasurement(period, end.secondsSince(iterationStart), !spec.closedModel(), offeredRate,
                spec.connections(), server.idle(), serverAtStart, serverAtEnd, server.cpuCount(),
                generatorAtStart, generatorAtEnd, Runtime.getRuntime().availableProcessors(),
                CpuSteal.Share.between(serverStealAtStart, CpuSteal.ofProcess(server.pid())),
                CpuSteal.Share.between(generatorStealAtStart, CpuSteal.ofSelf()));
    }

    /**
     * Ends the run: no new requests, outstanding ones get their timeout, and waits for it.
     *
     * @return the run's result over its whole length
     */
    LoadResult stop() throws InterruptedException {
        run.stop();
        try {
            return outcome.get(drainBound().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the load run failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the load run did not end " + drainBound().toSeconds() + " s after it was stopped");
        } finally {
            log.ifPresent(IterationLog::close);
        }
    }

    /** How long a stopped run may take to end: its drain of two timeouts, and slack. */
    private Duration drainBound() {
        return spec.timeout().multipliedBy(3).plusSeconds(30);
    }

    /** Stops the run if {@link #stop()} was not reached. */
    @Override
    public void close() throws InterruptedException {
        if (reporter.isAlive()) {
            run.stop();
            reporter.join(drainBound().toMillis());
        }
        log.ifPresent(IterationLog::close);
    }
}

package io.loombench.loadgen.engine;

import io.loombench.common.CpuSteal;
import io.loombench.common.Environment;
import io.loombench.common.Transport;
import io.loombench.loadgen.EncodedHistograms;
import io.loombench.loadgen.FileLimit;
import io.loombench.loadgen.GeneratorFailure;
import io.loombench.loadgen.IntervalStats;
import io.loombench.loadgen.LatencyHistograms;
import io.loombench.loadgen.LoadError;
import io.loombench.loadgen.LoadListener;
import io.loombench.loadgen.LoadProtocol;
import io.loombench.loadgen.LoadResult;
import io.loombench.loadgen.LoadSnapshot;
import io.loombench.loadgen.LoadSpec;
import io.loombench.loadgen.Phase;
import io.loombench.loadgen.Start;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * A run in progress: its worker threads, and the reporting done by whoever waits for it.
 * {@link #start} returns at once; {@link #await} reports every second to a {@link LoadListener}
 * and returns the {@link LoadResult}; {@link #stop} ends the run early from any thread.
 *
 * <p>If a worker thread dies (a bug, or its selector failing), the run ends at once and
 * {@link #await} throws a {@link GeneratorFailure} instead of returning a result that would lack
 * that worker's connections.
 */
public final class LoadRun {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    /** While the opening goes on, the reporter looks this often for its end, to align its intervals to the measured period. */
    private static final long OPENING_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Send lag p99 beyond this means the generator itself added latency. */
    private static final long SEND_LAG_WARNING_MICROS = 1000;
    /** Achieved rate below this share of the requested rate is worth a warning. */
    private static final double RATE_WARNING_SHARE = 0.99;

    private final LoadSpec spec;
    private final Environment environment;
    private final RunPhases phases;
    private final OpenGauge gauge = new OpenGauge();
    private final Worker[] workers;
    private final Thread[] threads;
    private final Instant startedAt;
    private final Harvest harvest;
    /** The first thread that died, and of what; null while none has. */
    private final AtomicReference<GeneratorFailure> failure = new AtomicReference<>();

    private LoadRun(LoadSpec spec, CodecFactory codecs) {
        FileLimit.requireRoomFor(spec);
        this.spec = spec;
        this.environment = Environment.capture();
        int connections = spec.localConnections();
        int threadCount = Math.min(spec.threads(), connections);
        long start = System.nanoTime();
        this.startedAt = Instant.now();
        requireStartAhead(spec, startedAt);
        this.phases = new RunPhases(spec, start, startedAt);
        ConnectGate gate = new ConnectGate(spec.connectRate(), spec.connectTimeout().toNanos(), start);
        ConnectionFactory factory = connectionFactory(spec, phases.anchor(), codecs);
        this.workers = new Worker[threadCount];
        this.threads = new Thread[threadCount];
        for (int w = 0; w < threadCount; w++) {
            int owned = (connections - w + threadCount - 1) / threadCount;
            int[] globalIndexes = new int[owned];
            for (int i = 0; i < owned; i++) {
                globalIndexes[i] = spec.shard().globalIndex(w + i * threadCount);
            }
            long maxRequests = spec.localMaxRequests();
            long budget = maxRequests == 0 ? -1 : maxRequests / threadCount + (w < maxRequests % threadCount ? 1 : 0);
            try {
                workers[w] = new Worker(spec, phases, gate, gauge, factory, globalIndexes, budget, this::died);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open a selector for worker " + w, e);
            }
            threads[w] = new Thread(workers[w], "loadgen-worker-" + w);
            threads[w].setUncaughtExceptionHandler(this::died);
        }
        phases.onOpened(() -> {
            for (Worker worker : workers) {
                worker.wakeup();
            }
        });
        this.harvest = new Harvest();
        for (Thread thread : threads) {
            thread.start();
        }
    }

    /**
     * Opens the connections and starts sending; returns at once.
     *
     * @throws IllegalArgumentException if the process cannot open that many connections (see {@link FileLimit}),
     *                                  or a fixed start is more than an hour away or its measured period is over
     */
    public static LoadRun start(LoadSpec spec) {
        return new LoadRun(spec, CodecFactory.of(spec));
    }

    /** As {@link #start(LoadSpec)}, with TCP connections speaking through codecs of the caller's making. */
    static LoadRun start(LoadSpec spec, CodecFactory codecs) {
        return new LoadRun(spec, codecs);
    }

    /**
     * Wall-clock milliseconds of a {@link System#nanoTime()} instant of this run, from the start's
     * full-precision instant, so that a fixed start's instants come out exactly as given.
     */
    private long toMillis(long nanos) {
        return startedAt.plusNanos(nanos - phases.start()).toEpochMilli();
    }

    /** Ends the run early: no new requests, outstanding ones get one timeout to complete. */
    public void stop() {
        phases.stop();
    }

    /**
     * Answers received so far, in every phase: a cheap read of the workers' counters, for a
     * caller that polls (no histogram is touched).
     */
    public long completed() {
        long total = 0;
        for (Worker worker : workers) {
            total += worker.stats().get(Counter.COMPLETED);
        }
        return total;
    }

    /** Connections open now: a cheap read, for a caller waiting for every connection to open. */
    public long openConnections() {
        return gauge.open();
    }

    /**
     * Everything measured so far, from any thread, while the run goes on or after it ended. It
     * costs copying three histograms, so take one per period of interest, not per request.
     */
    public LoadSnapshot snapshot() {
        return harvest.snapshot();
    }

    /** A worker or pacer thread died: the first death ends the run, and is what {@link #await} reports. */
    private void died(Thread thread, Throwable cause) {
        failure.compareAndSet(null, new GeneratorFailure(thread.getName(), cause));
        phases.abort();
    }

    /** A fixed start must leave something to measure, and not hold the process for hours. */
    private static void requireStartAhead(LoadSpec spec, Instant now) {
        if (spec.start() instanceof Start.At at) {
            Instant measuredEnd = at.instant().plus(spec.warmup()).plus(spec.duration());
            if (!measuredEnd.isAfter(now)) {
                throw new IllegalArgumentException("--start-at " + at.instant() + " has passed: its measured period ended at " + measuredEnd
                        + ", before now (" + now + ")");
            }
            if (Duration.between(now, at.instant()).compareTo(LoadSpec.MAX_DURATION) > 0) {
                throw new IllegalArgumentException("--start-at " + at.instant() + " is more than 1h from now (" + now + ")");
            }
        }
    }

    /** @param anchor when the schedules' first sends are due */
    private static ConnectionFactory connectionFactory(LoadSpec spec, long anchor, CodecFactory codecs) {
        Payload payload = spec.protocol().transport() == Transport.UDP ? new Payload(spec.shard().payloadSeed(spec.seed())) : null;
        List<InetSocketAddress> binds = spec.bindAddresses().stream().map(address -> new InetSocketAddress(address, 0)).toList();
        return (context, local, global) -> {
            Schedule schedule = Schedule.of(spec, anchor, global);
            InetSocketAddress bind = binds.isEmpty() ? null : binds.get(global % binds.size());
            return switch (spec.protocol()) {
                case TCP_ECHO, HTTP -> new StreamConnection(context, local, schedule, spec.target(), bind, codecs.create(),
                        spec.pipeline());
                case UDP_ECHO -> new DatagramConnection(context, local, schedule, spec.target(), bind, payload,
                        spec.payloadBytes(), spec.pipeline());
            };
        };
    }

    /**
     * Waits for the run to end, telling {@code listener} about every second of it, and returns
     * what was measured. The run ends by itself: at most opening, warm-up, duration and two
     * timeouts after it started (one to send requests that came due but waited for a free
     * pipeline slot, one for their answers); the opening lasts until every connection has opened,
     * within the bounds {@link RunPhases} sets.
     *
     * @throws GeneratorFailure if one of the generator's threads died, which ended the run
     */
    public LoadResult await(LoadListener listener) throws InterruptedException {
        try {
            Reporter reporter = new Reporter(listener);
            long tick = phases.start();
            boolean opening = true;
            long nextTick = nextTick(tick);
            for (Thread thread : threads) {
                while (thread.isAlive()) {
                    long now = System.nanoTime();
                    phases.poll(now);
                    if (opening && !phases.opening()) {
                        opening = false;
                        nextTick = nextTick(tick);
                    }
                    if (now - nextTick >= 0) {
                        reporter.interval(false);
                        tick = nextTick;
                        nextTick = nextTick(tick);
                        continue;
                    }
                    if (!opening && now - phases.measureEnd() - 2 * spec.timeout().toNanos() - 30 * SECOND > 0) {
                        phases.abort();
                        throw new IllegalStateException(thread.getName() + " did not stop 30 s after the run's end");
                    }
                    long wait = opening ? Math.min(nextTick - now, OPENING_POLL_NANOS) : nextTick - now;
                    TimeUnit.NANOSECONDS.timedJoin(thread, wait);
                }
            }
            GeneratorFailure died = failure.get();
            if (died != null) {
                throw died;
            }
            reporter.interval(true);
            return reporter.result();
        } catch (InterruptedException | RuntimeException | Error e) {
            // Whoever waited is gone: the run must not go on without anyone to end it.
            phases.stop();
            throw e;
        }
    }

    /** A warning when the hypervisor took more than {@link CpuSteal.Share#NOTABLE} of the generator's CPUs' time. */
    static Optional<String> stealWarning(Optional<CpuSteal.Share> steal) {
        return steal.filter(share -> share.share() > CpuSteal.Share.NOTABLE).map(share -> String.format(Locale.ROOT,
                "the hypervisor took %.1f%% of the generator's %s (CPU steal) during the measured period: other guests of this"
                        + " machine's host ran in that time, and the latencies include the waits they caused", 100 * share.share(),
                share.cpusNamed()));
    }

    /**
     * Intervals are a second long, and one ends at the start of the measured period, so the
     * measured ones are whole seconds of it and none mixes in warm-up. The interval before that
     * boundary is stretched to it (up to 1.5 s) rather than leaving a sliver of warm-up; without
     * warm-up, the first interval is the opening alone, however short. While the opening goes on
     * the measured period's start is not known yet, and {@link #await} asks again once it is.
     */
    private long nextTick(long tick) {
        long next = tick + SECOND;
        long measureStart = phases.measureStart();
        if (!phases.opening() && tick - measureStart < 0 && next - (measureStart - SECOND / 2) > 0) {
            return measureStart;
        }
        return next;
    }

    /** Merges the workers' measurements, interval by interval, into the run's totals. */
    private final class Reporter {
        private final LoadListener listener;
        private final List<LoadResult.IntervalSummary> intervals = new ArrayList<>();
        private long lastNanos = phases.start();
        private long lastCompleted;
        private long lastErrors;
        /** Measured response, service and send-lag histograms waiting for the first measured interval, or null. */
        private Histogram[] carried;
        /** The generator's CPUs' steal at the last interval's end (at the start, before the first); empty off Linux. */
        private Optional<CpuSteal> stealAtLastTick = CpuSteal.ofSelf();
        /** Their steal at the start of the first measured interval and at the end of the last one so far; null before it. */
        private CpuSteal stealMeasuredFrom;
        private CpuSteal stealMeasuredTo;

        Reporter(LoadListener listener) {
            this.listener = listener;
        }

        /**
         * Closes the current interval. Its end is read after the workers' recorders are
         * harvested, so every value in it was recorded before that end.
         *
         * <p>An interval belongs to the phase it started in. The one that ends at the measured
         * period's start ends a little late (its tick, then the harvest), so it can hold the first
         * few measured sends and answers: they are carried into the first measured interval, whose
         * histograms then start exactly at the measured period's start, unless this is the last
         * interval of the run, which keeps them.
         *
         * @param last true for the interval that ends the run
         */
        void interval(boolean last) {
            Histogram[] pending = harvest.takePending();
            Histogram intervalResponse = pending[0];
            Histogram intervalService = pending[1];
            Histogram intervalLag = pending[2];
            long completed = 0;
            long errors = 0;
            long open = 0;
            long peakOpen = gauge.takeIntervalPeak();
            for (Worker worker : workers) {
                WorkerStats stats = worker.stats();
                completed += stats.get(Counter.COMPLETED);
                errors += stats.totalErrors();
                open += stats.get(Counter.OPEN);
            }
            long now = System.nanoTime();
            Phase phase = phases.phaseAt(lastNanos);
            boolean beforeMeasuring = phase == Phase.OPENING || phase == Phase.WARMUP;
            long histogramStart = lastNanos;
            boolean holdsMeasured = intervalResponse.getTotalCount() + intervalService.getTotalCount() + intervalLag.getTotalCount() > 0;
            if (beforeMeasuring && holdsMeasured) {
                if (last) {
                    phase = Phase.MEASURING;
                    histogramStart = phases.measureStart();
                } else {
                    carried = new Histogram[] {intervalResponse.copy(), intervalService.copy(), intervalLag.copy()};
                    intervalResponse.reset();
                    intervalService.reset();
                    intervalLag.reset();
                }
            } else if (!beforeMeasuring && carried != null) {
                intervalResponse.add(carried[0]);
                intervalService.add(carried[1]);
                intervalLag.add(carried[2]);
                carried = null;
                histogramStart = phases.measureStart();
            }
            noteSteal(phase);
            boolean measured = intervalResponse.getTotalCount() > 0;
            long intervalStartMillis = toMillis(lastNanos);
            for (Histogram h : List.of(intervalResponse, intervalService, intervalLag)) {
                h.setStartTimeStamp(toMillis(histogramStart));
                h.setEndTimeStamp(toMillis(now));
            }
            double seconds = (now - lastNanos) / 1e9;
            double elapsed = (now - phases.start()) / 1e9;
            IntervalStats stats = new IntervalStats(intervalStartMillis, elapsed, seconds, phase,
                    completed - lastCompleted, errors - lastErrors, open, peakOpen, intervalResponse, intervalService, intervalLag);
            intervals.add(new LoadResult.IntervalSummary(toMillis(histogramStart), toMillis(now), elapsed, phase, stats.rate(),
                    stats.completed(), stats.errors(), peakOpen,
                    measured ? intervalResponse.getValueAtPercentile(50) : 0,
                    measured ? intervalResponse.getValueAtPercentile(99) : 0,
                    measured ? intervalResponse.getMaxValue() : 0,
                    EncodedHistograms.of(intervalResponse, intervalService, intervalLag)));
            lastNanos = now;
            lastCompleted = completed;
            lastErrors = errors;
            listener.onInterval(stats);
        }

        private long toMillis(long nanos) {
            return LoadRun.this.toMillis(nanos);
        }

        /**
         * Reads the steal at this interval's end; a measured interval's readings bound the measured
         * period's steal. Intervals tick on the measured period's start, so the measured ones cover it.
         */
        private void noteSteal(Phase phase) {
            Optional<CpuSteal> now = CpuSteal.ofSelf();
            if (phase == Phase.MEASURING && stealAtLastTick.isPresent() && now.isPresent()) {
                if (stealMeasuredFrom == null) {
                    stealMeasuredFrom = stealAtLastTick.get();
                }
                stealMeasuredTo = now.get();
            }
            stealAtLastTick = now;
        }

        private Optional<CpuSteal.Share> measuredSteal() {
            return stealMeasuredFrom == null ? Optional.empty() : Optional.of(stealMeasuredTo.since(stealMeasuredFrom));
        }

        LoadResult result() {
            Map<LoadError, Long> errors = new EnumMap<>(LoadError.class);
            for (LoadError kind : LoadError.values()) {
                errors.put(kind, sum(worker -> worker.stats().errors(kind)));
            }
            Map<String, Long> statusClasses = new LinkedHashMap<>();
            if (spec.protocol() == LoadProtocol.HTTP) {
                Counter[] classes = {Counter.STATUS_1XX, Counter.STATUS_2XX, Counter.STATUS_3XX, Counter.STATUS_4XX, Counter.STATUS_5XX};
                for (int i = 0; i < classes.length; i++) {
                    Counter counter = classes[i];
                    long count = sum(worker -> worker.stats().get(counter));
                    if (count > 0) {
                        statusClasses.put((i + 1) + "xx", count);
                    }
                }
            }
            // Requests sent while catching up after the end stretch the measured period to the
            // last of them, so throughput is the rate the server took its load in, not more.
            long measuredEnd = phases.measureStart();
            for (Worker worker : workers) {
                long end = worker.measuredUntil();
                if (end - measuredEnd > 0) {
                    measuredEnd = end;
                }
            }
            double measuredSeconds = (measuredEnd - phases.measureStart()) / 1e9;
            long maxRequests = spec.localMaxRequests();
            long completed = sum(worker -> worker.stats().get(Counter.MEASURED_COMPLETED));
            // A high-water mark kept as connections open, not a once-a-second sample, which a run
            // shorter than its first second would never take.
            long peakOpen = gauge.peak();
            LoadSnapshot totals = harvest.snapshot();
            Histogram sendLag = totals.sendLag();
            boolean stoppedEarly = phases.stoppedEarly() && (maxRequests == 0 || completed < maxRequests);
            long requested = requested(measuredSeconds, stoppedEarly);
            double lateSeconds = phases.lateNanos(System.nanoTime()) / 1e9;
            Optional<CpuSteal.Share> steal = measuredSteal();
            List<String> warnings = warnings(requested, completed, measuredSeconds, peakOpen, sendLag, errors, stoppedEarly, lateSeconds);
            stealWarning(steal).ifPresent(warnings::add);
            Instant measuredStart = startedAt.plusNanos(phases.measureStart() - phases.start());
            return new LoadResult(spec, environment, startedAt, measuredStart, lateSeconds, phases.openingNanos() / 1e9, measuredSeconds, requested,
                    sum(worker -> worker.stats().get(Counter.SENT)), completed,
                    sum(worker -> worker.stats().get(Counter.UNSENT)), errors, statusClasses,
                    sum(worker -> worker.stats().get(Counter.BYTES_SENT)),
                    sum(worker -> worker.stats().get(Counter.BYTES_RECEIVED)), peakOpen,
                    sum(worker -> worker.stats().get(Counter.CONNECTS)),
                    sum(worker -> worker.stats().get(Counter.STALLED_CONNECTS)),
                    sum(worker -> worker.stats().get(Counter.REORDERED)),
                    sum(worker -> worker.stats().get(Counter.LATE)),
                    totals.response(), totals.service(), sendLag, intervals, stoppedEarly, steal, warnings);
        }

        /**
         * Requests the open model asked for in the measured period (0 in the closed model): the
         * whole period's, at most {@code --requests}; for a run stopped early, only those that came
         * due in the part that ran, which is {@code measuredSeconds} long (a stop leaves no catch-up
         * to stretch it), and never more than the whole period's.
         */
        private long requested(double measuredSeconds, boolean stoppedEarly) {
            if (spec.closedModel()) {
                return 0;
            }
            long requested = Math.round(spec.localRate() * spec.duration().toNanos() / 1e9);
            if (spec.localMaxRequests() > 0) {
                requested = Math.min(requested, spec.localMaxRequests());
            }
            if (stoppedEarly) {
                requested = Math.min(requested, Math.round(spec.localRate() * measuredSeconds));
            }
            return requested;
        }

        private List<String> warnings(long requested, long completed, double measuredSeconds, long peakOpen, Histogram sendLag,
                                      Map<LoadError, Long> errors, boolean stoppedEarly, double lateSeconds) {
            List<String> warnings = new ArrayList<>();
            if (spec.start() instanceof Start.At at && lateSeconds > Start.LATE_TOLERANCE.toNanos() / 1e9) {
                warnings.add(String.format(Locale.ROOT, "late start: the last connection opened %.3f s after --start-at %s (tolerance %.1f s),"
                        + " so the requests due before it were sent late and count from their intended times", lateSeconds, at.instant(),
                        Start.LATE_TOLERANCE.toMillis() / 1000.0));
            }
            if (stoppedEarly) {
                warnings.add(String.format(Locale.ROOT, "the run was stopped %.1f s into its %.1f s measured period: its figures cover only that part",
                        Math.max(0, (phases.stoppedAt() - phases.measureStart()) / 1e9), spec.duration().toNanos() / 1e9));
            }
            if (peakOpen < spec.localConnections()) {
                int neverOpened = spec.localConnections() - phases.firstOpens();
                warnings.add(String.format(Locale.ROOT, "only %,d of %,d connections were open at once%s", peakOpen, spec.localConnections(),
                        neverOpened == 0 ? "" : String.format(Locale.ROOT, "; %,d never opened before the opening gave up, %.1f s in",
                                neverOpened, phases.openingNanos() / 1e9)));
            }
            warnings.addAll(ResourceWarnings.of(spec, errors));
            long failures = errors.values().stream().mapToLong(Long::longValue).sum();
            // When requests failed, a lag or a shortfall is what the failures did to the schedule
            // (requests waiting for connections the target dropped or refused), not the generator
            // falling behind: say so, so the blame lands on the side that caused it.
            String failed = failures == 0 ? "" : String.format(Locale.ROOT, "%,d requests or connection attempts failed (%s)",
                    failures, errorKinds(errors));
            if (!spec.closedModel()) {
                long lagP99 = sendLag.getTotalCount() == 0 ? 0 : sendLag.getValueAtPercentile(99);
                if (lagP99 > SEND_LAG_WARNING_MICROS) {
                    warnings.add(failures == 0
                            ? String.format(Locale.ROOT, "send lag p99 is %.3f ms (over 1 ms): the generator fell behind its schedule,"
                                    + " and its own delay is part of the response times", lagP99 / 1000.0)
                            : String.format(Locale.ROOT, "send lag p99 is %.3f ms (over 1 ms) because %s: requests waited for connections"
                                    + " the target dropped or refused, a failure of the target, not the generator falling behind", lagP99 / 1000.0, failed));
                }
                double expected = spec.localMaxRequests() > 0 ? requested : spec.localRate() * measuredSeconds;
                if (completed < RATE_WARNING_SHARE * expected) {
                    warnings.add(String.format(Locale.ROOT, "achieved %.1f req/s, below 99%% of the requested %.1f req/s%s",
                            measuredSeconds > 0 ? completed / measuredSeconds : 0.0, spec.localRate(), failures == 0 ? "" : ", because " + failed));
                }
            }
            return warnings;
        }

        private static String errorKinds(Map<LoadError, Long> errors) {
            return errors.entrySet().stream().filter(e -> e.getValue() > 0)
                    .map(e -> e.getKey().name().toLowerCase(Locale.ROOT) + " " + String.format(Locale.ROOT, "%,d", e.getValue()))
                    .collect(Collectors.joining(", "));
        }

        private long sum(java.util.function.ToLongFunction<Worker> counter) {
            long total = 0;
            for (Worker worker : workers) {
                total += counter.applyAsLong(worker);
            }
            return total;
        }
    }
    /**
     * Moves what the workers recorded into run-wide histograms. Each worker's recorders give up
     * their values once (an interval swap), so one object does all the taking, under its lock,
     * for both readers: the reporting thread, which wants the values since its last interval, and
     * {@link #snapshot()}, which wants everything so far.
     */
    private final class Harvest {
        private final Histogram[] total = newHistograms();
        private final Histogram[] pending = newHistograms();
        /** Each recorder's last interval histogram, given back to it so a harvest allocates nothing. */
        private final Map<SingleWriterRecorder, Histogram> recycled = new IdentityHashMap<>();

        /** The values recorded since the last call, as new histograms: response, service, send lag. */
        synchronized Histogram[] takePending() {
            collect();
            Histogram[] taken = {pending[0].copy(), pending[1].copy(), pending[2].copy()};
            for (Histogram histogram : pending) {
                histogram.reset();
            }
            return taken;
        }

        synchronized LoadSnapshot snapshot() {
            collect();
            Map<LoadError, Long> errors = new EnumMap<>(LoadError.class);
            long sent = 0;
            long completed = 0;
            for (LoadError kind : LoadError.values()) {
                errors.put(kind, 0L);
            }
            for (Worker worker : workers) {
                WorkerStats stats = worker.stats();
                sent += stats.get(Counter.SENT);
                completed += stats.get(Counter.COMPLETED);
                for (LoadError kind : LoadError.values()) {
                    errors.merge(kind, stats.errors(kind), Long::sum);
                }
            }
            return new LoadSnapshot(System.nanoTime(), sent, completed, errors, gauge.open(),
                    total[0].copy(), total[1].copy(), total[2].copy());
        }

        private void collect() {
            for (Worker worker : workers) {
                WorkerStats stats = worker.stats();
                take(0, stats.response);
                take(1, stats.service);
                take(2, stats.sendLag);
            }
        }

        private void take(int which, SingleWriterRecorder recorder) {
            Histogram interval = recorder.getIntervalHistogram(recycled.get(recorder));
            recycled.put(recorder, interval);
            pending[which].add(interval);
            total[which].add(interval);
        }

        private static Histogram[] newHistograms() {
            return new Histogram[] {LatencyHistograms.newHistogram(), LatencyHistograms.newHistogram(), LatencyHistograms.newHistogram()};
        }
    }
}

package io.loombench.server.http;

import io.loombench.server.ServerConfig;
import io.loombench.server.ServerCounters;
import io.loombench.server.protocol.Next;
import io.loombench.server.protocol.ShutdownSignal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Drives an {@link HttpSession} exactly as the server's connection drivers do, without sockets,
 * so tests can feed a request split at any byte and see every byte of the answer.
 *
 * <p>The driver owns an input buffer (read mode between calls, compacted before each "read") and
 * an output buffer that it empties after every {@code process} call, whatever the returned
 * {@link Next}. A "read" delivers at most the input buffer's free space, so a segment larger than
 * the buffer arrives over several reads, as from a socket. {@link Next#WAIT} advances the fake
 * clock by {@link HttpSession#waitMillis()} and calls again, as the blocking models do after their
 * sleep. It checks the driver contract on the way: {@link Next#NEED_INPUT} only while the input
 * buffer has free space, and no run of calls that neither consume input nor produce output (a
 * livelock would otherwise hang the test).
 */
final class SessionDriver {
    static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(30);
    static final long READ_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Shorter than the header deadline, so a test tells the two apart. */
    static final long BODY_NANOS = TimeUnit.SECONDS.toNanos(5);
    static final HttpTimers TIMERS = new HttpTimers(IDLE_NANOS, READ_NANOS, BODY_NANOS);
    /** The server's default buffer size. */
    static final int DEFAULT_BUFFER = 16 * 1024;
    /** The smallest buffer the server accepts: small enough to force FLUSH on big responses. */
    static final int SMALL_BUFFER = ServerConfig.MIN_BUFFER_SIZE;
    /** An arbitrary clock origin, far from zero so that a deadline of 0 + timeout is never right by accident. */
    static final long START_NANOS = 7_000_000_000L;

    private static final int MAX_CALLS_WITHOUT_PROGRESS = 3;
    private static final int MAX_OUTPUT_BYTES = 64 << 20;

    /** Buffer sizes and limits of one connection. */
    record Setup(HttpLimits limits, int inCapacity, int outCapacity) {
        static final Setup DEFAULT = new Setup(HttpLimits.DEFAULTS, DEFAULT_BUFFER, DEFAULT_BUFFER);
        static final Setup SMALL_OUT = new Setup(HttpLimits.DEFAULTS, DEFAULT_BUFFER, SMALL_BUFFER);

        Setup withLimits(HttpLimits value) {
            return new Setup(value, inCapacity, outCapacity);
        }

        Setup withIn(int capacity) {
            return new Setup(limits, capacity, outCapacity);
        }

        Setup withOut(int capacity) {
            return new Setup(limits, inCapacity, capacity);
        }
    }

    /** What one connection did with one input: every byte it sent, and how it ended. */
    record Exchange(byte[] output, boolean closed, List<Long> waits, long requests) {
        /** The output as text (ISO-8859-1, one char per byte) with every Date value replaced. */
        String normalized() {
            return Responses.normalizeDates(Responses.text(output));
        }

        List<Responses.Response> responses(int... bodilessIndexes) {
            return Responses.parse(output, bodilessIndexes);
        }

        /** The one fact set all splits of the same input must agree on. */
        String summary() {
            return "closed=" + closed + " waits=" + waits + " requests=" + requests + "\n" + normalized();
        }
    }

    final HttpSession session;
    final ServerCounters counters = new ServerCounters();
    final ShutdownSignal shutdown = new ShutdownSignal();
    private final ByteBuffer in;
    private final ByteBuffer out;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final List<Long> waits = new ArrayList<>();
    private long now = START_NANOS;
    private Next last;
    private boolean closed;
    private long unread;

    SessionDriver(Setup setup) {
        session = new HttpSession(setup.limits(), new Router(), TIMERS, new HttpDate(), counters, shutdown);
        in = ByteBuffer.allocate(setup.inCapacity()).flip();
        out = ByteBuffer.allocate(setup.outCapacity());
        drive();
    }

    SessionDriver() {
        this(Setup.DEFAULT);
    }

    /** Runs one input through a fresh session, each segment between cuts arriving as separate reads. */
    static Exchange run(Setup setup, byte[] input, int... cuts) {
        SessionDriver driver = new SessionDriver(setup);
        int from = 0;
        for (int cut : cuts) {
            driver.feed(input, from, cut);
            from = cut;
        }
        driver.feed(input, from, input.length);
        return driver.exchange();
    }

    /** Delivers the bytes as reads and lets the session run after each; stops once it closed. */
    SessionDriver feed(byte[] bytes, int from, int to) {
        int position = from;
        while (position < to && !closed) {
            in.compact();
            if (!in.hasRemaining()) {
                in.flip();
                throw new AssertionError("session asked for input while the input buffer is full");
            }
            int n = Math.min(in.remaining(), to - position);
            in.put(bytes, position, n).flip();
            position += n;
            drive();
        }
        unread += to - position;
        return this;
    }

    SessionDriver feed(byte[] bytes) {
        return feed(bytes, 0, bytes.length);
    }

    SessionDriver feed(String ascii) {
        return feed(Responses.bytes(ascii));
    }

    /** Calls the session until it needs input or closes, honouring FLUSH and WAIT. */
    private void drive() {
        int callsWithoutProgress = 0;
        while (true) {
            int inBefore = in.position();
            Next next = session.process(in, out, now);
            boolean progressed = in.position() != inBefore || out.position() > 0;
            flush();
            last = next;
            switch (next) {
                case NEED_INPUT -> {
                    if (in.remaining() == in.capacity()) {
                        throw new AssertionError("NEED_INPUT returned with a full input buffer");
                    }
                    // A lingering session is done with requests: the connection is as good as closed.
                    closed = session.lingering();
                    return;
                }
                case CLOSE -> {
                    closed = true;
                    return;
                }
                case WAIT -> {
                    waits.add(session.waitMillis());
                    now += TimeUnit.MILLISECONDS.toNanos(session.waitMillis());
                }
                case FLUSH -> {
                }
            }
            callsWithoutProgress = progressed ? 0 : callsWithoutProgress + 1;
            if (callsWithoutProgress > MAX_CALLS_WITHOUT_PROGRESS) {
                throw new AssertionError("no progress: " + callsWithoutProgress + " calls in a row returned " + next
                        + " without consuming input or producing output");
            }
        }
    }

    private void flush() {
        out.flip();
        output.write(out.array(), out.arrayOffset() + out.position(), out.remaining());
        out.clear();
        if (output.size() > MAX_OUTPUT_BYTES) {
            throw new AssertionError("runaway output: more than " + MAX_OUTPUT_BYTES + " bytes");
        }
    }

    /** The driver saw the deadline pass: the session writes any last words, then the connection closes. */
    SessionDriver timeout() {
        session.timeout(out);
        flush();
        closed = true;
        return this;
    }

    SessionDriver advanceNanos(long nanos) {
        now += nanos;
        return this;
    }

    long now() {
        return now;
    }

    Next last() {
        return last;
    }

    boolean closed() {
        return closed;
    }

    /** Bytes offered after the session closed, which it never saw. */
    long unread() {
        return unread;
    }

    /** Bytes received but not yet consumed by the session. */
    int buffered() {
        return in.remaining();
    }

    byte[] output() {
        return output.toByteArray();
    }

    /** Forgets the output collected so far, to look at the next response alone. */
    byte[] takeOutput() {
        byte[] bytes = output.toByteArray();
        output.reset();
        return bytes;
    }

    Exchange exchange() {
        return new Exchange(output.toByteArray(), closed, List.copyOf(waits), counters.snapshot().requests());
    }

    // ---- split strategies -------------------------------------------------------------------

    /** Cuts that deliver the input one byte per read. */
    static int[] bytewise(int length) {
        int[] cuts = new int[Math.max(0, length - 1)];
        Arrays.setAll(cuts, i -> i + 1);
        return cuts;
    }

    /** Random cuts with segments of 1 to {@code maxSegment} bytes, reproducible from the seed. */
    static int[] randomCuts(int length, long seed, int maxSegment) {
        Random random = new Random(seed);
        List<Integer> cuts = new ArrayList<>();
        int position = 0;
        while (true) {
            // Mostly small segments, sometimes large ones, so both trickles and bursts occur.
            int segment = 1 + (random.nextInt(4) == 0 ? random.nextInt(maxSegment) : random.nextInt(Math.min(maxSegment, 16)));
            position += segment;
            if (position >= length) {
                break;
            }
            cuts.add(position);
        }
        return cuts.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Runs the input whole, at every single split point (inputs up to {@code everySplitUpTo}
     * bytes), one byte at a time, and at random splits with fixed seeds, each under the given
     * setups, and checks that all runs agree byte for byte (dates aside). Returns the run of the
     * whole input under the first setup.
     */
    static Exchange runEverywhere(byte[] input, Setup... setups) {
        if (setups.length == 0) {
            setups = new Setup[] {Setup.DEFAULT, Setup.SMALL_OUT};
        }
        Exchange reference = run(setups[0], input);
        String expected = reference.summary();
        for (Setup setup : setups) {
            check(expected, setup, input, "whole");
            if (input.length <= EVERY_SPLIT_UP_TO) {
                for (int cut = 1; cut < input.length; cut++) {
                    check(expected, setup, input, "split at " + cut, cut);
                }
            }
            if (input.length <= BYTEWISE_UP_TO) {
                check(expected, setup, input, "one byte at a time", bytewise(input.length));
            }
            for (long seed = 1; seed <= 8; seed++) {
                check(expected, setup, input, "random splits, seed " + seed, randomCuts(input.length, seed, 64 + (int) seed * 512));
            }
        }
        return reference;
    }

    static Exchange runEverywhere(String ascii, Setup... setups) {
        return runEverywhere(Responses.bytes(ascii), setups);
    }

    static final int EVERY_SPLIT_UP_TO = 2048;
    static final int BYTEWISE_UP_TO = 1 << 17;

    private static void check(String expected, Setup setup, byte[] input, String how, int... cuts) {
        String actual = run(setup, input, cuts).summary();
        if (!actual.equals(expected)) {
            throw new AssertionError("input " + how + " (in " + setup.inCapacity() + ", out " + setup.outCapacity()
                    + ") gave a different result.\nexpected:\n" + Responses.visible(expected)
                    + "\nactual:\n" + Responses.visible(actual));
        }
    }
}

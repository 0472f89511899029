package io.loombench.loadgen.engine;

import io.loombench.loadgen.engine.DatagramWindow.Answer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DatagramWindow}: answers classified as first, duplicate, late or never sent; reordering
 * flagged; room limited by the in-flight cap and by the history slot; expiry counting exactly the
 * overdue datagrams in flight, also after the history has wrapped.
 */
class DatagramWindowTest {
    /** The window's history, as documented. */
    private static final int HISTORY = 4096;
    /** A clock origin near the end of the {@code long} range, so sent times wrap around. */
    private static final long T0 = Long.MAX_VALUE - 1_000_000;

    @Test
    void inOrderAnswers() {
        DatagramWindow window = new DatagramWindow(16);
        for (int i = 0; i < 10; i++) {
            assertThat(window.hasRoom()).isTrue();
            assertThat(window.send(T0 + i, T0 + i + 1, true)).isEqualTo(i);
        }
        assertThat(window.inFlight()).isEqualTo(10);
        for (int i = 0; i < 10; i++) {
            assertThat(window.answer(i)).isEqualTo(Answer.FIRST);
            assertThat(window.lastAnswerReordered()).isFalse();
            assertThat(window.intendedOf(i)).isEqualTo(T0 + i);
            assertThat(window.sentOf(i)).isEqualTo(T0 + i + 1);
            assertThat(window.inFlight()).isEqualTo(9 - i);
        }
    }

    @Test
    void answerAfterALaterOneIsReordered() {
        DatagramWindow window = new DatagramWindow(16);
        for (int i = 0; i < 5; i++) {
            window.send(T0, T0, true);
        }
        assertThat(window.answer(2)).isEqualTo(Answer.FIRST);
        assertThat(window.lastAnswerReordered()).isFalse();
        assertThat(window.answer(0)).isEqualTo(Answer.FIRST);
        assertThat(window.lastAnswerReordered()).isTrue();
        assertThat(window.answer(1)).isEqualTo(Answer.FIRST);
        assertThat(window.lastAnswerReordered()).isTrue();
        assertThat(window.answer(4)).isEqualTo(Answer.FIRST);
        assertThat(window.lastAnswerReordered()).isFalse();
        assertThat(window.answer(3)).isEqualTo(Answer.FIRST);
        assertThat(window.lastAnswerReordered()).isTrue();
        // A duplicate does not touch the flag of the last first answer.
        assertThat(window.answer(4)).isEqualTo(Answer.DUPLICATE);
        assertThat(window.lastAnswerReordered()).isTrue();
    }

    @Test
    void duplicateAnswers() {
        DatagramWindow window = new DatagramWindow(4);
        window.send(T0, T0, true);
        window.send(T0, T0, true);
        assertThat(window.answer(0)).isEqualTo(Answer.FIRST);
        assertThat(window.answer(0)).isEqualTo(Answer.DUPLICATE);
        assertThat(window.answer(0)).isEqualTo(Answer.DUPLICATE);
        assertThat(window.inFlight()).isEqualTo(1);
    }

    @Test
    void answerAfterExpiryIsLate() {
        DatagramWindow window = new DatagramWindow(4);
        window.send(T0, T0, true);
        window.send(T0 + 10, T0 + 10, true);
        assertThat(window.expire(T0)).isZero();
        assertThat(window.expire(T0 + 1)).isEqualTo(1);
        assertThat(window.inFlight()).isEqualTo(1);
        assertThat(window.answer(0)).isEqualTo(Answer.LATE);
        assertThat(window.answer(0)).isEqualTo(Answer.LATE);
        assertThat(window.answer(1)).isEqualTo(Answer.FIRST);
        assertThat(window.expire(T0 + 1_000)).isZero();
    }

    @Test
    void neverSent() {
        DatagramWindow window = new DatagramWindow(4);
        assertThat(window.answer(0)).isEqualTo(Answer.NEVER_SENT);
        window.send(T0, T0, true);
        assertThat(window.answer(1)).isEqualTo(Answer.NEVER_SENT);
        assertThat(window.answer(-1)).isEqualTo(Answer.NEVER_SENT);
        assertThat(window.answer(Long.MIN_VALUE)).isEqualTo(Answer.NEVER_SENT);
        assertThat(window.answer(Long.MAX_VALUE)).isEqualTo(Answer.NEVER_SENT);
        assertThat(window.inFlight()).isEqualTo(1);
        assertThat(window.answer(0)).isEqualTo(Answer.FIRST);
    }

    @Test
    void roomIsLimitedByMaxInFlight() {
        DatagramWindow window = new DatagramWindow(3);
        for (int i = 0; i < 3; i++) {
            assertThat(window.hasRoom()).isTrue();
            window.send(T0, T0, true);
        }
        assertThat(window.hasRoom()).isFalse();
        window.answer(1);
        assertThat(window.hasRoom()).isTrue();
        window.send(T0, T0, true);
        assertThat(window.hasRoom()).isFalse();
        assertThat(window.expire(T0 + 1)).isEqualTo(3);
        assertThat(window.hasRoom()).isTrue();
    }

    @Test
    void roomIsLimitedByTheHistorySlot() {
        DatagramWindow window = new DatagramWindow(HISTORY);
        window.send(T0, T0, true);   // never answered
        for (int i = 1; i < HISTORY; i++) {
            window.send(T0 + i, T0 + i, true);
            window.answer(i);
        }
        // Sequence 4096 would take the slot of sequence 0, still in flight.
        assertThat(window.inFlight()).isEqualTo(1);
        assertThat(window.hasRoom()).isFalse();
        assertThat(window.expire(T0 + 1)).isEqualTo(1);
        assertThat(window.hasRoom()).isTrue();
        assertThat(window.send(T0 + HISTORY, T0 + HISTORY, true)).isEqualTo(HISTORY);
        assertThat(window.answer(0)).isEqualTo(Answer.LATE);
    }

    @Test
    void maxInFlightIsCappedAtTheHistory() {
        DatagramWindow window = new DatagramWindow(10 * HISTORY);
        for (int i = 0; i < HISTORY; i++) {
            assertThat(window.hasRoom()).isTrue();
            window.send(T0, T0, true);
        }
        assertThat(window.hasRoom()).isFalse();
    }

    @Test
    void historyWrapsAround() {
        DatagramWindow window = new DatagramWindow(8);
        int sends = 3 * HISTORY + 123;
        for (int i = 0; i < sends; i++) {
            long sequence = window.send(T0 + 2L * i, T0 + 2L * i + 1, true);
            assertThat(sequence).isEqualTo(i);
            assertThat(window.answer(sequence)).isEqualTo(Answer.FIRST);
            assertThat(window.intendedOf(sequence)).isEqualTo(T0 + 2L * i);
            assertThat(window.sentOf(sequence)).isEqualTo(T0 + 2L * i + 1);
        }
        for (long sequence = 0; sequence < sends - HISTORY; sequence++) {
            assertThat(window.answer(sequence)).as("sequence %d", sequence).isEqualTo(Answer.LATE);
        }
        for (long sequence = sends - HISTORY; sequence < sends; sequence++) {
            assertThat(window.answer(sequence)).as("sequence %d", sequence).isEqualTo(Answer.DUPLICATE);
        }
        assertThat(window.answer(sends)).isEqualTo(Answer.NEVER_SENT);
        assertThat(window.inFlight()).isZero();
    }

    @Test
    void clearForgetsWhatIsInFlightAndKeepsNumbering() {
        DatagramWindow window = new DatagramWindow(8);
        window.send(T0, T0, true);
        window.send(T0, T0, true);
        window.answer(1);
        window.clear();
        assertThat(window.inFlight()).isZero();
        assertThat(window.hasRoom()).isTrue();
        assertThat(window.answer(0)).isEqualTo(Answer.LATE);
        assertThat(window.expire(T0 + 1_000)).isZero();
        assertThat(window.send(T0 + 5, T0 + 5, true)).isEqualTo(2);
        assertThat(window.answer(2)).isEqualTo(Answer.FIRST);
    }

    /**
     * Expiry lagging more than a history behind the sends: datagram 0 was answered, 4096 more were
     * sent since the last expiry, and datagram 5 is overdue while 4096, in slot 0, is not. The walk
     * must not stop at slot 0 before reaching datagram 5.
     */
    @Test
    void expiryAfterMoreThanAHistoryOfSendsCountsEveryOverdueDatagram() {
        DatagramWindow window = new DatagramWindow(64);
        int sends = HISTORY + 1;
        for (int i = 0; i < sends; i++) {
            window.send(T0 + i, T0 + i, true);
            if (i != 5 && i != HISTORY) {
                window.answer(i);
            }
        }
        assertThat(window.inFlight()).isEqualTo(2);
        assertThat(window.expire(T0 + 100)).isEqualTo(1);
        assertThat(window.answer(5)).isEqualTo(Answer.LATE);
        assertThat(window.inFlight()).isEqualTo(1);
        assertThat(window.expire(T0 + sends)).isEqualTo(1);
        assertThat(window.inFlight()).isZero();
    }

    /**
     * Random sends (respecting {@link DatagramWindow#hasRoom()}), datagrams dropped, answers in any
     * order, duplicates, answers to never-sent and old sequences, and expiries, rare or frequent,
     * against a model that knows every datagram's fate.
     */
    @ParameterizedTest(name = "expire about every {0} steps")
    @ValueSource(ints = {1, 50, 3000, 20_000})
    void randomTrafficMatchesTheModel(int expiryEvery) {
        for (long seed = 1; seed <= 5; seed++) {
            runRandom(seed, expiryEvery);
        }
    }

    private enum Fate { IN_FLIGHT, ANSWERED, LOST }

    private static void runRandom(long seed, int expiryEvery) {
        SplittableRandom random = new SplittableRandom(seed * 31 + expiryEvery);
        int maxInFlight = 1 + random.nextInt(1000);
        DatagramWindow window = new DatagramWindow(maxInFlight);
        Map<Long, Fate> fates = new HashMap<>();
        Map<Long, Long> sentAt = new HashMap<>();
        List<Long> inFlight = new ArrayList<>();
        // Datagrams in flight whose answer will come, oldest first; the others are dropped by the "network".
        List<Long> answerable = new ArrayList<>();
        int dropPerMille = random.nextInt(30);
        long next = 0;
        long now = T0;
        long highestAnswered = -1;
        int timeout = 1 + random.nextInt(5_000);
        for (int step = 0; step < 60_000; step++) {
            now += random.nextInt(3);
            int op = random.nextInt(100);
            boolean room = inFlight.size() < maxInFlight && fates.get(next - HISTORY) != Fate.IN_FLIGHT;
            same(window.hasRoom(), room, seed, step, "hasRoom()");
            same(window.inFlight(), inFlight.size(), seed, step, "inFlight()");
            if (op < 50) {
                if (room) {
                    same(window.send(now - next % 10, now, true), next, seed, step, "send()");
                    fates.put(next, Fate.IN_FLIGHT);
                    sentAt.put(next, now);
                    inFlight.add(next);
                    if (random.nextInt(1000) >= dropPerMille) {
                        answerable.add(next);
                    }
                    next++;
                }
            } else if (op < 85) {
                // Mostly the oldest in flight, sometimes any in flight (reordering), sometimes anything sent.
                long sequence;
                if (!answerable.isEmpty() && op < 80) {
                    sequence = answerable.get(op < 70 ? 0 : random.nextInt(answerable.size()));
                } else {
                    sequence = next == 0 ? 0 : random.nextLong(next);
                }
                Answer expected;
                Fate fate = fates.get(sequence);
                if (fate == null) {
                    expected = Answer.NEVER_SENT;
                } else if (sequence < next - HISTORY || fate == Fate.LOST) {
                    expected = Answer.LATE;
                } else if (fate == Fate.ANSWERED) {
                    expected = Answer.DUPLICATE;
                } else {
                    expected = Answer.FIRST;
                }
                same(window.answer(sequence), expected, seed, step, "answer(" + sequence + ")");
                if (expected == Answer.FIRST) {
                    same(window.lastAnswerReordered(), sequence < highestAnswered, seed, step, "lastAnswerReordered()");
                    same(window.sentOf(sequence), sentAt.get(sequence), seed, step, "sentOf()");
                    same(window.intendedOf(sequence), sentAt.get(sequence) - sequence % 10, seed, step, "intendedOf()");
                    highestAnswered = Math.max(highestAnswered, sequence);
                    fates.put(sequence, Fate.ANSWERED);
                    inFlight.remove(sequence);
                    answerable.remove(sequence);
                }
            } else if (op < 88) {
                same(window.answer(next + random.nextInt(3)), Answer.NEVER_SENT, seed, step, "answer(never sent)");
            } else if (random.nextInt(expiryEvery) == 0) {
                long sentBefore = now - timeout;
                // In flight is in sending order, so in order of sent times: the overdue ones come first.
                int overdue = 0;
                while (overdue < inFlight.size() && sentAt.get(inFlight.get(overdue)) - sentBefore < 0) {
                    long sequence = inFlight.get(overdue++);
                    fates.put(sequence, Fate.LOST);
                    answerable.remove(sequence);
                }
                inFlight.subList(0, overdue).clear();
                same(window.expire(sentBefore), overdue, seed, step, "expire()");
            }
        }
    }

    /** A plain check: this runs millions of times, so the message is built only on failure. */
    private static void same(Object actual, Object expected, long seed, int step, String what) {
        if (!Objects.equals(actual, expected)) {
            throw new AssertionError("seed " + seed + " step " + step + ": " + what + " is " + actual + ", expected " + expected);
        }
    }
}

package io.loombench.loadgen.engine;

import java.util.Arrays;

/**
 * The datagrams of one UDP socket, by sequence number: which are in flight, answered or lost.
 * Answers may come back in any order, twice, or never, so unlike TCP this is a table, not a queue.
 *
 * <p>It remembers the last {@code HISTORY} sequence numbers, so a duplicate or a late answer is
 * recognised as such if it arrives within that many sends; an answer older than that is counted
 * as late. Sends are refused while the slot a new datagram needs still holds one in flight.
 */
final class DatagramWindow {
    private static final int HISTORY = 4096;
    private static final int MASK = HISTORY - 1;

    private static final byte EMPTY = 0;
    private static final byte IN_FLIGHT = 1;
    private static final byte ANSWERED = 2;
    private static final byte LOST = 3;

    /** What {@link #answer} found. */
    enum Answer { FIRST, DUPLICATE, LATE, NEVER_SENT }

    private final int maxInFlight;
    private final long[] sequences = new long[HISTORY];
    private final long[] intended = new long[HISTORY];
    private final long[] sent = new long[HISTORY];
    private final boolean[] measured = new boolean[HISTORY];
    private final byte[] states = new byte[HISTORY];
    private long nextSequence;
    /** No datagram below this is in flight. */
    private long oldestInFlight;
    private long highestAnswered = -1;
    private int inFlight;
    private boolean lastAnswerReordered;

    /** @param maxInFlight datagrams allowed in flight at once, at most {@code HISTORY} */
    DatagramWindow(int maxInFlight) {
        this.maxInFlight = Math.min(maxInFlight, HISTORY);
    }

    int inFlight() {
        return inFlight;
    }

    boolean hasRoom() {
        return inFlight < maxInFlight && states[(int) (nextSequence & MASK)] != IN_FLIGHT;
    }

    /** Takes the next sequence number for a datagram being sent. */
    long send(long intendedNanos, long sentNanos, boolean isMeasured) {
        long sequence = nextSequence++;
        int slot = (int) (sequence & MASK);
        sequences[slot] = sequence;
        intended[slot] = intendedNanos;
        sent[slot] = sentNanos;
        measured[slot] = isMeasured;
        states[slot] = IN_FLIGHT;
        inFlight++;
        return sequence;
    }

    /** Classifies an answer; for {@link Answer#FIRST}, {@link #intendedOf}, {@link #sentOf} and {@link #measuredOf} tell its request. */
    Answer answer(long sequence) {
        if (sequence < 0 || sequence >= nextSequence) {
            return Answer.NEVER_SENT;
        }
        int slot = (int) (sequence & MASK);
        if (sequences[slot] != sequence) {
            return Answer.LATE;
        }
        switch (states[slot]) {
            case IN_FLIGHT -> {
                states[slot] = ANSWERED;
                inFlight--;
                lastAnswerReordered = sequence < highestAnswered;
                highestAnswered = Math.max(highestAnswered, sequence);
                return Answer.FIRST;
            }
            case ANSWERED -> {
                return Answer.DUPLICATE;
            }
            default -> {
                return Answer.LATE;
            }
        }
    }

    /** True if the last first answer came after an answer to a later datagram. */
    boolean lastAnswerReordered() {
        return lastAnswerReordered;
    }

    long intendedOf(long sequence) {
        return intended[(int) (sequence & MASK)];
    }

    long sentOf(long sequence) {
        return sent[(int) (sequence & MASK)];
    }

    boolean measuredOf(long sequence) {
        return measured[(int) (sequence & MASK)];
    }

    /** Marks datagrams sent before {@code sentBefore} and still in flight as lost; returns how many. */
    int expire(long sentBefore) {
        // Slots of datagrams a whole history behind now hold newer ones (a slot is reused only once
        // its datagram is no longer in flight). Walking them as if they were the older ones would
        // stop at a newer datagram not yet overdue, before reaching overdue ones sent earlier.
        oldestInFlight = Math.max(oldestInFlight, nextSequence - HISTORY);
        int lost = 0;
        while (oldestInFlight < nextSequence) {
            int slot = (int) (oldestInFlight & MASK);
            if (states[slot] == IN_FLIGHT) {
                if (sent[slot] - sentBefore >= 0) {
                    break;
                }
                states[slot] = LOST;
                inFlight--;
                lost++;
            }
            oldestInFlight++;
        }
        return lost;
    }

    /** Forgets every datagram in flight (the caller has counted them), for a new socket. */
    void clear() {
        Arrays.fill(states, EMPTY);
        inFlight = 0;
        oldestInFlight = nextSequence;
    }
}

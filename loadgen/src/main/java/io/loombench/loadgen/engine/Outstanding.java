package io.loombench.loadgen.engine;

/**
 * The requests of one TCP connection awaiting their answers, oldest first: a ring of intended and
 * actual send times, and whether each is measured, as long as the pipeline is deep. Answers arrive
 * in request order, so the oldest entry is always the one being answered.
 */
final class Outstanding {
    private final long[] intended;
    private final long[] sent;
    private final boolean[] measured;
    private int head;
    private int size;

    Outstanding(int capacity) {
        intended = new long[capacity];
        sent = new long[capacity];
        measured = new boolean[capacity];
    }

    int size() {
        return size;
    }

    boolean full() {
        return size == intended.length;
    }

    void add(long intendedNanos, long sentNanos, boolean isMeasured) {
        int tail = (head + size) % intended.length;
        intended[tail] = intendedNanos;
        sent[tail] = sentNanos;
        measured[tail] = isMeasured;
        size++;
    }

    long oldestIntended() {
        return intended[head];
    }

    long oldestSent() {
        return sent[head];
    }

    boolean oldestMeasured() {
        return measured[head];
    }

    void removeOldest() {
        head = (head + 1) % intended.length;
        size--;
    }

    void clear() {
        size = 0;
        head = 0;
    }
}

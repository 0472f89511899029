package io.loombench.loadgen.engine;

/**
 * A first-in, first-out queue of connection indexes, each in it at most once, in a ring as large
 * as the worker's connections: no allocation per use.
 */
final class IndexQueue {
    private final int[] ring;
    private int head;
    private int size;

    /** @param capacity indexes range over {@code [0, capacity)} */
    IndexQueue(int capacity) {
        ring = new int[capacity];
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Adds an index that is not in the queue. */
    void add(int index) {
        ring[(head + size) % ring.length] = index;
        size++;
    }

    /** Removes and returns the oldest index; only when not empty. */
    int poll() {
        int index = ring[head];
        head = (head + 1) % ring.length;
        size--;
        return index;
    }
}

package io.loombench.loadgen.engine;

import java.util.Arrays;

/**
 * A min-heap of connection ids keyed by a {@link System#nanoTime()} deadline, with each id in it at
 * most once and its position tracked, so setting, moving and removing a deadline are O(log n) and
 * allocation-free. A worker keeps one: each of its connections has at most one pending timer
 * (its next connect attempt, or its next intended send).
 *
 * <p>Keys are compared as {@code a - b < 0}, which is correct across {@code nanoTime} wrap-around
 * as long as all keys lie within 2^63 ns of each other.
 */
final class TimerHeap {
    private final int[] heap;
    private final long[] keys;
    /** Position of each id in {@link #heap}, or -1 when absent. */
    private final int[] positions;
    private int size;

    /** @param capacity ids range over {@code [0, capacity)} */
    TimerHeap(int capacity) {
        heap = new int[capacity];
        keys = new long[capacity];
        positions = new int[capacity];
        Arrays.fill(positions, -1);
    }

    boolean isEmpty() {
        return size == 0;
    }

    boolean contains(int id) {
        return positions[id] >= 0;
    }

    /** The earliest deadline; only when not empty. */
    long minKey() {
        return keys[heap[0]];
    }

    /** Sets or moves the deadline of {@code id}. */
    void set(int id, long key) {
        int position = positions[id];
        if (position < 0) {
            keys[id] = key;
            heap[size] = id;
            positions[id] = size;
            siftUp(size++);
            return;
        }
        long old = keys[id];
        keys[id] = key;
        if (key - old < 0) {
            siftUp(position);
        } else {
            siftDown(position);
        }
    }

    /** Removes and returns the id with the earliest deadline; only when not empty. */
    int poll() {
        int first = heap[0];
        removeAt(0);
        return first;
    }

    void remove(int id) {
        int position = positions[id];
        if (position >= 0) {
            removeAt(position);
        }
    }

    private void removeAt(int position) {
        int removed = heap[position];
        positions[removed] = -1;
        size--;
        if (position == size) {
            return;
        }
        int last = heap[size];
        heap[position] = last;
        positions[last] = position;
        siftDown(position);
        if (heap[position] == last) {
            siftUp(position);
        }
    }

    private void siftUp(int position) {
        int id = heap[position];
        long key = keys[id];
        while (position > 0) {
            int parent = (position - 1) >>> 1;
            int parentId = heap[parent];
            if (key - keys[parentId] >= 0) {
                break;
            }
            heap[position] = parentId;
            positions[parentId] = position;
            position = parent;
        }
        heap[position] = id;
        positions[id] = position;
    }

    private void siftDown(int position) {
        int id = heap[position];
        long key = keys[id];
        int half = size >>> 1;
        while (position < half) {
            int child = 2 * position + 1;
            int right = child + 1;
            if (right < size && keys[heap[right]] - keys[heap[child]] < 0) {
                child = right;
            }
            int childId = heap[child];
            if (keys[childId] - key >= 0) {
                break;
            }
            heap[position] = childId;
            positions[childId] = position;
            position = child;
        }
        heap[position] = id;
        positions[id] = position;
    }
}

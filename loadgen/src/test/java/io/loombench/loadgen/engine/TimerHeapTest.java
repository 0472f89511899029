package io.loombench.loadgen.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TimerHeap} against a reference model: a sorted map from deadline to ids. Deadlines are
 * generated as offsets from a base, so the model orders them without wrap-around while the heap
 * sees {@code base + offset}, which wraps past {@link Long#MAX_VALUE} when the base is near it.
 */
class TimerHeapTest {
    private static final int CAPACITY = 64;
    /** Offsets stay well inside 2^63 of each other, the heap's documented condition. */
    private static final long SPREAD = 1L << 40;

    /** The model: the deadline offset of each id present, and the ids at each offset. */
    private static final class Model {
        final Map<Integer, Long> offsets = new HashMap<>();
        final TreeMap<Long, TreeSet<Integer>> byOffset = new TreeMap<>();

        void set(int id, long offset) {
            remove(id);
            offsets.put(id, offset);
            byOffset.computeIfAbsent(offset, k -> new TreeSet<>()).add(id);
        }

        void remove(int id) {
            Long old = offsets.remove(id);
            if (old != null) {
                TreeSet<Integer> ids = byOffset.get(old);
                ids.remove(id);
                if (ids.isEmpty()) {
                    byOffset.remove(old);
                }
            }
        }
    }

    @ParameterizedTest(name = "base {0}")
    @ValueSource(longs = {0L, -SPREAD / 2, Long.MAX_VALUE - SPREAD / 2, Long.MIN_VALUE - SPREAD / 2, Long.MAX_VALUE, Long.MIN_VALUE})
    void randomOperationsMatchTheModel(long base) {
        for (long seed = 1; seed <= 20; seed++) {
            runRandom(base, seed);
        }
    }

    private static void runRandom(long base, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        TimerHeap heap = new TimerHeap(CAPACITY);
        Model model = new Model();
        // Few distinct offsets in some runs, so equal deadlines occur often.
        long range = seed % 2 == 0 ? 16 : SPREAD;
        for (int step = 0; step < 5_000; step++) {
            int id = random.nextInt(CAPACITY);
            int op = random.nextInt(10);
            if (op < 4) {
                // Insert, or move earlier or later when present.
                long offset = random.nextLong(range);
                heap.set(id, base + offset);
                model.set(id, offset);
            } else if (op < 6) {
                // Move strictly earlier or later than the current deadline when present.
                Long current = model.offsets.get(id);
                if (current != null) {
                    long delta = 1 + random.nextLong(range);
                    long offset = random.nextBoolean() ? current - delta : current + delta;
                    heap.set(id, base + offset);
                    model.set(id, offset);
                }
            } else if (op < 8) {
                // Removing an absent id does nothing.
                heap.remove(id);
                model.remove(id);
            } else if (!model.offsets.isEmpty()) {
                long min = model.byOffset.firstKey();
                long key = heap.minKey();
                int polled = heap.poll();
                if (key != base + min || !model.byOffset.get(min).contains(polled)) {
                    throw new AssertionError("seed " + seed + " step " + step + ": polled " + polled + " at " + key
                            + ", expected one of " + model.byOffset.get(min) + " at " + (base + min));
                }
                model.remove(polled);
            }
            String mismatch = mismatch(heap, model, base);
            if (mismatch != null) {
                throw new AssertionError("seed " + seed + " step " + step + " op " + op + " id " + id + ": " + mismatch);
            }
        }
        drain(heap, model, base);
    }

    /** How the heap differs from the model, or null. (Plain checks: this runs 600,000 times.) */
    private static String mismatch(TimerHeap heap, Model model, long base) {
        if (heap.isEmpty() != model.offsets.isEmpty()) {
            return "isEmpty() is " + heap.isEmpty();
        }
        for (int id = 0; id < CAPACITY; id++) {
            if (heap.contains(id) != model.offsets.containsKey(id)) {
                return "contains(" + id + ") is " + heap.contains(id);
            }
        }
        if (!model.offsets.isEmpty() && heap.minKey() != base + model.byOffset.firstKey()) {
            return "minKey() is " + heap.minKey() + ", expected " + (base + model.byOffset.firstKey());
        }
        return null;
    }

    /** Polling everything yields deadlines in non-decreasing (wrap-aware) order, each id once. */
    private static void drain(TimerHeap heap, Model model, long base) {
        long previous = Long.MIN_VALUE;
        while (!heap.isEmpty()) {
            long key = heap.minKey();
            int id = heap.poll();
            long offset = model.offsets.get(id);
            assertThat(key).isEqualTo(base + offset);
            assertThat(offset).isGreaterThanOrEqualTo(previous);
            previous = offset;
            model.remove(id);
            assertThat(heap.contains(id)).isFalse();
        }
        assertThat(model.offsets).isEmpty();
    }

    @Test
    void ordersAcrossWrapAround() {
        TimerHeap heap = new TimerHeap(4);
        heap.set(0, Long.MIN_VALUE + 5);   // after the wrap: latest
        heap.set(1, Long.MAX_VALUE);
        heap.set(2, Long.MAX_VALUE - 10);  // earliest
        heap.set(3, Long.MIN_VALUE);
        assertThat(heap.minKey()).isEqualTo(Long.MAX_VALUE - 10);
        assertThat(heap.poll()).isEqualTo(2);
        assertThat(heap.poll()).isEqualTo(1);
        assertThat(heap.poll()).isEqualTo(3);
        assertThat(heap.poll()).isEqualTo(0);
        assertThat(heap.isEmpty()).isTrue();
    }

    @Test
    void movingAKeyEarlierAndLaterReorders() {
        TimerHeap heap = new TimerHeap(3);
        heap.set(0, 100);
        heap.set(1, 200);
        heap.set(2, 300);
        heap.set(2, 50);
        assertThat(heap.minKey()).isEqualTo(50);
        heap.set(2, 400);
        assertThat(heap.minKey()).isEqualTo(100);
        heap.set(0, 250);
        assertThat(heap.poll()).isEqualTo(1);
        assertThat(heap.poll()).isEqualTo(0);
        assertThat(heap.poll()).isEqualTo(2);
    }

    @Test
    void removingAnAbsentIdChangesNothing() {
        TimerHeap heap = new TimerHeap(3);
        heap.remove(1);
        assertThat(heap.isEmpty()).isTrue();
        heap.set(0, 10);
        heap.remove(1);
        heap.remove(2);
        assertThat(heap.contains(0)).isTrue();
        assertThat(heap.poll()).isEqualTo(0);
        heap.remove(0);
        assertThat(heap.isEmpty()).isTrue();
    }

    @Test
    void fillsToCapacityAndEmpties() {
        int capacity = 1000;
        TimerHeap heap = new TimerHeap(capacity);
        SplittableRandom random = new SplittableRandom(42);
        long[] keys = new long[capacity];
        for (int id = 0; id < capacity; id++) {
            keys[id] = Long.MAX_VALUE - 500_000 + random.nextLong(1_000_000);
            heap.set(id, keys[id]);
        }
        long previous = Long.MAX_VALUE - 500_000;
        for (int i = 0; i < capacity; i++) {
            long key = heap.minKey();
            int id = heap.poll();
            assertThat(key).isEqualTo(keys[id]);
            assertThat(key - previous).isGreaterThanOrEqualTo(0);
            previous = key;
        }
        assertThat(heap.isEmpty()).isTrue();
    }
}

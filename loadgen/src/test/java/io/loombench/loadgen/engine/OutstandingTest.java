package io.loombench.loadgen.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Outstanding}: a FIFO of (intended, sent) pairs, through many wrap-arounds of its ring. */
class OutstandingTest {

    @Test
    void fifoThroughWrapAround() {
        for (int capacity : new int[] {1, 2, 3, 7, 64}) {
            SplittableRandom random = new SplittableRandom(capacity);
            Outstanding outstanding = new Outstanding(capacity);
            ArrayDeque<long[]> model = new ArrayDeque<>();
            long counter = Long.MAX_VALUE - 10_000;
            for (int step = 0; step < 20_000; step++) {
                String where = "capacity " + capacity + " step " + step;
                if (!outstanding.full() && (model.isEmpty() || random.nextInt(100) < 55)) {
                    long intended = counter++;
                    long sent = intended + random.nextInt(1000);
                    outstanding.add(intended, sent, true);
                    model.add(new long[] {intended, sent});
                } else {
                    long[] oldest = model.remove();
                    assertThat(outstanding.oldestIntended()).as(where).isEqualTo(oldest[0]);
                    assertThat(outstanding.oldestSent()).as(where).isEqualTo(oldest[1]);
                    outstanding.removeOldest();
                }
                assertThat(outstanding.size()).as(where).isEqualTo(model.size());
                assertThat(outstanding.full()).as(where).isEqualTo(model.size() == capacity);
            }
        }
    }

    @Test
    void clearEmptiesAndRestarts() {
        Outstanding outstanding = new Outstanding(3);
        outstanding.add(1, 2, true);
        outstanding.add(3, 4, true);
        outstanding.removeOldest();
        outstanding.add(5, 6, true);
        outstanding.clear();
        assertThat(outstanding.size()).isZero();
        assertThat(outstanding.full()).isFalse();
        outstanding.add(7, 8, true);
        outstanding.add(9, 10, true);
        outstanding.add(11, 12, true);
        assertThat(outstanding.full()).isTrue();
        assertThat(outstanding.oldestIntended()).isEqualTo(7);
        assertThat(outstanding.oldestSent()).isEqualTo(8);
        outstanding.removeOldest();
        assertThat(outstanding.oldestIntended()).isEqualTo(9);
        outstanding.removeOldest();
        assertThat(outstanding.oldestSent()).isEqualTo(12);
    }
}

package io.loombench.loadgen.engine;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link ConnectGate}, on a clock of its caller's making: it paces attempts, doubles its pace while
 * connections are served, halves it (at most once per stall time) when attempts fail, then grows
 * it back slowly, and takes its stall time from the connect times it sees.
 */
class ConnectGateTest {
    /** Near the end of the {@code nanoTime} range, so the clock wraps during the longer tests. */
    private static final long T0 = Long.MAX_VALUE - TimeUnit.SECONDS.toNanos(50);
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(2);

    @Test
    void pacesAttemptsAtItsRate() {
        ConnectGate gate = new ConnectGate(10_000, TIMEOUT, T0);

        assertThat(gate.rate()).isEqualTo(ConnectGate.INITIAL_RATE);
        assertThat(gate.tryAcquire(T0)).isTrue();
        assertThat(gate.tryAcquire(T0)).as("one token, then one per millisecond at 1,000/s").isFalse();
        assertThat(gate.nextAt(T0)).isEqualTo(T0 + MS);
        assertThat(gate.tryAcquire(T0 + MS)).isTrue();
        int taken = 0;
        for (long t = T0 + MS; t - (T0 + 101 * MS) < 0; t += 10_000) {
            taken += gate.tryAcquire(t) ? 1 : 0;
        }
        assertThat(taken).as("100 ms at 1,000/s").isBetween(99, 101);
    }

    /**
     * A worker busy with its open connections asks the gate once per turn of its loop: every 20 ms,
     * say. At 10,000/s it then gets the bucket's 10 ms worth, 100 attempts, per turn (5,000/s), not
     * the 200 that have accrued, and a gate nobody asked for a second holds no more than that either.
     */
    @Test
    void aCallerThatAsksSeldomGetsOneBurstPerVisit() {
        ConnectGate gate = new ConnectGate(10_000, TIMEOUT, T0);
        long t = T0 + 10 * gate.stallNanos();
        gate.served(t);
        assertThat(gate.rate()).isEqualTo(10_000);
        drain(gate, t);

        int burst = (int) (10_000 * ConnectGate.BURST_NANOS / TimeUnit.SECONDS.toNanos(1));
        assertThat(burst).isEqualTo(100);
        for (int visit = 1; visit <= 5; visit++) {
            assertThat(drain(gate, t + visit * 20 * MS)).as("visit %d, 20 ms after the last", visit).isEqualTo(burst);
        }
        assertThat(drain(gate, t + TimeUnit.SECONDS.toNanos(2))).as("after a second unasked").isEqualTo(burst);
    }

    /** Takes every attempt the gate allows at {@code now}. */
    private static int drain(ConnectGate gate, long now) {
        int taken = 0;
        while (gate.tryAcquire(now)) {
            taken++;
        }
        return taken;
    }

    @Test
    void aSlowMaximumIsTheStartingPace() {
        assertThat(new ConnectGate(50, TIMEOUT, T0).rate()).isEqualTo(50);
    }

    @Test
    void doublesEveryStallTimeWhileConnectionsAreServedUpToTheMaximum() {
        ConnectGate gate = new ConnectGate(10_000, TIMEOUT, T0);
        long stall = gate.stallNanos();

        gate.served(T0 + stall);
        assertThat(gate.rate()).isCloseTo(2_000, within(1.0));
        gate.served(T0 + 2 * stall);
        assertThat(gate.rate()).isCloseTo(4_000, within(1.0));
        gate.served(T0 + 10 * stall);
        assertThat(gate.rate()).isEqualTo(10_000);
    }

    @Test
    void aFailureHalvesOncePerStallTimeThenGrowthIsSlow() {
        ConnectGate gate = new ConnectGate(10_000, TIMEOUT, T0);
        long stall = gate.stallNanos();
        gate.served(T0 + 10 * stall);
        long t = T0 + 10 * stall;

        gate.failed(t);
        assertThat(gate.rate()).isEqualTo(5_000);
        gate.failed(t + stall / 2);
        assertThat(gate.rate()).as("the same episode: no second cut").isEqualTo(5_000);
        gate.failed(t + stall);
        assertThat(gate.rate()).isEqualTo(2_500);
        gate.served(t + stall + TimeUnit.SECONDS.toNanos(1));
        assertThat(gate.rate()).as("a tenth of the maximum per second").isCloseTo(3_500, within(1.0));
    }

    @Test
    void neverFallsBelowTheMinimumRate() {
        ConnectGate gate = new ConnectGate(10_000, TIMEOUT, T0);
        long t = T0;
        for (int i = 0; i < 100; i++) {
            gate.failed(t);
            t += TimeUnit.SECONDS.toNanos(1);
        }
        assertThat(gate.rate()).isEqualTo(ConnectGate.MIN_RATE);
        assertThat(gate.nextAt(t) - t).as("at 1/s a token comes within a second").isBetween(0L, TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void stallTimeFollowsTheConnectTimesWithinItsBounds() {
        ConnectGate gate = new ConnectGate(10_000, TIMEOUT, T0);
        assertThat(gate.stallNanos()).isEqualTo(ConnectGate.MIN_STALL_NANOS);

        gate.connected(20_000);
        assertThat(gate.stallNanos()).as("loopback connects: the floor").isEqualTo(ConnectGate.MIN_STALL_NANOS);
        for (int i = 1; i <= 50; i++) {
            gate.connected(150 * MS);
        }
        assertThat(gate.stallNanos()).as("a distant target: above its connect time").isBetween(150 * MS, TIMEOUT);
        for (int i = 51; i <= 100; i++) {
            gate.connected(5 * TIMEOUT);
        }
        assertThat(gate.stallNanos()).as("never beyond the connect timeout").isEqualTo(TIMEOUT);
    }

    @Test
    void aConnectTimeoutBelowTheFloorIsTheStallTime() {
        ConnectGate gate = new ConnectGate(10_000, 50 * MS, T0);

        assertThat(gate.stallNanos()).isEqualTo(50 * MS);
        gate.connected(1_000);
        assertThat(gate.stallNanos()).isEqualTo(50 * MS);
    }
}

package io.loombench.common;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CpuStealTest {
    /** The shape of Linux's /proc/stat: the all-CPU line, then one per CPU, then other counters. */
    private static final String STAT = """
            cpu  300 0 100 9000 10 0 30 560 0 0
            cpu0 100 0 50 4500 5 0 15 330 7 0
            cpu1 200 0 50 4500 5 0 15 230 0 0
            intr 12345 0 0
            ctxt 999
            """;

    @Test
    void sumsTheNamedCpusLinesAndNotTheAllCpuLine() {
        CpuSteal both = CpuSteal.parse(STAT, "0-1");
        assertThat(both.stealTicks()).isEqualTo(560);
        // user+nice+system+idle+iowait+irq+softirq+steal; guest time is inside user already.
        assertThat(both.totalTicks()).isEqualTo(100 + 50 + 4500 + 5 + 15 + 330 + 200 + 50 + 4500 + 5 + 15 + 230);
        CpuSteal one = CpuSteal.parse(STAT, "1");
        assertThat(one.stealTicks()).isEqualTo(230);
        assertThat(CpuSteal.parse(STAT, "0,1")).isEqualTo(new CpuSteal("0,1", both.stealTicks(), both.totalTicks()));
    }

    @Test
    void theShareIsTheStolenPartOfTheTicksBetweenTwoReadings() {
        CpuSteal earlier = new CpuSteal("0", 100, 10_000);
        CpuSteal later = new CpuSteal("0", 130, 10_100);
        assertThat(later.since(earlier).share()).isCloseTo(0.30, within(1e-9));
        assertThat(later.since(earlier).cpus()).isEqualTo("0");
        assertThat(earlier.since(earlier).share()).isZero();
        assertThat(CpuSteal.Share.between(Optional.of(earlier), Optional.of(later))).contains(later.since(earlier));
        assertThat(CpuSteal.Share.between(Optional.empty(), Optional.of(later))).isEmpty();
        assertThat(CpuSteal.Share.between(Optional.of(earlier), Optional.empty())).isEmpty();
    }

    @Test
    void aShareNamesItsCpusForASentence() {
        assertThat(new CpuSteal.Share("0", 0).cpusNamed()).isEqualTo("CPU 0");
        assertThat(new CpuSteal.Share("12", 0).cpusNamed()).isEqualTo("CPU 12");
        assertThat(new CpuSteal.Share("0-1", 0).cpusNamed()).isEqualTo("CPUs 0-1");
        assertThat(new CpuSteal.Share("0,2", 0).cpusNamed()).isEqualTo("CPUs 0,2");
    }

    @Test
    void readingsOfDifferentCpusDoNotCompare() {
        assertThatThrownBy(() -> new CpuSteal("0", 1, 2).since(new CpuSteal("0-1", 1, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0-1");
    }

    @Test
    void aCpuTheTextLacksOrABackwardRangeIsAnError() {
        assertThatThrownBy(() -> CpuSteal.parse(STAT, "0-2")).hasMessageContaining("no line for CPU 2");
        assertThatThrownBy(() -> CpuSteal.parse(STAT, "1-0")).hasMessageContaining("backwards");
    }

    @Test
    void aKernelWithoutTheStealFieldStealsNothing() {
        CpuSteal old = CpuSteal.parse("cpu  1 2 3 4\ncpu0 1 2 3 4\n", "0");
        assertThat(old.stealTicks()).isZero();
        assertThat(old.totalTicks()).isEqualTo(10);
    }

    @Test
    void readsThisProcesssCpusWithTimeAdvancing() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/stat")), "needs Linux /proc");
        CpuSteal before = CpuSteal.ofSelf().orElseThrow();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        CpuSteal after = before;
        while (after.totalTicks() == before.totalTicks() && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
            after = CpuSteal.ofSelf().orElseThrow();
        }
        assertThat(after.totalTicks()).isGreaterThan(before.totalTicks());
        assertThat(after.since(before).share()).isBetween(0.0, 1.0);
        assertThat(before.cpus()).isEqualTo(Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow().split("\\s+")[1]);
    }

    @Test
    void aPinnedProcessIsReadForItsOwnCpuOnly() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/stat")), "needs Linux /proc");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/taskset")), "needs taskset");
        Process pinned = new ProcessBuilder("/usr/bin/taskset", "-c", "0", "sleep", "30").start();
        try {
            // taskset pins itself, then becomes sleep: wait until the exec has happened.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            Optional<CpuSteal> reading = CpuSteal.ofProcess(pinned.pid());
            while (!reading.map(r -> r.cpus().equals("0")).orElse(false) && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
                reading = CpuSteal.ofProcess(pinned.pid());
            }
            assertThat(reading).map(CpuSteal::cpus).contains("0");
        } finally {
            pinned.destroy();
            pinned.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(CpuSteal.ofProcess(pinned.pid())).isEmpty();
    }
}

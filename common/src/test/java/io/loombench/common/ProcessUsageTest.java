package io.loombench.common;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ProcessUsageTest {

    @Test
    void readsThisProcessAndCountsEveryThread() throws Exception {
        assumeTrue(ProcessUsage.supported(), "needs Linux /proc");
        ProcessUsage before = ProcessUsage.self();
        assertThat(before.rssBytes()).isGreaterThan(1024 * 1024);
        assertThat(before.threads()).isPositive();

        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread extra = new Thread(() -> {
            started.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        extra.start();
        try {
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            // Every Java thread is an OS thread, and the JVM has native ones besides (GC, JIT).
            int javaThreads = ManagementFactory.getThreadMXBean().getThreadCount();
            assertThat(ProcessUsage.self().threads()).isGreaterThan(javaThreads);
        } finally {
            release.countDown();
            extra.join();
        }
    }

    @Test
    void cpuTimeGrowsWithWork() throws Exception {
        assumeTrue(ProcessUsage.supported(), "needs Linux /proc");
        long start = ProcessUsage.self().cpuNanos();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long sink = 0;
        // Spin until the kernel has charged at least two clock ticks, bounded in time.
        while (ProcessUsage.self().cpuNanos() - start < TimeUnit.MILLISECONDS.toNanos(20) && System.nanoTime() < until) {
            for (int i = 0; i < 1_000_000; i++) {
                sink += i * 31L ^ sink;
            }
        }
        assertThat(ProcessUsage.self().cpuNanos() - start).as("sink %d", sink).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(20));
    }

    @Test
    void aProcessThatDoesNotExistIsAnIoError() {
        assumeTrue(ProcessUsage.supported(), "needs Linux /proc");
        assertThatThrownBy(() -> ProcessUsage.of(Long.MAX_VALUE)).isInstanceOf(IOException.class);
    }
}

package io.loombench.benchmarks;

import java.util.List;

/**
 * What each request costs the server besides its protocol work. The values are fixed, not
 * calibrated per machine, so two machines' results ask the same of their servers.
 */
public enum Workload {
    /** Nothing: the protocol alone ({@code GET /plaintext}, or a bare echo). */
    NONE,
    /**
     * {@value #WAIT_MILLIS} ms of simulated downstream wait per request ({@code GET /delay?ms=10},
     * echo {@code --think-ms 10}): the thread sleeps in the blocking models, a timer fires in NIO.
     * At thousands of connections this is the case virtual threads exist for.
     */
    WAIT,
    /**
     * {@value #CPU_UNITS} units of {@code CpuWork} per request ({@code GET /cpu?work=75000}), about
     * 0.1 ms on our 2-core test machine: where virtual threads cannot help. HTTP only.
     */
    CPU;

    public static final int WAIT_MILLIS = 10;
    public static final long CPU_UNITS = 75_000;

    /** The request target a point of this workload sends over HTTP. */
    public String httpPath() {
        return switch (this) {
            case NONE -> "/plaintext";
            case WAIT -> "/delay?ms=" + WAIT_MILLIS;
            case CPU -> "/cpu?work=" + CPU_UNITS;
        };
    }

    /** The loombench server's extra options for this workload over echo (TCP or UDP). */
    public List<String> echoServerArgs() {
        return switch (this) {
            case NONE -> List.of();
            case WAIT -> List.of("--think-ms", Integer.toString(WAIT_MILLIS));
            case CPU -> throw new IllegalArgumentException("the cpu workload is HTTP only (GET /cpu); echo has no CPU work");
        };
    }

    /** Milliseconds of simulated downstream wait per request. */
    public int waitMillis() {
        return this == WAIT ? WAIT_MILLIS : 0;
    }

    /** The name used in JMH parameters and point ids. */
    public String key() {
        return name().toLowerCase();
    }

    public static Workload of(String key) {
        return valueOf(key.toUpperCase());
    }
}

package io.loombench.server.protocol;

/**
 * Simulated CPU work, the same deterministic computation in every model: {@code units} steps of
 * the SplitMix64 generator, whose result is returned so the JIT cannot discard the loop.
 * One unit is a handful of cycles: on our 2-core test machine ten million units took about 13 ms.
 */
public final class CpuWork {
    /** The most units one request may ask for: about 100 ms of work, so no request can pin a core for long. */
    public static final long MAX_UNITS = 100_000_000L;

    private CpuWork() {
    }

    public static long compute(long units) {
        long state = units;
        long mixed = 0;
        for (long i = 0; i < units; i++) {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            mixed ^= z ^ (z >>> 31);
        }
        return mixed;
    }
}

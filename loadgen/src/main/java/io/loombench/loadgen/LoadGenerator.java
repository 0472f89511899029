package io.loombench.loadgen;

import io.loombench.loadgen.engine.LoadRun;

/**
 * The load generator as a library: describe a run with a {@link LoadSpec}, run it, read the
 * {@link LoadResult}.
 *
 * <pre>{@code
 * LoadSpec spec = LoadSpec.builder(LoadProtocol.HTTP, new InetSocketAddress("127.0.0.1", 8080))
 *         .http(new HttpRequestSpec("GET", "/plaintext", "127.0.0.1:8080", List.of(), new byte[0]))
 *         .connections(64).rate(20_000).duration(Duration.ofSeconds(10))
 *         .build();
 * LoadResult result = LoadGenerator.run(spec);
 * long p99Micros = result.response().getValueAtPercentile(99);
 * }</pre>
 */
public final class LoadGenerator {
    private LoadGenerator() {
    }

    /** Runs {@code spec} to its end on the calling thread's watch. */
    public static LoadResult run(LoadSpec spec) throws InterruptedException {
        return run(spec, LoadListener.NONE);
    }

    /** Runs {@code spec}, telling {@code listener} about every second of it. */
    public static LoadResult run(LoadSpec spec, LoadListener listener) throws InterruptedException {
        return LoadRun.start(spec).await(listener);
    }
}

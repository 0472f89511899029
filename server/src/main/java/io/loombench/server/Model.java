package io.loombench.server;

/**
 * The concurrency models on offer: the switch the whole comparison turns on. Each has a record
 * in {@link ModelOptions} holding what only it reads and making it.
 */
public enum Model {
    /** One virtual thread per connection, blocking I/O: {@link ModelOptions.Virtual}. */
    VIRTUAL,
    /**
     * A fixed pool of platform threads; a connection owns a thread for its lifetime and extra
     * connections wait in the pool's queue until a thread is free: {@link ModelOptions.Pool}.
     */
    POOL,
    /** N selector loops with non-blocking channels; connections spread round-robin: {@link ModelOptions.Nio}. */
    NIO
}

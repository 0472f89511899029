package io.loombench.loadgen;

/** How an open-model run spaces the intended send times of each connection. */
public enum Arrivals {
    /** Evenly spaced, with connections offset from each other so the total is evenly spaced too. */
    UNIFORM,
    /** Exponential gaps with the same mean (a Poisson process per connection, so in total), reproducible from a seed. */
    POISSON
}

package io.loombench.loadgen.engine;

/** Makes the connection a worker owns at {@code localIndex}, the {@code globalIndex}-th of the run. */
@FunctionalInterface
interface ConnectionFactory {
    Connection create(Connection.Context context, int localIndex, int globalIndex);
}

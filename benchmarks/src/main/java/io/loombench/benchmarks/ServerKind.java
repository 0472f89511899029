package io.loombench.benchmarks;

import java.util.List;

/**
 * Who serves a point: one of loombench's three concurrency models, or a reference server (a
 * peer) that shows where the models stand against what people deploy. Every one of them runs in
 * its own JVM, on the same CPUs, with the same JVM flags.
 */
public enum ServerKind {
    /** loombench, one virtual thread per connection. */
    VIRTUAL("virtual"),
    /** loombench, {@value #POOL_THREADS} platform threads, a connection owning one for its life. */
    POOL("pool"),
    /** loombench, NIO selector loops, one per server CPU. */
    NIO("nio"),
    /** Netty 4.2 with native epoll, one event loop per server CPU. */
    NETTY("netty"),
    /** Helidon SE 4, a virtual thread per request. */
    HELIDON("helidon");

    /** The pool model's threads in every point: the usual servlet container default. */
    public static final int POOL_THREADS = 200;

    private final String key;

    ServerKind(String key) {
        this.key = key;
    }

    /** True for loombench's own models, false for the peers. */
    public boolean isModel() {
        return this == VIRTUAL || this == POOL || this == NIO;
    }

    /** Whether this server can serve the point at all: the peers speak HTTP (Netty echo too, without waiting). */
    public boolean serves(String protocol, Workload workload) {
        return switch (this) {
            case VIRTUAL, POOL, NIO -> !(workload == Workload.CPU && !protocol.equals("http"));
            case NETTY -> protocol.equals("http") || (protocol.equals("tcp") && workload == Workload.NONE);
            case HELIDON -> protocol.equals("http");
        };
    }

    /** The main class of a peer, run from the benchmarks' class path. */
    String peerMainClass() {
        return switch (this) {
            case NETTY -> "io.loombench.benchmarks.peers.NettyServer";
            case HELIDON -> "io.loombench.benchmarks.peers.HelidonServer";
            default -> throw new IllegalStateException(key + " is a loombench model, started from the server jar");
        };
    }

    /** Arguments of loombench's server for this model; the protocol and workload add theirs. */
    List<String> modelArgs() {
        return switch (this) {
            case VIRTUAL -> List.of("--model", "virtual");
            case POOL -> List.of("--model", "pool", "--pool-threads", Integer.toString(POOL_THREADS));
            case NIO -> List.of("--model", "nio");
            default -> throw new IllegalStateException(key + " is a peer");
        };
    }

    /** The name used in JMH parameters and point ids. */
    public String key() {
        return key;
    }

    public static ServerKind of(String key) {
        return valueOf(key.toUpperCase());
    }
}

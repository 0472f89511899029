package io.loombench.benchmarks.report;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The servers a point can name: loombench's three models, which compete, and reference peers, which do not. */
final class Servers {
    /** The contestants, in the order the report lists them. */
    static final List<String> MODELS = List.of("virtual", "pool", "nio");
    private static final List<String> KNOWN_PEERS = List.of("netty", "helidon");

    /** Models first, then netty and helidon, then any other peer by name. */
    static final Comparator<String> ORDER = listedFirst(concat(MODELS, KNOWN_PEERS));

    private Servers() {
    }

    static boolean isModel(String server) {
        return MODELS.contains(server);
    }

    /** How a chart legend names a server: a peer is marked as one. */
    static String seriesName(String server) {
        return isModel(server) ? server : server + " (peer)";
    }

    /** Orders the listed names as listed, before every other name; the others by name. */
    static Comparator<String> listedFirst(List<String> listed) {
        return Comparator.comparingInt((String s) -> {
            int i = listed.indexOf(s);
            return i < 0 ? listed.size() : i;
        }).thenComparing(Comparator.naturalOrder());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}

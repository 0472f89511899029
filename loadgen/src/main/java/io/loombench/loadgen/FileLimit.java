package io.loombench.loadgen;

import io.loombench.common.OpenFiles;

import java.util.Locale;
import java.util.Optional;

/**
 * How many connections this process can open: each takes a file descriptor, within the process's
 * open-file limit ({@code ulimit -n}; the JVM raises its soft limit to the hard one as it starts),
 * less those already open and a reserve for the generator's own needs (a selector per worker
 * thread, output files, the JVM's jars and logs).
 */
public final class FileLimit {
    /** Descriptors kept back for the generator itself, besides two per worker thread for its selector. */
    static final int RESERVE = 64;

    private FileLimit() {
    }

    /**
     * The process's open-file limit and the descriptors it has open now.
     *
     * @param limit the most descriptors the process may have open at once
     * @param open  descriptors open now
     */
    public record Usage(long limit, long open) {
        /** Descriptors kept back for a run with this many worker threads. */
        static long reserve(int threads) {
            return RESERVE + 2L * threads;
        }

        /** Connections a run with this many worker threads can open. */
        public long connectionsAvailable(int threads) {
            return Math.max(0, limit - open - reserve(threads));
        }
    }

    /**
     * The process's use of file descriptors, where the JDK tells it ({@link OpenFiles}): empty
     * otherwise, and then a run goes ahead without this check rather than fail.
     */
    public static Optional<Usage> usage() {
        return OpenFiles.ofThisProcess().map(files -> new Usage(files.limit(), files.open()));
    }

    /**
     * Checks that the process can open the spec's connections; where the usage is unknown (see
     * {@link #usage()}), it checks nothing and the run finds out.
     *
     * @throws IllegalArgumentException saying how many it can open, and how to raise the limit
     */
    public static void requireRoomFor(LoadSpec spec) {
        int threads = Math.min(spec.threads(), spec.localConnections());
        usage().ifPresent(usage -> {
            long available = usage.connectionsAvailable(threads);
            if (spec.localConnections() > available) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%,d connections need a file descriptor each, but this process can open at most %,d more: its open-file"
                                + " limit is %,d (ulimit -n), %,d are open and %,d are kept for loadgen itself; raise the limit"
                                + " (ulimit -n, or LimitNOFILE= for a service) or ask for fewer connections",
                        spec.localConnections(), available, usage.limit(), usage.open(), Usage.reserve(threads)));
            }
        });
    }
}

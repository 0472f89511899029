package io.loombench.loadgen;

import com.sun.management.UnixOperatingSystemMXBean;

import java.lang.management.ManagementFactory;
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
    /** Whether the runtime has the module of {@code com.sun.management}, which tells the usage. */
    private static final boolean JDK_MANAGEMENT = ModuleLayer.boot().findModule("jdk.management").isPresent();

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
     * The process's use of file descriptors, where the platform tells: empty if it is not Unix, or
     * if the Java runtime lacks the {@code jdk.management} module that tells it (a jlink'd runtime
     * may leave it out; then a run goes ahead without this check rather than fail).
     */
    public static Optional<Usage> usage() {
        return JDK_MANAGEMENT ? UnixDescriptors.usage() : Optional.empty();
    }

    /**
     * The one use of {@code com.sun.management}, kept apart and used only when its module is
     * there, so that FileLimit itself runs on any runtime.
     */
    private static final class UnixDescriptors {
        static Optional<Usage> usage() {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
                return Optional.of(new Usage(unix.getMaxFileDescriptorCount(), unix.getOpenFileDescriptorCount()));
            }
            return Optional.empty();
        }
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

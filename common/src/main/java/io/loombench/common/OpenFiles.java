package io.loombench.common;

import com.sun.management.UnixOperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.util.Optional;

/**
 * This process's file descriptors, as the JDK tells them: its open-file limit ({@code ulimit -n};
 * HotSpot raises the soft limit to the hard one as it starts) and how many are open now. Each
 * connection, of the server or the generator, takes one.
 *
 * @param limit the most descriptors the process may have open at once
 * @param open  descriptors open now
 */
public record OpenFiles(long limit, long open) {
    /** Whether the runtime has the module of {@code com.sun.management}, which tells the counts. */
    private static final boolean JDK_MANAGEMENT = ModuleLayer.boot().findModule("jdk.management").isPresent();

    /**
     * Reads them now; empty if this is not a Unix JDK, or if the runtime lacks the
     * {@code jdk.management} module (a jlink'd runtime may leave it out), so that a caller goes on
     * without the figure rather than fail for want of a class.
     */
    public static Optional<OpenFiles> ofThisProcess() {
        return JDK_MANAGEMENT ? UnixDescriptors.read() : Optional.empty();
    }

    /**
     * The one use of {@code com.sun.management}, in a class of its own so that it is loaded only
     * when its module is there.
     */
    private static final class UnixDescriptors {
        static Optional<OpenFiles> read() {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
                return Optional.of(new OpenFiles(unix.getMaxFileDescriptorCount(), unix.getOpenFileDescriptorCount()));
            }
            return Optional.empty();
        }
    }
}

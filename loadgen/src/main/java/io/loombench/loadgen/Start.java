package io.loombench.loadgen;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When a run's warm-up begins: as soon as its connections are open, or at an instant fixed in
 * advance, which lets shards on several hosts measure the same period.
 */
public sealed interface Start permits Start.WhenOpen, Start.At {

    /** The warm-up begins once every connection has opened (or the opening gave up). */
    Start WHEN_OPEN = new WhenOpen();

    /**
     * A run whose last connection first opens more than this many milliseconds after its fixed
     * start is late, and says so: a tenth of a reporting interval, so that the shards' seconds
     * still line up.
     */
    long LATE_TOLERANCE_MILLIS = 100;
    /** {@link #LATE_TOLERANCE_MILLIS} as a duration. */
    Duration LATE_TOLERANCE = Duration.ofMillis(LATE_TOLERANCE_MILLIS);

    /** The warm-up begins once every connection has opened; the default, for one process. */
    record WhenOpen() implements Start {
    }

    /**
     * The warm-up begins at {@code instant} on this host's wall clock, which the hosts of a
     * sharded run keep in step (NTP keeps them within milliseconds). The connections open before
     * it, starting early enough for their paced opening; no request is due before it.
     */
    record At(Instant instant) implements Start {
        public At {
            Objects.requireNonNull(instant, "instant");
        }
    }
}

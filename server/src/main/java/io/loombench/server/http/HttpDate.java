package io.loombench.server.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Date} header value (RFC 9110 5.6.7, IMF-fixdate), formatted at most once per second
 * and shared by all connections of a server: a response reads a volatile field and copies 29 bytes.
 */
public final class HttpDate {
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private record Stamp(long epochSecond, byte[] bytes) {
    }

    private volatile Stamp current = format(System.currentTimeMillis() / 1000);

    /** The current date; shared, never modify. */
    byte[] now() {
        long second = System.currentTimeMillis() / 1000;
        Stamp stamp = current;
        if (stamp.epochSecond != second) {
            stamp = format(second);
            current = stamp;
        }
        return stamp.bytes;
    }

    private static Stamp format(long epochSecond) {
        String text = IMF_FIXDATE.format(Instant.ofEpochSecond(epochSecond));
        return new Stamp(epochSecond, text.getBytes(StandardCharsets.US_ASCII));
    }
}

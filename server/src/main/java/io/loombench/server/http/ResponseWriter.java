package io.loombench.server.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes response heads into a connection's output buffer from bytes encoded once, so a response
 * allocates nothing. Every response carries Content-Length; this server never sends a chunked one.
 */
final class ResponseWriter {
    /** Room a head, plus the largest body written with it, is sure to fit in. */
    static final int MAX_HEAD_BYTES = 512;

    static final byte[] TEXT_PLAIN = ascii("text/plain");
    static final byte[] OCTET_STREAM = ascii("application/octet-stream");
    static final byte[] CONTINUE = ascii("HTTP/1.1 100 Continue\r\n\r\n");

    /** The {@code Connection} header a response carries, if any. */
    enum Persistence {
        /** HTTP/1.1 persistent connection: no header needed. */
        DEFAULT(null),
        /** HTTP/1.0 persistent connection: must say so. */
        KEEP_ALIVE(ascii("Connection: keep-alive\r\n")),
        /** The server closes after this response. */
        CLOSE(ascii("Connection: close\r\n"));

        private final byte[] header;

        Persistence(byte[] header) {
            this.header = header;
        }
    }

    private static final byte[] SERVER_AND_DATE = ascii("Server: loombench\r\nDate: ");
    private static final byte[] CONTENT_TYPE = ascii("\r\nContent-Type: ");
    private static final byte[] CONTENT_LENGTH = ascii("\r\nContent-Length: ");
    private static final byte[] ALLOW = ascii("Allow: ");
    private static final byte[] CRLF = ascii("\r\n");

    private ResponseWriter() {
    }

    /**
     * Writes a status line and headers, through the empty line; the body follows separately.
     *
     * @param contentType value of the {@code Content-Type} header, or null for none
     * @param allow       value of an {@code Allow} header, or null for none
     */
    static void head(ByteBuffer out, HttpStatus status, byte[] date, byte[] contentType, long contentLength,
                     Persistence persistence, byte[] allow) {
        out.put(status.statusLine()).put(SERVER_AND_DATE).put(date);
        if (contentType != null) {
            out.put(CONTENT_TYPE).put(contentType);
        }
        out.put(CONTENT_LENGTH);
        putDecimal(out, contentLength);
        out.put(CRLF);
        if (allow != null) {
            out.put(ALLOW).put(allow).put(CRLF);
        }
        if (persistence.header != null) {
            out.put(persistence.header);
        }
        out.put(CRLF);
    }

    /** The body of an error response: {@code <code> <reason>: <detail>} and a newline, in ASCII. */
    static byte[] errorBody(HttpStatus status, String detail) {
        return ascii(status.code() + " " + status.reason() + ": " + detail + "\n");
    }

    /** Number of ASCII digits of a non-negative value; by comparisons, since a division costs more. */
    static int decimalLength(long value) {
        int digits = 1;
        for (long bound = 10; digits < 19 && value >= bound; bound *= 10) {
            digits++;
        }
        return digits;
    }

    /** Writes a non-negative value in ASCII decimal, without allocating. */
    static void putDecimal(ByteBuffer out, long value) {
        int digits = decimalLength(value);
        int end = out.position() + digits;
        for (int i = end - 1; i >= out.position(); i--) {
            out.put(i, (byte) ('0' + value % 10));
            value /= 10;
        }
        out.position(end);
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}

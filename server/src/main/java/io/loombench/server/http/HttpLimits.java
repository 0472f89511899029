package io.loombench.server.http;

/**
 * Size limits on an HTTP request. Each breach is answered with its status, then the connection
 * closes.
 *
 * @param maxRequestLineBytes longest request line, without its CRLF (414 beyond)
 * @param maxHeaderBytes      longest header section: all field lines with their CRLFs and the
 *                            final empty line; also the budget of a chunked body's trailer
 *                            section (431 beyond)
 * @param maxFieldBytes       longest single header or trailer field line, without its CRLF (431 beyond)
 * @param maxFieldCount       most header fields in one request, and most trailer fields (431 beyond)
 * @param maxBodyBytes        longest request body, declared or decoded from chunks (413 beyond)
 */
public record HttpLimits(int maxRequestLineBytes, int maxHeaderBytes, int maxFieldBytes, int maxFieldCount,
                         long maxBodyBytes) {

    /** 8 KiB request line, 16 KiB header section, 8 KiB field line, 100 fields, 1 MiB body. */
    public static final HttpLimits DEFAULTS = new HttpLimits(8192, 16384, 8192, 100, 1 << 20);

    public HttpLimits {
        if (maxRequestLineBytes < 16) {
            throw new IllegalArgumentException("max request line must be at least 16 bytes, was " + maxRequestLineBytes);
        }
        if (maxHeaderBytes < 64) {
            throw new IllegalArgumentException("max header size must be at least 64 bytes, was " + maxHeaderBytes);
        }
        if (maxFieldBytes < 16) {
            throw new IllegalArgumentException("max field size must be at least 16 bytes, was " + maxFieldBytes);
        }
        if (maxFieldCount < 1) {
            throw new IllegalArgumentException("max header count must be at least 1 (for Host), was " + maxFieldCount);
        }
        if (maxBodyBytes < 0) {
            throw new IllegalArgumentException("max body must not be negative, was " + maxBodyBytes);
        }
    }
}

package io.loombench.server.http;

/**
 * Size limits on an HTTP request. Each breach is answered with its status, then the connection
 * closes.
 *
 * @param maxRequestLineBytes longest request line, without its CRLF (414 beyond)
 * @param maxHeaderBytes      longest header section: all field lines with their CRLFs and the
 *                            final empty line, also the budget for chunked trailers (431 beyond)
 * @param maxBodyBytes        longest request body, declared or decoded from chunks (413 beyond)
 */
public record HttpLimits(int maxRequestLineBytes, int maxHeaderBytes, long maxBodyBytes) {

    public static final HttpLimits DEFAULTS = new HttpLimits(8192, 16384, 1 << 20);

    public HttpLimits {
        if (maxRequestLineBytes < 16) {
            throw new IllegalArgumentException("max request line must be at least 16 bytes, was " + maxRequestLineBytes);
        }
        if (maxHeaderBytes < 64) {
            throw new IllegalArgumentException("max header size must be at least 64 bytes, was " + maxHeaderBytes);
        }
        if (maxBodyBytes < 0) {
            throw new IllegalArgumentException("max body must not be negative, was " + maxBodyBytes);
        }
    }
}

package io.loombench.server.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The request methods of RFC 9110 section 9, the ones this server recognizes. Any other token is
 * answered 501 (RFC 9110 9.1), as is CONNECT, which an origin server has no use for. Methods are
 * case-sensitive: {@code get} is not GET.
 */
enum Method {
    GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE;

    /** Bytes of the longest method here; a longer token is known to be unrecognized before it ends. */
    static final int LONGEST = 7;

    private static final Method[] ALL = values();

    private final byte[] token = name().getBytes(StandardCharsets.US_ASCII);

    /** The method spelled by {@code bytes[0, length)}, or null if it is none of these. */
    static Method of(byte[] bytes, int length) {
        for (Method method : ALL) {
            if (Arrays.equals(method.token, 0, method.token.length, bytes, 0, length)) {
                return method;
            }
        }
        return null;
    }
}

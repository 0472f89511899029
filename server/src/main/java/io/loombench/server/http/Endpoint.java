package io.loombench.server.http;

import java.nio.charset.StandardCharsets;

/**
 * The resources the server offers. Paths match exactly (no trailing slash, no percent-decoding);
 * the query is read only by the endpoints that take a parameter.
 */
enum Endpoint {
    /** {@code GET /plaintext}: {@code Hello, World!} as text/plain. */
    PLAINTEXT("/plaintext", null, 0, "GET, HEAD"),
    /** {@code GET /json}: {@code {"message":"Hello, World!"}}. */
    JSON("/json", null, 0, "GET, HEAD"),
    /** {@code POST /echo}: the request body back, as application/octet-stream. */
    ECHO("/echo", null, 0, "POST"),
    /** {@code GET /delay?ms=N}: answers after N ms of simulated downstream wait. */
    DELAY("/delay", "ms", 60_000, "GET, HEAD"),
    /** {@code GET /cpu?work=N}: answers after N units of {@link io.loombench.server.protocol.CpuWork}. */
    CPU("/cpu", "work", io.loombench.server.protocol.CpuWork.MAX_UNITS, "GET, HEAD"),
    /** Any other path: 404. */
    NONE(null, null, 0, null);

    private final byte[] path;
    private final byte[] parameterPrefix;
    private final long maxParameter;
    private final byte[] allow;

    Endpoint(String path, String parameter, long maxParameter, String allow) {
        this.path = path == null ? null : path.getBytes(StandardCharsets.US_ASCII);
        this.parameterPrefix = parameter == null ? null : (parameter + "=").getBytes(StandardCharsets.US_ASCII);
        this.maxParameter = maxParameter;
        this.allow = allow == null ? null : allow.getBytes(StandardCharsets.US_ASCII);
    }

    byte[] path() {
        return path;
    }

    /** {@code name=} of the query parameter this endpoint requires, or null. */
    byte[] parameterPrefix() {
        return parameterPrefix;
    }

    String parameterName() {
        return parameterPrefix == null ? null : new String(parameterPrefix, 0, parameterPrefix.length - 1, StandardCharsets.US_ASCII);
    }

    long maxParameter() {
        return maxParameter;
    }

    /** The value of the {@code Allow} header of a 405. */
    byte[] allow() {
        return allow;
    }

    boolean allows(Method method) {
        return switch (this) {
            case PLAINTEXT, JSON, DELAY, CPU -> method == Method.GET || method == Method.HEAD;
            case ECHO -> method == Method.POST;
            case NONE -> false;
        };
    }
}

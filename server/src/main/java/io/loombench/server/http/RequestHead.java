package io.loombench.server.http;

/**
 * What the server needs to know of one request, filled in by {@link RequestHeadParser} and, for
 * chunked bodies, {@link ChunkedBodyDecoder}. One instance per connection, reset between requests,
 * so parsing allocates nothing.
 */
final class RequestHead {
    Method method;
    Endpoint endpoint;
    /** HTTP/1.1 or a later 1.x minor version; false for HTTP/1.0. */
    boolean http11;
    /** The endpoint's query parameter, or -1 when missing or out of range. */
    long parameter;
    boolean connectionClose;
    boolean connectionKeepAlive;
    /** Declared Content-Length, or -1 without one. */
    long contentLength;
    boolean chunked;
    /** {@code Expect: 100-continue} in an HTTP/1.1 request (HTTP/1.0 expectations are ignored). */
    boolean expectContinue;
    /** The error to answer with, or null while the request is valid. */
    HttpStatus error;
    /** A short, constant explanation of {@link #error} for the response body. */
    String errorDetail;

    RequestHead() {
        reset();
    }

    void reset() {
        method = null;
        endpoint = Endpoint.NONE;
        http11 = false;
        parameter = -1;
        connectionClose = false;
        connectionKeepAlive = false;
        contentLength = -1;
        chunked = false;
        expectContinue = false;
        error = null;
        errorDetail = null;
    }

    /** Records the first error only: later checks never overwrite the reason already given. */
    void fail(HttpStatus status, String detail) {
        if (error == null) {
            error = status;
            errorDetail = detail;
        }
    }

    boolean failed() {
        return error != null;
    }

    /** RFC 9112 9.3: HTTP/1.1 persists unless told to close; HTTP/1.0 only when asked to keep alive. */
    boolean keepAlive() {
        return !connectionClose && (http11 || connectionKeepAlive);
    }

    boolean hasBody() {
        return chunked || contentLength > 0;
    }
}

package io.loombench.server.http;

/**
 * What the parser learns of one request: its method and target, its version and connection
 * options, and how its body is framed; or the first reason to refuse it. Nothing about what the
 * request asks for: that is the {@link Router}'s business.
 *
 * <p>Filled in by {@link RequestHeadParser} and, for chunked bodies, {@link ChunkedBodyDecoder}.
 * One instance per connection, reset between requests, so parsing allocates nothing.
 */
final class RequestHead {
    Method method;
    final RequestTarget target = new RequestTarget();
    /** HTTP/1.1; false for HTTP/1.0. */
    boolean http11;
    boolean connectionClose;
    boolean connectionKeepAlive;
    /** The Content-Length, or 0 when there is none (RFC 9112 6.3: a request without framing has no body). */
    long contentLength;
    boolean chunked;
    /** {@code Expect: 100-continue} in an HTTP/1.1 request (HTTP/1.0 expectations are ignored). */
    boolean expectContinue;

    private HttpStatus error;
    private String errorDetail;

    RequestHead() {
        reset();
    }

    void reset() {
        method = null;
        http11 = false;
        connectionClose = false;
        connectionKeepAlive = false;
        contentLength = 0;
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

    /** The status to refuse the request with (4xx or 5xx), or null while it is valid. */
    HttpStatus error() {
        return error;
    }

    /** Why, in a few words, for the response body. */
    String errorDetail() {
        return errorDetail;
    }

    /** RFC 9112 9.3: HTTP/1.1 persists unless told to close; HTTP/1.0 only when asked to keep alive. */
    boolean keepAlive() {
        return !connectionClose && (http11 || connectionKeepAlive);
    }

    boolean hasBody() {
        return chunked || contentLength > 0;
    }
}

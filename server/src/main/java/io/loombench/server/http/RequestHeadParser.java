package io.loombench.server.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static io.loombench.server.http.HttpSyntax.CR;
import static io.loombench.server.http.HttpSyntax.SP;

/**
 * Parses a request line and header section (RFC 9112 sections 2 to 6) incrementally, one complete
 * line at a time, straight from the connection's input buffer.
 *
 * <p>Strict, in the manner of Jetty's default compliance mode: lines end in CRLF (a bare LF or a
 * bare CR is an error), single spaces separate the request line, field names are tokens followed
 * at once by a colon, obsolete line folding is rejected, Content-Length is {@code 1*DIGIT} with an
 * overflow check and appears once, chunked must be the final transfer coding and appear once,
 * Content-Length beside Transfer-Encoding is rejected, and an HTTP/1.1 request needs exactly one
 * Host, whose value must be a host and optional port (RFC 9112 3.2). The first error found is recorded in the {@link RequestHead} and parsing stops.
 *
 * <p>A line must arrive whole in the input buffer before it is parsed; the parser remembers how far
 * it has already searched for the line's end, so a request trickling in byte by byte costs linear
 * time. Limits: the request line (414) and the whole header section (431), and no line may be
 * longer than the input buffer.
 */
final class RequestHeadParser {
    /** Empty lines tolerated before a request line (RFC 9112 2.2 asks to ignore at least one). */
    private static final int MAX_LEADING_EMPTY_LINES = 8;

    private static final byte[] HTTP_SLASH = "HTTP/".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GET = "GET".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEAD = "HEAD".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] POST = "POST".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HTTP_SCHEME = "http://".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HTTPS_SCHEME = "https://".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HOST = "host".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRANSFER_ENCODING = "transfer-encoding".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONNECTION = "connection".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EXPECT = "expect".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHUNKED = "chunked".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "close".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = "keep-alive".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTINUE_100 = "100-continue".getBytes(StandardCharsets.US_ASCII);

    private final HttpLimits limits;

    private boolean requestLineDone;
    private int leadingEmptyLines;
    private int headerBytes;
    /** Bytes after the buffer's position already searched for LF without finding one. */
    private int scanned;
    private int hostFields;
    private boolean contentLengthSeen;
    private boolean transferEncodingSeen;
    private int chunkedCodings;
    private boolean lastCodingChunked;
    private boolean otherCoding;
    private boolean unknownExpectation;

    RequestHeadParser(HttpLimits limits) {
        this.limits = limits;
    }

    void reset() {
        requestLineDone = false;
        leadingEmptyLines = 0;
        headerBytes = 0;
        scanned = 0;
        hostFields = 0;
        contentLengthSeen = false;
        transferEncodingSeen = false;
        chunkedCodings = 0;
        lastCodingChunked = false;
        otherCoding = false;
        unknownExpectation = false;
    }

    /**
     * Consumes complete lines from {@code in}.
     *
     * @return true when the head is complete or an error was recorded in {@code head};
     *         false when more input is needed (everything consumable was consumed)
     */
    boolean parse(ByteBuffer in, RequestHead head) {
        while (true) {
            int start = in.position();
            int available = in.limit() - start;
            int lf = HttpSyntax.indexOfLf(in, start + scanned, in.limit());
            if (lf < 0) {
                scanned = available;
                return lineCannotFit(available, available == in.capacity(), head);
            }
            scanned = 0;
            // The same length verdict as before the LF arrived, ahead of any other check, so a line
            // gets the same answer however the reads split it.
            if (lineCannotFit(lf - start, false, head)) {
                return true;
            }
            int lineLength = lf + 1 - start;
            if (lf == start || in.get(lf - 1) != CR) {
                head.fail(HttpStatus.BAD_REQUEST, "line not terminated by CRLF");
                return true;
            }
            int end = lf - 1;
            if (HttpSyntax.indexOfCr(in, start, end) >= 0) {
                head.fail(HttpStatus.BAD_REQUEST, "bare CR in line");
                return true;
            }
            in.position(lf + 1);
            if (!requestLineDone) {
                if (end == start) {
                    if (++leadingEmptyLines > MAX_LEADING_EMPTY_LINES) {
                        head.fail(HttpStatus.BAD_REQUEST, "too many empty lines before request line");
                        return true;
                    }
                    continue;
                }
                requestLineDone = true;
                parseRequestLine(in, start, end, head);
                if (head.failed()) {
                    return true;
                }
                continue;
            }
            headerBytes += lineLength;
            if (headerBytes > limits.maxHeaderBytes()) {
                head.fail(HttpStatus.HEADER_FIELDS_TOO_LARGE, "header section longer than " + limits.maxHeaderBytes() + " bytes");
                return true;
            }
            if (end == start) {
                finishHead(head);
                return true;
            }
            parseFieldLine(in, start, end, head);
            if (head.failed()) {
                return true;
            }
        }
    }

    /**
     * After {@link #parse} asked for more input: true if a request has begun, false if everything
     * received so far was empty lines before a request line (or the CR of one).
     */
    boolean requestBegun(ByteBuffer in) {
        if (requestLineDone) {
            return true;
        }
        int pending = in.remaining();
        return pending > 1 || (pending == 1 && in.get(in.position()) != CR);
    }

    /**
     * Fails the request if a line of which {@code beforeLf} bytes precede its LF (or have arrived,
     * while the LF has not) cannot fit its limit. Those bytes may end in the line's CR, hence the
     * request line's allowance of one byte more than its limit. Records the error and returns true
     * on failure.
     */
    private boolean lineCannotFit(int beforeLf, boolean bufferFull, RequestHead head) {
        if (!requestLineDone) {
            if (beforeLf > limits.maxRequestLineBytes() + 1 || bufferFull) {
                head.fail(HttpStatus.URI_TOO_LONG, "request line longer than " + limits.maxRequestLineBytes() + " bytes");
                return true;
            }
        } else if (headerBytes + beforeLf > limits.maxHeaderBytes() || bufferFull) {
            head.fail(HttpStatus.HEADER_FIELDS_TOO_LARGE, "header section longer than " + limits.maxHeaderBytes() + " bytes");
            return true;
        }
        return false;
    }

    /** {@code method SP request-target SP HTTP-version}, in {@code [start, end)}. */
    private void parseRequestLine(ByteBuffer in, int start, int end, RequestHead head) {
        int i = start;
        while (i < end && HttpSyntax.isTchar(in.get(i))) {
            i++;
        }
        if (i == start || i == end || in.get(i) != SP) {
            head.fail(HttpStatus.BAD_REQUEST, "malformed method");
            return;
        }
        head.method = methodOf(in, start, i);
        int targetStart = ++i;
        while (i < end && in.get(i) > SP && in.get(i) < 0x7F) {
            i++;
        }
        if (i == targetStart || i == end || in.get(i) != SP) {
            head.fail(HttpStatus.BAD_REQUEST, "malformed request target");
            return;
        }
        int targetEnd = i++;
        if (end - i != 8 || !HttpSyntax.equalsExact(in, i, i + 5, HTTP_SLASH)
                || !isDigit(in.get(i + 5)) || in.get(i + 6) != '.' || !isDigit(in.get(i + 7))) {
            head.fail(HttpStatus.BAD_REQUEST, "malformed HTTP version");
            return;
        }
        if (in.get(i + 5) != '1') {
            head.fail(HttpStatus.VERSION_NOT_SUPPORTED, "only HTTP/1.x is served");
            return;
        }
        head.http11 = in.get(i + 7) != '0';
        route(in, targetStart, targetEnd, head);
    }

    private static Method methodOf(ByteBuffer in, int start, int end) {
        if (HttpSyntax.equalsExact(in, start, end, GET)) {
            return Method.GET;
        }
        if (HttpSyntax.equalsExact(in, start, end, POST)) {
            return Method.POST;
        }
        if (HttpSyntax.equalsExact(in, start, end, HEAD)) {
            return Method.HEAD;
        }
        return Method.OTHER;
    }

    /** Resolves origin-form ({@code /path?query}), absolute-form and asterisk-form targets. */
    private static void route(ByteBuffer in, int start, int end, RequestHead head) {
        int pathStart;
        if (in.get(start) == '/') {
            pathStart = start;
        } else if (startsWithIgnoreCase(in, start, end, HTTP_SCHEME) || startsWithIgnoreCase(in, start, end, HTTPS_SCHEME)) {
            int authority = start + (in.get(start + 4) == ':' ? HTTP_SCHEME.length : HTTPS_SCHEME.length);
            pathStart = indexOf(in, (byte) '/', authority, end);
        } else if (end - start == 1 && in.get(start) == '*') {
            return;
        } else {
            head.fail(HttpStatus.BAD_REQUEST, "malformed request target");
            return;
        }
        int queryStart = indexOf(in, (byte) '?', pathStart, end);
        for (Endpoint endpoint : Endpoint.values()) {
            if (endpoint.path() != null && HttpSyntax.equalsExact(in, pathStart, queryStart, endpoint.path())) {
                head.endpoint = endpoint;
                if (endpoint.parameterPrefix() != null && queryStart < end) {
                    head.parameter = queryParameter(in, queryStart + 1, end, endpoint.parameterPrefix(), endpoint.maxParameter());
                }
                return;
            }
        }
    }

    /** The first {@code name=value} pair with the given prefix, its value as a bounded decimal, or -1. */
    private static long queryParameter(ByteBuffer in, int start, int end, byte[] prefix, long max) {
        for (int pair = start; pair < end; ) {
            int pairEnd = indexOf(in, (byte) '&', pair, end);
            if (pairEnd - pair > prefix.length && HttpSyntax.equalsExact(in, pair, pair + prefix.length, prefix)) {
                return HttpSyntax.parseDecimal(in, pair + prefix.length, pairEnd, max);
            }
            pair = pairEnd + 1;
        }
        return -1;
    }

    /** {@code field-name ":" OWS field-value OWS}, in {@code [start, end)}. */
    private void parseFieldLine(ByteBuffer in, int start, int end, RequestHead head) {
        if (HttpSyntax.isWhitespace(in.get(start))) {
            head.fail(HttpStatus.BAD_REQUEST, "obsolete line folding");
            return;
        }
        int colon = HttpSyntax.checkFieldLine(in, start, end);
        if (colon < 0) {
            head.fail(HttpStatus.BAD_REQUEST, "malformed header field");
            return;
        }
        int valueStart = HttpSyntax.skipWhitespace(in, colon + 1, end);
        int valueEnd = HttpSyntax.trimWhitespaceEnd(in, valueStart, end);
        if (HttpSyntax.equalsIgnoreCase(in, start, colon, HOST)) {
            hostFields++;
            if (!HttpSyntax.isHost(in, valueStart, valueEnd)) {
                head.fail(HttpStatus.BAD_REQUEST, "malformed Host");
            }
        } else if (HttpSyntax.equalsIgnoreCase(in, start, colon, CONTENT_LENGTH)) {
            if (contentLengthSeen) {
                head.fail(HttpStatus.BAD_REQUEST, "more than one Content-Length");
                return;
            }
            contentLengthSeen = true;
            head.contentLength = HttpSyntax.parseDecimal(in, valueStart, valueEnd, Long.MAX_VALUE);
            if (head.contentLength < 0) {
                head.fail(HttpStatus.BAD_REQUEST, "Content-Length is not a decimal number");
            }
        } else if (HttpSyntax.equalsIgnoreCase(in, start, colon, TRANSFER_ENCODING)) {
            transferEncodingSeen = true;
            parseTransferCodings(in, valueStart, valueEnd, head);
        } else if (HttpSyntax.equalsIgnoreCase(in, start, colon, CONNECTION)) {
            parseConnectionOptions(in, valueStart, valueEnd, head);
        } else if (head.http11 && HttpSyntax.equalsIgnoreCase(in, start, colon, EXPECT)) {
            // Expect is an HTTP/1.1 mechanism: an HTTP/1.0 client sends its body anyway, and RFC 9110
            // 10.1.1 says to ignore 100-continue there; Jetty ignores every expectation of HTTP/1.0.
            if (HttpSyntax.equalsIgnoreCase(in, valueStart, valueEnd, CONTINUE_100)) {
                head.expectContinue = true;
            } else {
                unknownExpectation = true;
            }
        }
    }

    /**
     * A comma-separated list of codings, possibly over several field lines: each element is empty or
     * {@code token [OWS ";" parameters]}, and the parameters are ignored. Anything else after the
     * token ({@code chunked x}, {@code chunked"}) is an error, not chunked: a peer that reads the
     * element differently would frame the body differently.
     */
    private void parseTransferCodings(ByteBuffer in, int start, int end, RequestHead head) {
        for (int element = start; element < end; ) {
            int elementEnd = indexOf(in, (byte) ',', element, end);
            int nameStart = HttpSyntax.skipWhitespace(in, element, elementEnd);
            int nameEnd = nameStart;
            while (nameEnd < elementEnd && HttpSyntax.isTchar(in.get(nameEnd))) {
                nameEnd++;
            }
            int rest = HttpSyntax.skipWhitespace(in, nameEnd, elementEnd);
            if (rest < elementEnd && (nameEnd == nameStart || in.get(rest) != ';')) {
                head.fail(HttpStatus.BAD_REQUEST, "malformed Transfer-Encoding");
                return;
            }
            if (nameEnd > nameStart) {
                if (HttpSyntax.equalsIgnoreCase(in, nameStart, nameEnd, CHUNKED)) {
                    chunkedCodings++;
                    lastCodingChunked = true;
                } else {
                    otherCoding = true;
                    lastCodingChunked = false;
                }
            }
            element = elementEnd + 1;
        }
    }

    private static void parseConnectionOptions(ByteBuffer in, int start, int end, RequestHead head) {
        for (int element = start; element < end; ) {
            int elementEnd = indexOf(in, (byte) ',', element, end);
            int tokenStart = HttpSyntax.skipWhitespace(in, element, elementEnd);
            int tokenEnd = HttpSyntax.trimWhitespaceEnd(in, tokenStart, elementEnd);
            if (HttpSyntax.equalsIgnoreCase(in, tokenStart, tokenEnd, CLOSE)) {
                head.connectionClose = true;
            } else if (HttpSyntax.equalsIgnoreCase(in, tokenStart, tokenEnd, KEEP_ALIVE)) {
                head.connectionKeepAlive = true;
            }
            element = elementEnd + 1;
        }
    }

    /** Checks that need the whole header section: Host, body framing, expectations, body size. */
    private void finishHead(RequestHead head) {
        if (hostFields > 1) {
            head.fail(HttpStatus.BAD_REQUEST, "more than one Host header");
        } else if (hostFields == 0 && head.http11) {
            head.fail(HttpStatus.BAD_REQUEST, "HTTP/1.1 request without Host header");
        }
        if (transferEncodingSeen) {
            if (contentLengthSeen) {
                head.fail(HttpStatus.BAD_REQUEST, "both Transfer-Encoding and Content-Length");
            } else if (!head.http11) {
                head.fail(HttpStatus.BAD_REQUEST, "Transfer-Encoding in an HTTP/1.0 request");
            } else if (chunkedCodings > 1) {
                head.fail(HttpStatus.BAD_REQUEST, "chunked applied more than once");
            } else if (!lastCodingChunked) {
                head.fail(HttpStatus.BAD_REQUEST, "chunked is not the final transfer coding");
            } else if (otherCoding) {
                head.fail(HttpStatus.NOT_IMPLEMENTED, "transfer codings other than chunked are not supported");
            }
            head.chunked = true;
        }
        if (unknownExpectation) {
            head.fail(HttpStatus.EXPECTATION_FAILED, "only Expect: 100-continue is supported");
        }
        if (head.contentLength > limits.maxBodyBytes()) {
            head.fail(HttpStatus.CONTENT_TOO_LARGE, "body longer than " + limits.maxBodyBytes() + " bytes");
        }
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean startsWithIgnoreCase(ByteBuffer in, int start, int end, byte[] prefix) {
        return end - start >= prefix.length && HttpSyntax.equalsIgnoreCase(in, start, start + prefix.length, prefix);
    }

    /** Index of {@code b} in {@code [from, to)}, or {@code to}. */
    private static int indexOf(ByteBuffer in, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (in.get(i) == b) {
                return i;
            }
        }
        return to;
    }
}

package io.loombench.server.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Parses a request line and header section (RFC 9112 sections 2 to 6) incrementally, straight
 * from the connection's input buffer, into a {@link RequestHead}: method, target, version,
 * connection options and body framing. It knows nothing of the server's resources.
 *
 * <p>Strict, in the manner of Jetty's default compliance mode and Netty's strict parsing. Every
 * line goes through the {@link LineScanner}, so a byte that cannot be valid where it stands is
 * refused when it arrives: CRLF only, a token method, a target by RFC 3986, {@code HTTP/1.1} or
 * {@code HTTP/1.0}, token field names followed at once by their colon, no obsolete line folding,
 * no control characters in values. Then, field by field: exactly one valid Host in HTTP/1.1
 * (RFC 9112 3.2), Content-Length as {@code 1*DIGIT} with an overflow check and never twice,
 * Transfer-Encoding as a list of codings with chunked once and last, never beside Content-Length,
 * never in HTTP/1.0 (RFC 9112 6). The first error is recorded in the head and parsing stops.
 *
 * <p>Limits: the request line (414), one field line, the header section and the number of fields
 * (431), the declared body (413); no line may be longer than the input buffer.
 */
final class RequestHeadParser {
    /** Empty lines tolerated before a request line (RFC 9112 2.2 asks to ignore at least one). */
    private static final int MAX_LEADING_EMPTY_LINES = 8;

    private static final byte[] HOST = ascii("host");
    private static final byte[] CONTENT_LENGTH = ascii("content-length");
    private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding");
    private static final byte[] CONNECTION = ascii("connection");
    private static final byte[] EXPECT = ascii("expect");
    private static final byte[] CHUNKED = ascii("chunked");
    private static final byte[] CLOSE = ascii("close");
    private static final byte[] KEEP_ALIVE = ascii("keep-alive");
    private static final byte[] CONTINUE_100 = ascii("100-continue");

    private final HttpLimits limits;
    private final LineScanner lines = new LineScanner();
    private final RequestLineSyntax requestLine = new RequestLineSyntax();
    private final FieldLineSyntax fieldLine = new FieldLineSyntax();
    private final FieldSection headers;

    private boolean requestLineDone;
    private int leadingEmptyLines;
    private int hostFields;
    private boolean contentLengthSeen;
    private boolean transferEncodingSeen;
    private int chunkedCodings;
    private boolean lastCodingChunked;
    private boolean otherCoding;
    private boolean unknownExpectation;

    RequestHeadParser(HttpLimits limits) {
        this.limits = limits;
        this.headers = new FieldSection(limits, "header");
    }

    void reset() {
        lines.reset();
        requestLine.start();
        headers.reset();
        requestLineDone = false;
        leadingEmptyLines = 0;
        hostFields = 0;
        contentLengthSeen = false;
        transferEncodingSeen = false;
        chunkedCodings = 0;
        lastCodingChunked = false;
        otherCoding = false;
        unknownExpectation = false;
    }

    /** Consumes the request head from {@code in}, line by line, as far as it has arrived. */
    Step parse(ByteBuffer in, RequestHead head) {
        while (true) {
            boolean lineDone = requestLineDone ? scanFieldLine(in, head) : scanRequestLine(in, head);
            if (!lineDone) {
                return head.failed() ? Step.REJECTED : Step.NEED_MORE;
            }
            if (head.failed()) {
                return Step.REJECTED;
            }
            if (requestLineDone && lines.lineEnd() == lines.lineStart()) {
                return finishHead(head) ? Step.DONE : Step.REJECTED;
            }
        }
    }

    /** True once a request has begun: anything but empty lines (or the CR of one) has arrived. */
    boolean begun() {
        return requestLineDone || requestLine.begun();
    }

    /** Scans and handles one request line (or an empty line before it); false if none is complete yet or on error. */
    private boolean scanRequestLine(ByteBuffer in, RequestHead head) {
        int max = Math.min(limits.maxRequestLineBytes(), LineScanner.longestLineFitting(in));
        return switch (lines.scan(in, requestLine, max, head)) {
            case NEED_MORE, INVALID -> false;
            case TOO_LONG -> {
                head.fail(HttpStatus.URI_TOO_LONG, "request line longer than " + max + " bytes");
                yield false;
            }
            case LINE -> {
                if (lines.lineEnd() == lines.lineStart()) {
                    if (++leadingEmptyLines > MAX_LEADING_EMPTY_LINES) {
                        head.fail(HttpStatus.BAD_REQUEST, "more than " + MAX_LEADING_EMPTY_LINES + " empty lines before the request line");
                    }
                } else {
                    requestLineDone = true;
                    fieldLine.start();
                    checkRequestLine(in, head);
                }
                yield true;
            }
        };
    }

    /** Scans and handles one header field line (or the empty line ending the section). */
    private boolean scanFieldLine(ByteBuffer in, RequestHead head) {
        return switch (lines.scan(in, fieldLine, headers.maxLineBytes(in), head)) {
            case NEED_MORE, INVALID -> false;
            case TOO_LONG -> {
                headers.failTooLong(in, head);
                yield false;
            }
            case LINE -> {
                int start = lines.lineStart();
                int end = lines.lineEnd();
                if (headers.add(end - start, head) && end > start) {
                    field(in, start, start + fieldLine.nameLength(), end, head);
                    fieldLine.start();
                }
                yield true;
            }
        };
    }

    /**
     * What needs the whole request line, in the order RFC 9110 implies: the version first (so the
     * HTTP/2 preface gets 505), then the method (501), then whether the target suits it.
     */
    private void checkRequestLine(ByteBuffer in, RequestHead head) {
        if (!requestLine.versionSupported()) {
            head.fail(HttpStatus.VERSION_NOT_SUPPORTED, "only HTTP/1.1 and HTTP/1.0 are served");
            return;
        }
        head.http11 = requestLine.http11();
        head.method = requestLine.method();
        if (head.method == null) {
            head.fail(HttpStatus.NOT_IMPLEMENTED, "unknown method");
            return;
        }
        int target = lines.lineStart() + requestLine.targetOffset();
        if (!head.target.parse(in, target, target + requestLine.targetLength(), head.method == Method.CONNECT, head)) {
            return;
        }
        RequestTarget.Form form = head.target.form();
        if (form == RequestTarget.Form.ASTERISK && head.method != Method.OPTIONS) {
            head.fail(HttpStatus.BAD_REQUEST, "the * request target is only for OPTIONS");
        } else if (head.method == Method.CONNECT) {
            head.fail(form == RequestTarget.Form.AUTHORITY ? HttpStatus.NOT_IMPLEMENTED : HttpStatus.BAD_REQUEST,
                    form == RequestTarget.Form.AUTHORITY ? "CONNECT is not supported: this is an origin server, not a proxy"
                            : "a CONNECT target is host:port");
        }
    }

    /** One field line: name in {@code [start, colon)}, then the colon, then the value. */
    private void field(ByteBuffer in, int start, int colon, int end, RequestHead head) {
        int valueStart = HttpSyntax.skipWhitespace(in, colon + 1, end);
        int valueEnd = HttpSyntax.trimWhitespaceEnd(in, valueStart, end);
        if (HttpSyntax.equalsIgnoreCase(in, start, colon, HOST)) {
            if (++hostFields > 1) {
                head.fail(HttpStatus.BAD_REQUEST, "more than one Host");
            } else if (!HttpSyntax.isHost(in, valueStart, valueEnd)) {
                head.fail(HttpStatus.BAD_REQUEST, "malformed Host: host[:port] expected");
            }
        } else if (HttpSyntax.equalsIgnoreCase(in, start, colon, CONTENT_LENGTH)) {
            if (contentLengthSeen) {
                head.fail(HttpStatus.BAD_REQUEST, "more than one Content-Length");
                return;
            }
            contentLengthSeen = true;
            parseContentLength(in, valueStart, valueEnd, head);
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

    /** RFC 9110 8.6: {@code 1*DIGIT}, nothing else (no sign, no list, no spaces inside), overflow checked. */
    private static void parseContentLength(ByteBuffer in, int from, int to, RequestHead head) {
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = in.get(i) - '0';
            if (digit < 0 || digit > 9) {
                head.fail(HttpStatus.BAD_REQUEST, "Content-Length is not 1*DIGIT");
                return;
            }
            if (value > (Long.MAX_VALUE - digit) / 10) {
                head.fail(HttpStatus.BAD_REQUEST, "Content-Length overflows");
                return;
            }
            value = value * 10 + digit;
        }
        if (from == to) {
            head.fail(HttpStatus.BAD_REQUEST, "Content-Length is empty");
        }
        head.contentLength = value;
    }

    /**
     * {@code #transfer-coding}, possibly over several field lines (RFC 9112 7): a list whose
     * elements are {@code token *( OWS ";" OWS token BWS "=" BWS ( token / quoted-string ) )};
     * empty elements are allowed. Anything else ({@code chunked x}, {@code chunked"}) is an error,
     * not chunked: a peer that read the element differently would frame the body differently.
     */
    private void parseTransferCodings(ByteBuffer in, int from, int to, RequestHead head) {
        int i = from;
        while (i < to) {
            i = HttpSyntax.skipWhitespace(in, i, to);
            if (i < to && in.get(i) == ',') {
                i++;
                continue;
            }
            int nameEnd = tokenEnd(in, i, to);
            if (nameEnd == i) {
                head.fail(HttpStatus.BAD_REQUEST, "malformed Transfer-Encoding");
                return;
            }
            boolean chunked = HttpSyntax.equalsIgnoreCase(in, i, nameEnd, CHUNKED);
            chunkedCodings += chunked ? 1 : 0;
            otherCoding |= !chunked;
            lastCodingChunked = chunked;
            i = HttpSyntax.skipWhitespace(in, nameEnd, to);
            while (i < to && in.get(i) == ';') {
                int parameterEnd = parameterEnd(in, i + 1, to);
                if (chunked || parameterEnd == i + 1) {
                    head.fail(HttpStatus.BAD_REQUEST, chunked ? "chunked takes no parameters" : "malformed Transfer-Encoding parameter");
                    return;
                }
                i = HttpSyntax.skipWhitespace(in, parameterEnd, to);
            }
            if (i < to && in.get(i) != ',') {
                head.fail(HttpStatus.BAD_REQUEST, "malformed Transfer-Encoding");
                return;
            }
        }
    }

    /**
     * {@code OWS token BWS "=" BWS ( token / quoted-string )} from {@code from}: the index after
     * it, or {@code from} itself when it is malformed.
     */
    private static int parameterEnd(ByteBuffer in, int from, int to) {
        int nameStart = HttpSyntax.skipWhitespace(in, from, to);
        int nameEnd = tokenEnd(in, nameStart, to);
        int equals = HttpSyntax.skipWhitespace(in, nameEnd, to);
        if (nameEnd == nameStart || equals == to || in.get(equals) != '=') {
            return from;
        }
        int value = HttpSyntax.skipWhitespace(in, equals + 1, to);
        int valueEnd = value < to && in.get(value) == '"' ? quotedStringEnd(in, value, to) : tokenEnd(in, value, to);
        return valueEnd == value ? from : valueEnd;
    }

    /** The index after the token starting at {@code from}; {@code from} itself if none starts there. */
    private static int tokenEnd(ByteBuffer in, int from, int to) {
        int i = from;
        while (i < to && HttpSyntax.isTchar(in.get(i))) {
            i++;
        }
        return i;
    }

    /**
     * The index after the quoted-string (RFC 9110 5.6.4) opening at {@code from}; {@code from}
     * itself if it is not closed or holds a byte a quoted-string cannot.
     */
    private static int quotedStringEnd(ByteBuffer in, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            byte b = in.get(i);
            if (b == '"') {
                return i + 1;
            }
            if (b == '\\') {
                if (++i == to || !HttpSyntax.isQuotedPairChar(in.get(i))) {
                    return from;
                }
            } else if (!HttpSyntax.isQdtext(b)) {
                return from;
            }
        }
        return from;
    }

    /** {@code #connection-option}: tokens, compared without case; empty elements are allowed. */
    private static void parseConnectionOptions(ByteBuffer in, int from, int to, RequestHead head) {
        int i = from;
        while (i < to) {
            i = HttpSyntax.skipWhitespace(in, i, to);
            int end = tokenEnd(in, i, to);
            if (HttpSyntax.equalsIgnoreCase(in, i, end, CLOSE)) {
                head.connectionClose = true;
            } else if (HttpSyntax.equalsIgnoreCase(in, i, end, KEEP_ALIVE)) {
                head.connectionKeepAlive = true;
            }
            i = HttpSyntax.skipWhitespace(in, end, to);
            if (i < to && in.get(i) != ',') {
                head.fail(HttpStatus.BAD_REQUEST, "malformed Connection: a list of tokens expected");
                return;
            }
            i++;
        }
    }

    /** Checks that need the whole header section: Host, body framing, expectations, body size. */
    private boolean finishHead(RequestHead head) {
        if (hostFields == 0 && head.http11) {
            head.fail(HttpStatus.BAD_REQUEST, "HTTP/1.1 request without Host");
        }
        if (transferEncodingSeen) {
            // RFC 9112 6.1 and 6.3: every one of these is a framing the server cannot trust.
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
        return !head.failed();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}

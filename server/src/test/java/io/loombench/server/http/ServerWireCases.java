package io.loombench.server.http;

import io.loombench.common.wire.WireCase;
import io.loombench.common.wire.WireCases;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every wire case the server is held to, for a server configured with {@link #LIMITS}: the
 * framing cases the loadgen's tests share ({@link WireCases#FRAMING}), the server's own table of
 * whole requests ({@link #REQUESTS}), and every limit at N-1, N and N+1, generated because each
 * of those is as long as its limit: the first two are served, the third gets the limit's status
 * and the close.
 */
public final class ServerWireCases {
    /** Small limits, so the cases stay short: request line, header section, field line, fields, body. */
    public static final HttpLimits LIMITS = new HttpLimits(128, 512, 256, 8, 1024);
    /** The server's own table of whole requests. */
    public static final String REQUESTS = "io/loombench/server/http/requests.cases";
    /** Sent behind every case: answered after a keep-alive verdict, never after a close. */
    public static final String NEXT = "GET /plaintext HTTP/1.1\r\nHost: test\r\n\r\n";

    private static final String HOST = "Host: test\r\n";

    private ServerWireCases() {
    }

    public static Stream<WireCase> all() {
        return Stream.of(WireCases.load(WireCases.FRAMING), WireCases.load(REQUESTS), limits()).flatMap(List::stream);
    }

    static List<WireCase> limits() {
        List<WireCase> cases = new ArrayList<>();
        around("request line", LIMITS.maxRequestLineBytes(), 414, ServerWireCases::requestLine, cases);
        around("field line", LIMITS.maxFieldBytes(), 431, ServerWireCases::fieldLine, cases);
        around("header section", LIMITS.maxHeaderBytes(), 431, ServerWireCases::headerSection, cases);
        around("header fields", LIMITS.maxFieldCount(), 431, ServerWireCases::headerFields, cases);
        around("Content-Length body", (int) LIMITS.maxBodyBytes(), 413, ServerWireCases::fixedBody, cases);
        around("chunked body", (int) LIMITS.maxBodyBytes(), 413, ServerWireCases::chunkedBody, cases);
        around("chunk-size line", ChunkedBodyDecoder.MAX_SIZE_LINE_BYTES, 400, ServerWireCases::chunkSizeLine, cases);
        around("trailer field line", LIMITS.maxFieldBytes(), 431, length -> chunkedWithTrailers(field(length)), cases);
        around("trailer section", LIMITS.maxHeaderBytes(), 431, length -> chunkedWithTrailers(section(length, "")), cases);
        around("trailer fields", LIMITS.maxFieldCount(), 431, count -> chunkedWithTrailers("T: t\r\n".repeat(count)), cases);
        around("empty lines before the request line", 8, 400, count -> "\r\n".repeat(count) + get(""), cases);
        // Methods: no limit to configure, but one all the same (RFC 9112 3.1), at the longest known.
        cases.add(single("method length N-1 (6)", "DELETE /plaintext HTTP/1.1\r\n" + HOST + "\r\n", 405, false));
        cases.add(single("method length N (7)", "OPTIONS /plaintext HTTP/1.1\r\n" + HOST + "\r\n", 200, false));
        cases.add(single("method length N+1 (8)", "OPTIONSX /plaintext HTTP/1.1\r\n" + HOST + "\r\n", 501, true));
        return cases;
    }

    private interface Request {
        String of(int n);
    }

    private static void around(String limit, int n, int status, Request request, List<WireCase> cases) {
        cases.add(single(limit + " N-1 (" + (n - 1) + ")", request.of(n - 1), 200, false));
        cases.add(single(limit + " N (" + n + ")", request.of(n), 200, false));
        cases.add(single(limit + " N+1 (" + (n + 1) + ")", request.of(n + 1), status, true));
    }

    private static WireCase single(String name, String request, int status, boolean closes) {
        return new WireCase(name, ServerWireCases.class.getSimpleName(), "", request.getBytes(StandardCharsets.ISO_8859_1),
                null, status, closes, null, null);
    }

    private static String get(String fields) {
        return "GET /plaintext HTTP/1.1\r\n" + HOST + fields + "\r\n";
    }

    /** {@code GET /plaintext?aaa HTTP/1.1}, {@code length} bytes without its CRLF. */
    private static String requestLine(int length) {
        String prefix = "GET /plaintext?";
        String suffix = " HTTP/1.1";
        return prefix + "a".repeat(length - prefix.length() - suffix.length()) + suffix + "\r\n" + HOST + "\r\n";
    }

    /** A field line of {@code length} bytes without its CRLF. */
    private static String field(int length) {
        return "X-F: " + "f".repeat(length - 5) + "\r\n";
    }

    private static String fieldLine(int length) {
        return get(field(length));
    }

    /** Field lines after {@code before} making up a section of {@code length} bytes, the final CRLF included. */
    private static String section(int length, String before) {
        StringBuilder fields = new StringBuilder(before);
        int left = length - before.length() - 2;
        while (left > 0) {
            int line = Math.min(LIMITS.maxFieldBytes(), left - 2);
            if (left - (line + 2) > 0 && left - (line + 2) < 7) {
                line = left - 2 - 7; // leave room for one more field of at least "X-F: f"
            }
            fields.append(field(line));
            left -= line + 2;
        }
        return fields.toString();
    }

    private static String headerSection(int length) {
        return "GET /plaintext HTTP/1.1\r\n" + section(length, HOST) + "\r\n";
    }

    private static String headerFields(int count) {
        return get("X-F: f\r\n".repeat(count - 1));
    }

    private static String fixedBody(int length) {
        return "POST /echo HTTP/1.1\r\n" + HOST + "Content-Length: " + length + "\r\n\r\n" + "b".repeat(length);
    }

    /** Two chunks making up {@code length} bytes, so the limit is crossed by a sum. */
    private static String chunkedBody(int length) {
        int first = length / 2;
        int second = length - first;
        return "POST /echo HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(first) + "\r\n" + "c".repeat(first) + "\r\n"
                + Integer.toHexString(second) + "\r\n" + "d".repeat(second) + "\r\n0\r\n\r\n";
    }

    /** A chunk-size line of {@code length} bytes without its CRLF, padded with an extension. */
    private static String chunkSizeLine(int length) {
        return "POST /echo HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n"
                + "1;" + "e".repeat(length - 2) + "\r\nz\r\n0\r\n\r\n";
    }

    private static String chunkedWithTrailers(String trailers) {
        return "POST /echo HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n1\r\nz\r\n0\r\n" + trailers + "\r\n";
    }
}

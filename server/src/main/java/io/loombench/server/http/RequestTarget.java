package io.loombench.server.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * The request-target of one request (RFC 9112 3.2), copied out of the input buffer so the router
 * can read it once the whole head is parsed: its form, and the path and query of the forms that
 * name a resource. Nothing is decoded: paths compare byte for byte, without percent-decoding.
 *
 * <p>One per connection, reused; its array grows to the longest target the connection has seen
 * (at most the request line limit).
 */
final class RequestTarget {

    /** The four forms of RFC 9112 3.2. */
    enum Form {
        /** {@code absolute-path [ "?" query ]}: what every client sends to an origin server. */
        ORIGIN,
        /** {@code http://host/path?query}: what a client sends to a proxy; served as its path. */
        ABSOLUTE,
        /** {@code host:port}, only for CONNECT. */
        AUTHORITY,
        /** {@code *}, only for OPTIONS: the server as a whole. */
        ASTERISK
    }

    private static final byte[] HTTP = {'h', 't', 't', 'p'};
    private static final byte[] HTTPS = {'h', 't', 't', 'p', 's'};
    private static final byte[] ROOT = {'/'};

    private byte[] bytes = new byte[0];
    private Form form;
    private int pathStart;
    private int pathEnd;
    /** Index of the query's first byte (after "?"), or {@link #length} + 1 without a query. */
    private int queryStart;
    private int length;

    /**
     * Parses the target in {@code [from, to)} of {@code in}, whose bytes are already known to be
     * characters its form allows, and copies it.
     *
     * @param connect the method is CONNECT, whose target is an authority
     * @return false if it is not a well-formed target of its form; the reason is then in {@code head}
     */
    boolean parse(ByteBuffer in, int from, int to, boolean connect, RequestHead head) {
        byte first = in.get(from);
        boolean valid;
        if (first == '/') {
            form = Form.ORIGIN;
            // Its bytes were checked already: no brackets among them.
            splitPathAndQuery(in, from, from, to);
            valid = true;
        } else if (first == '*') {
            form = Form.ASTERISK;
            pathStart = pathEnd = 0;
            queryStart = to - from + 1;
            valid = true;
        } else if (connect) {
            form = Form.AUTHORITY;
            valid = isAuthorityForm(in, from, to);
        } else {
            form = Form.ABSOLUTE;
            valid = parseAbsoluteForm(in, from, to, head);
        }
        if (!valid) {
            head.fail(HttpStatus.BAD_REQUEST, switch (form) {
                case ORIGIN, ASTERISK -> "malformed request target";
                case AUTHORITY -> "a CONNECT target is host:port";
                case ABSOLUTE -> "a request target is a path (/...), an http(s) URI, or * for OPTIONS";
            });
            return false;
        }
        length = to - from;
        if (bytes.length < length) {
            bytes = new byte[Math.max(length, 2 * bytes.length)];
        }
        in.get(from, bytes, 0, length);
        return true;
    }

    /** Path up to the first "?", query after it; offsets relative to {@code base}. */
    private void splitPathAndQuery(ByteBuffer in, int base, int pathFrom, int to) {
        int question = HttpSyntax.indexOf(in, (byte) '?', pathFrom, to);
        pathStart = pathFrom - base;
        pathEnd = question - base;
        queryStart = question + 1 - base;
    }

    /**
     * {@code scheme "://" authority path-abempty [ "?" query ]} for http and https (RFC 9110 4.2):
     * a non-empty host, no userinfo (RFC 9110 4.2.4 asks to treat it as an error).
     */
    private boolean parseAbsoluteForm(ByteBuffer in, int from, int to, RequestHead head) {
        int colon = from;
        while (colon < to && (HttpSyntax.isAlpha(in.get(colon)) || HttpSyntax.isDigit(in.get(colon))
                || in.get(colon) == '+' || in.get(colon) == '-' || in.get(colon) == '.')) {
            colon++;
        }
        if (colon == to || in.get(colon) != ':') {
            return false;
        }
        if (!HttpSyntax.equalsIgnoreCase(in, from, colon, HTTP) && !HttpSyntax.equalsIgnoreCase(in, from, colon, HTTPS)) {
            head.fail(HttpStatus.BAD_REQUEST, "only http and https URIs are served");
            return false;
        }
        int authority = colon + 3;
        if (authority > to || in.get(colon + 1) != '/' || in.get(colon + 2) != '/') {
            return false;
        }
        int authorityEnd = authority;
        while (authorityEnd < to && in.get(authorityEnd) != '/' && in.get(authorityEnd) != '?') {
            authorityEnd++;
        }
        if (HttpSyntax.indexOf(in, (byte) '@', authority, authorityEnd) < authorityEnd) {
            head.fail(HttpStatus.BAD_REQUEST, "userinfo (user@) in the request target");
            return false;
        }
        if (authorityEnd == authority || in.get(authority) == ':' || !HttpSyntax.isHost(in, authority, authorityEnd)) {
            return false;
        }
        // Brackets belong to an IP-literal host: never in the path or the query.
        if (HttpSyntax.indexOf(in, (byte) '[', authorityEnd, to) < to || HttpSyntax.indexOf(in, (byte) ']', authorityEnd, to) < to) {
            return false;
        }
        splitPathAndQuery(in, from, authorityEnd, to);
        return true;
    }

    /** {@code uri-host ":" port} (RFC 9112 3.2.3), with a port of at least one digit. */
    private static boolean isAuthorityForm(ByteBuffer in, int from, int to) {
        int colon = to;
        while (colon > from && HttpSyntax.isDigit(in.get(colon - 1))) {
            colon--;
        }
        colon--;
        return colon > from && colon < to - 1 && in.get(colon) == ':' && HttpSyntax.isHost(in, from, to);
    }

    Form form() {
        return form;
    }

    /** True if the path is exactly {@code path}; an absolute-form target with an empty path has the path "/". */
    boolean pathIs(byte[] path) {
        if (pathStart == pathEnd && form == Form.ABSOLUTE) {
            return Arrays.equals(path, ROOT);
        }
        return Arrays.equals(bytes, pathStart, pathEnd, path, 0, path.length);
    }

    /**
     * The value of the first query parameter called {@code name}, if it is a decimal from 0 to
     * {@code max}; empty when there is no such parameter or its value is anything else.
     */
    OptionalLong decimalParameter(byte[] name, long max) {
        for (int pair = queryStart; pair <= length; ) {
            int pairEnd = pair;
            while (pairEnd < length && bytes[pairEnd] != '&') {
                pairEnd++;
            }
            int equals = pair + name.length;
            if (equals < pairEnd && bytes[equals] == '=' && Arrays.equals(bytes, pair, equals, name, 0, name.length)) {
                return decimal(equals + 1, pairEnd, max);
            }
            pair = pairEnd + 1;
        }
        return OptionalLong.empty();
    }

    /** {@code 1*DIGIT} in {@code [from, to)} as a value from 0 to {@code max}, overflow checked. */
    private OptionalLong decimal(int from, int to, long max) {
        if (from == to) {
            return OptionalLong.empty();
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9 || value > (max - digit) / 10) {
                return OptionalLong.empty();
            }
            value = value * 10 + digit;
        }
        return OptionalLong.of(value);
    }

    /** The target as sent (ISO-8859-1), for messages. */
    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }
}

package io.loombench.server.http;

import java.nio.ByteBuffer;

/** Character classes and small scanners of RFC 9110/9112, over absolute buffer indexes. */
final class HttpSyntax {
    static final byte CR = '\r';
    static final byte LF = '\n';
    static final byte SP = ' ';
    static final byte HTAB = '\t';

    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) TCHAR[c] = true;
        for (char c = 'a'; c <= 'z'; c++) TCHAR[c] = true;
        for (char c = 'A'; c <= 'Z'; c++) TCHAR[c] = true;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TCHAR[c] = true;
    }

    /** Characters of a reg-name or IPv4 address (RFC 3986 3.2.2): unreserved, sub-delims and '%'. */
    private static final boolean[] HOST_NAME_CHAR = new boolean[128];
    /** Characters inside an IP-literal's brackets: hex digits, ':' and '.', and IPvFuture's. */
    private static final boolean[] IP_LITERAL_CHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) HOST_NAME_CHAR[c] = true;
        for (char c = 'a'; c <= 'z'; c++) HOST_NAME_CHAR[c] = true;
        for (char c = 'A'; c <= 'Z'; c++) HOST_NAME_CHAR[c] = true;
        for (char c : "-._~!$&'()*+,;=%".toCharArray()) HOST_NAME_CHAR[c] = true;
        System.arraycopy(HOST_NAME_CHAR, 0, IP_LITERAL_CHAR, 0, HOST_NAME_CHAR.length);
        IP_LITERAL_CHAR[':'] = true;
    }

    private HttpSyntax() {
    }

    /**
     * A Host field value (RFC 9112 3.2): {@code uri-host [ ":" port ]}, where uri-host is a
     * reg-name, an IPv4 address or a bracketed IP-literal, and port is digits. Empty is allowed
     * (RFC 9110 7.2, for targets without an authority). Percent-encoding is checked for its
     * character set only, not decoded.
     */
    static boolean isHost(ByteBuffer buf, int from, int to) {
        int i = from;
        if (i < to && buf.get(i) == '[') {
            do {
                i++;
            } while (i < to && buf.get(i) != ']' && isIn(IP_LITERAL_CHAR, buf.get(i)));
            if (i == to || buf.get(i) != ']' || i == from + 1) {
                return false;
            }
            i++;
        } else {
            while (i < to && isIn(HOST_NAME_CHAR, buf.get(i))) {
                i++;
            }
        }
        if (i < to && buf.get(i) == ':') {
            i++;
            while (i < to && buf.get(i) >= '0' && buf.get(i) <= '9') {
                i++;
            }
        }
        return i == to;
    }

    private static boolean isIn(boolean[] set, byte b) {
        return b >= 0 && set[b];
    }

    /** A token character (RFC 9110 5.6.2): the characters of methods and field names. */
    static boolean isTchar(byte b) {
        return b >= 0 && TCHAR[b];
    }

    /** A character allowed in a field value: HTAB, SP, VCHAR or obs-text; never CR, LF, NUL or DEL. */
    static boolean isFieldValueChar(byte b) {
        return b == HTAB || (b >= 0x20 && b != 0x7F) || b < 0;
    }

    static boolean isWhitespace(byte b) {
        return b == SP || b == HTAB;
    }

    /** Index of the first LF in {@code [from, limit)}, or -1. */
    static int indexOfLf(ByteBuffer buf, int from, int limit) {
        for (int i = from; i < limit; i++) {
            if (buf.get(i) == LF) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the first CR in {@code [from, to)}, or -1. */
    static int indexOfCr(ByteBuffer buf, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf.get(i) == CR) {
                return i;
            }
        }
        return -1;
    }

    /** True if {@code [from, to)} equals {@code lowerCase} ignoring ASCII case. */
    static boolean equalsIgnoreCase(ByteBuffer buf, int from, int to, byte[] lowerCase) {
        if (to - from != lowerCase.length) {
            return false;
        }
        for (int i = 0; i < lowerCase.length; i++) {
            byte b = buf.get(from + i);
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != lowerCase[i]) {
                return false;
            }
        }
        return true;
    }

    /** True if {@code [from, to)} equals {@code exact} byte for byte. */
    static boolean equalsExact(ByteBuffer buf, int from, int to, byte[] exact) {
        if (to - from != exact.length) {
            return false;
        }
        for (int i = 0; i < exact.length; i++) {
            if (buf.get(from + i) != exact[i]) {
                return false;
            }
        }
        return true;
    }

    static int skipWhitespace(ByteBuffer buf, int from, int to) {
        while (from < to && isWhitespace(buf.get(from))) {
            from++;
        }
        return from;
    }

    static int trimWhitespaceEnd(ByteBuffer buf, int from, int to) {
        while (to > from && isWhitespace(buf.get(to - 1))) {
            to--;
        }
        return to;
    }

    /**
     * Parses {@code 1*DIGIT} in {@code [from, to)} as a non-negative decimal.
     *
     * @return the value, or -1 if the range is empty, holds anything but digits, or exceeds {@code max}
     */
    static long parseDecimal(ByteBuffer buf, int from, int to, long max) {
        if (from >= to) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = buf.get(i) - '0';
            if (digit < 0 || digit > 9 || value > (max - digit) / 10) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /**
     * Checks one field line {@code [from, to)} (without CRLF) of a header or trailer section:
     * {@code field-name ":" OWS field-value OWS}.
     *
     * @return the index of the colon, or -1 if the line is malformed
     */
    static int checkFieldLine(ByteBuffer buf, int from, int to) {
        int colon = from;
        while (colon < to && isTchar(buf.get(colon))) {
            colon++;
        }
        if (colon == from || colon == to || buf.get(colon) != ':') {
            return -1;
        }
        for (int i = colon + 1; i < to; i++) {
            if (!isFieldValueChar(buf.get(i))) {
                return -1;
            }
        }
        return colon;
    }
}

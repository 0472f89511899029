package io.loombench.server.http;

import java.nio.ByteBuffer;

/**
 * Character classes of RFC 9110, 9112 and 3986, and small helpers over absolute buffer indexes.
 * Every class is a 256-entry table indexed by the unsigned byte, so a check is one load.
 */
final class HttpSyntax {
    static final byte CR = '\r';
    static final byte LF = '\n';
    static final byte SP = ' ';
    static final byte HTAB = '\t';

    private static final String ALPHA = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String DIGIT = "0123456789";
    /** RFC 3986 2.3. */
    private static final String UNRESERVED = ALPHA + DIGIT + "-._~";
    /** RFC 3986 2.2. */
    private static final String SUB_DELIMS = "!$&'()*+,;=";

    /** RFC 9110 5.6.2: the characters of methods, field names, transfer codings, options. */
    private static final boolean[] TCHAR = table(ALPHA + DIGIT + "!#$%&'*+-.^_`|~");
    /** RFC 5234 HEXDIG, in either case. */
    private static final boolean[] HEXDIG = table(DIGIT + "ABCDEFabcdef");
    /**
     * An origin-form target (RFC 9112 3.2.1): pchar, "/" and "?", with "%" starting a
     * pct-encoding. No brackets, no "#", no space, no control or non-ASCII byte.
     */
    private static final boolean[] ORIGIN_FORM = table(UNRESERVED + SUB_DELIMS + ":@/?%");
    /** An absolute-form or authority-form target: the same, plus the brackets of an IP-literal. */
    private static final boolean[] URI = table(UNRESERVED + SUB_DELIMS + ":@/?%[]");
    /** A reg-name or IPv4 address (RFC 3986 3.2.2): unreserved, sub-delims and pct-encoded. */
    private static final boolean[] REG_NAME = table(UNRESERVED + SUB_DELIMS + "%");
    /**
     * Inside an IP-literal's brackets: IPv6 (hex digits, ":", "." for an embedded IPv4), IPvFuture,
     * and an RFC 6874 zone identifier ({@code %25eth0}).
     */
    private static final boolean[] IP_LITERAL = table(UNRESERVED + SUB_DELIMS + ":%");

    /** Plain bytes ({@link LineSyntax#plain()}) of a field name: tchar. Shared, never modify. */
    static final boolean[] PLAIN_NAME = TCHAR;
    /** Plain bytes of a field value: every byte a value may hold. Shared, never modify. */
    static final boolean[] PLAIN_VALUE = new boolean[256];
    /** Plain bytes of an origin-form target: its characters but "%", which starts a pct-encoding. */
    static final boolean[] PLAIN_ORIGIN_FORM = ORIGIN_FORM.clone();
    /** Plain bytes of an absolute- or authority-form target, likewise. */
    static final boolean[] PLAIN_URI = URI.clone();

    static {
        for (int b = 0; b < 256; b++) {
            PLAIN_VALUE[b] = isFieldValueChar((byte) b);
        }
        PLAIN_ORIGIN_FORM['%'] = false;
        PLAIN_URI['%'] = false;
    }

    private HttpSyntax() {
    }

    private static boolean[] table(String members) {
        boolean[] table = new boolean[256];
        for (char c : members.toCharArray()) {
            table[c] = true;
        }
        return table;
    }

    static boolean isTchar(byte b) {
        return TCHAR[b & 0xFF];
    }

    static boolean isHexDigit(byte b) {
        return HEXDIG[b & 0xFF];
    }

    static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    static boolean isAlpha(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
    }

    static boolean isOriginFormChar(byte b) {
        return ORIGIN_FORM[b & 0xFF];
    }

    static boolean isUriChar(byte b) {
        return URI[b & 0xFF];
    }

    /** RFC 9110 5.5: a byte of a field value: HTAB, SP, VCHAR or obs-text; never NUL, CR, LF, another control, or DEL. */
    static boolean isFieldValueChar(byte b) {
        return b == HTAB || (b >= SP && b != 0x7F) || b < 0;
    }

    /** RFC 9110 5.6.4 qdtext: a byte of a quoted-string other than DQUOTE and backslash. */
    static boolean isQdtext(byte b) {
        return b == HTAB || b == SP || b == 0x21 || (b >= 0x23 && b <= 0x5B) || (b >= 0x5D && b <= 0x7E) || b < 0;
    }

    /** RFC 9110 5.6.4: what may follow a backslash in a quoted-string. */
    static boolean isQuotedPairChar(byte b) {
        return b == HTAB || (b >= SP && b != 0x7F) || b < 0;
    }

    static boolean isWhitespace(byte b) {
        return b == SP || b == HTAB;
    }

    /**
     * A Host field value or an authority without userinfo (RFC 9112 3.2, RFC 3986 3.2.2):
     * {@code uri-host [ ":" port ]}, where uri-host is a reg-name, an IPv4 address or a bracketed
     * IP-literal, and port is digits. Empty is allowed (RFC 9110 7.2: a Host for a target without
     * an authority). Percent-encoding is checked for its form, not decoded.
     */
    static boolean isHost(ByteBuffer buf, int from, int to) {
        int i = from;
        if (i < to && buf.get(i) == '[') {
            i++;
            int literal = i;
            while (i < to && IP_LITERAL[buf.get(i) & 0xFF]) {
                i++;
            }
            if (i == literal || i == to || buf.get(i) != ']') {
                return false;
            }
            i++;
        } else {
            while (i < to && REG_NAME[buf.get(i) & 0xFF]) {
                if (buf.get(i) == '%' && !isPctEncoded(buf, i, to)) {
                    return false;
                }
                i++;
            }
        }
        if (i < to && buf.get(i) == ':') {
            i++;
            while (i < to && isDigit(buf.get(i))) {
                i++;
            }
        }
        return i == to;
    }

    /** True if a {@code "%" HEXDIG HEXDIG} starts at {@code at}, within {@code [at, to)}. */
    private static boolean isPctEncoded(ByteBuffer buf, int at, int to) {
        return at + 2 < to && isHexDigit(buf.get(at + 1)) && isHexDigit(buf.get(at + 2));
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

    /** A byte as the error messages show it: {@code 0x16}. */
    static String hex(byte b) {
        return String.format("0x%02X", b & 0xFF);
    }

    /** Index of the first {@code b} in {@code [from, to)}, or {@code to} when there is none. */
    static int indexOf(ByteBuffer buf, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf.get(i) == b) {
                return i;
            }
        }
        return to;
    }
}

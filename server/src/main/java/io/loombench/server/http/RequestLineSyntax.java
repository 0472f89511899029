package io.loombench.server.http;

import static io.loombench.server.http.HttpSyntax.SP;

/**
 * The request line, {@code method SP request-target SP HTTP-version} (RFC 9112 3), checked byte
 * by byte: the method is a token no longer than any method this server knows, the target holds
 * only the characters of RFC 3986 its form allows (with well-formed percent-encodings), the
 * version is {@code HTTP/} DIGIT "." DIGIT, and single spaces separate them.
 *
 * <p>So garbage is refused at its first byte: a TLS ClientHello (0x16) or a control character
 * cannot start a method. What needs the whole line (which version, which method, whether the
 * target's form suits the method) is left to {@link RequestHeadParser}, so that the HTTP/2
 * preface {@code PRI * HTTP/2.0} is answered 505 for its version, not 400 for its target.
 */
final class RequestLineSyntax implements LineSyntax {
    private enum Part { METHOD, TARGET, VERSION }

    private static final byte[] HTTP_SLASH = {'H', 'T', 'T', 'P', '/'};
    private static final String PCT_ENCODING = "\"%\" in the request target must be followed by two hex digits";
    private static final String MALFORMED_VERSION = "malformed HTTP version: HTTP/1.1 or HTTP/1.0 expected";
    /** {@code HTTP/x.y}. */
    private static final int VERSION_LENGTH = 8;

    private final byte[] method = new byte[Method.LONGEST];

    private Part part;
    private int methodLength;
    private int targetLength;
    private byte targetFirst;
    /** Hex digits still owed to the last "%" of the target. */
    private int pctDigitsOwed;
    private int versionLength;
    private byte major;
    private byte minor;

    RequestLineSyntax() {
        start();
    }

    /** Forgets the last line. */
    void start() {
        part = Part.METHOD;
        methodLength = 0;
        targetLength = 0;
        pctDigitsOwed = 0;
        versionLength = 0;
    }

    @Override
    public boolean accept(byte b, int offset, RequestHead head) {
        return switch (part) {
            case METHOD -> acceptMethod(b, head);
            case TARGET -> acceptTarget(b, offset, head);
            case VERSION -> acceptVersion(b, head);
        };
    }

    /**
     * The target's characters, once its first byte has set its form, outside a pct-encoding;
     * none for the method and the version, whose every byte is checked where it stands.
     */
    @Override
    public boolean[] plain() {
        if (part != Part.TARGET || targetLength == 0 || pctDigitsOwed > 0 || targetFirst == '*') {
            return null;
        }
        return targetFirst == '/' ? HttpSyntax.PLAIN_ORIGIN_FORM : HttpSyntax.PLAIN_URI;
    }

    // The accept methods run for every byte of the method and the version and for the target's
    // first and special bytes, so they stay small enough for the JIT to inline into the
    // scanner's loop; what an error says is built apart, in reject().

    private boolean acceptMethod(byte b, RequestHead head) {
        if (HttpSyntax.isTchar(b)) {
            if (methodLength == Method.LONGEST) {
                // RFC 9112 3.1: a method longer than any implemented is answered 501.
                return reject(head, HttpStatus.NOT_IMPLEMENTED, "method longer than any this server implements");
            }
            method[methodLength++] = b;
            return true;
        }
        if (b == SP && methodLength > 0) {
            part = Part.TARGET;
            return true;
        }
        return reject(head, HttpStatus.BAD_REQUEST, methodLength == 0 ? "cannot start a request: a request line starts with a method, a token"
                : "in the method: a method is a token", b);
    }

    private boolean acceptTarget(byte b, int offset, RequestHead head) {
        // From the offset, not by counting: the scanner runs over plain bytes without calling here.
        targetLength = offset - targetOffset();
        if (targetLength == 0) {
            if (b == SP) {
                return reject(head, HttpStatus.BAD_REQUEST, "missing request target: one space separates method and target");
            }
            targetFirst = b;
        } else if (b == SP) {
            if (pctDigitsOwed > 0) {
                return reject(head, HttpStatus.BAD_REQUEST, PCT_ENCODING);
            }
            part = Part.VERSION;
            return true;
        } else if (targetFirst == '*') {
            return reject(head, HttpStatus.BAD_REQUEST, "an asterisk-form request target is \"*\" alone");
        }
        if (pctDigitsOwed > 0) {
            if (!HttpSyntax.isHexDigit(b)) {
                return reject(head, HttpStatus.BAD_REQUEST, PCT_ENCODING);
            }
            pctDigitsOwed--;
        } else if (b == '%') {
            pctDigitsOwed = 2;
        } else if (!(targetFirst == '/' ? HttpSyntax.isOriginFormChar(b) : HttpSyntax.isUriChar(b))) {
            return reject(head, HttpStatus.BAD_REQUEST, b == '#' ? "in the request target: a fragment is never sent"
                    : "is not allowed in a request target (RFC 3986)", b);
        }
        targetLength++;
        return true;
    }

    private boolean acceptVersion(byte b, RequestHead head) {
        int at = versionLength;
        boolean expected = at < HTTP_SLASH.length ? b == HTTP_SLASH[at]
                : at == 6 ? b == '.'
                : at < VERSION_LENGTH && HttpSyntax.isDigit(b);
        if (!expected) {
            return reject(head, HttpStatus.BAD_REQUEST, at == VERSION_LENGTH ? "the request line goes on after its HTTP version" : MALFORMED_VERSION);
        }
        if (at == 5) {
            major = b;
        } else if (at == 7) {
            minor = b;
        }
        versionLength++;
        return true;
    }

    private static boolean reject(RequestHead head, HttpStatus status, String detail) {
        head.fail(status, detail);
        return false;
    }

    /** Rejects with a detail that names the byte: "byte 0x16 cannot start a request...". */
    private static boolean reject(RequestHead head, HttpStatus status, String detail, byte b) {
        return reject(head, status, "byte " + HttpSyntax.hex(b) + " " + detail);
    }

    /** Also true for an empty line, which the owner skips (RFC 9112 2.2): it tells one by its length. */
    @Override
    public boolean complete(int length, RequestHead head) {
        switch (part) {
            case METHOD -> {
                if (methodLength == 0) {
                    return true;
                }
                head.fail(HttpStatus.BAD_REQUEST, "request line without a request target");
            }
            case TARGET -> head.fail(HttpStatus.BAD_REQUEST, length == targetOffset()
                    ? "missing request target"
                    : "no HTTP version: HTTP/0.9 requests are not served");
            case VERSION -> {
                if (versionLength == VERSION_LENGTH) {
                    return true;
                }
                head.fail(HttpStatus.BAD_REQUEST, MALFORMED_VERSION);
            }
        }
        return false;
    }

    /** After a complete line: the method, or null for a token this server does not recognize. */
    Method method() {
        return Method.of(method, methodLength);
    }

    /** After a complete line: the target's offset in the line. */
    int targetOffset() {
        return methodLength + 1;
    }

    int targetLength() {
        return targetLength;
    }

    /** After a complete line: HTTP/1.0 or HTTP/1.1, the versions served. */
    boolean versionSupported() {
        return major == '1' && (minor == '0' || minor == '1');
    }

    boolean http11() {
        return minor == '1';
    }

    /** True once a byte of a request line has arrived. */
    boolean begun() {
        return methodLength > 0 || part != Part.METHOD;
    }
}

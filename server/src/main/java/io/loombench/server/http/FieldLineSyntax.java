package io.loombench.server.http;

/**
 * A header or trailer field line, {@code field-name ":" OWS field-value OWS} (RFC 9112 5),
 * checked byte by byte: the name is a non-empty token followed at once by the colon (whitespace
 * before the colon is refused, RFC 9112 5.1), a line starting with whitespace is obsolete line
 * folding (refused, RFC 9112 5.2), and the value holds no NUL, no other control character but
 * HTAB, and no DEL (RFC 9110 5.5). CR and LF never reach it: the {@link LineScanner} refuses them.
 */
final class FieldLineSyntax implements LineSyntax {
    private int nameLength;
    private boolean inValue;

    /** Forgets the last line. */
    void start() {
        nameLength = 0;
        inValue = false;
    }

    @Override
    public boolean accept(byte b, int offset, RequestHead head) {
        if (inValue) {
            if (HttpSyntax.isFieldValueChar(b)) {
                return true;
            }
            head.fail(HttpStatus.BAD_REQUEST, "byte " + HttpSyntax.hex(b) + " in a field value");
            return false;
        }
        if (HttpSyntax.isTchar(b)) {
            return true;
        }
        if (b == ':' && offset > 0) {
            nameLength = offset;
            inValue = true;
            return true;
        }
        head.fail(HttpStatus.BAD_REQUEST, offset == 0
                ? (HttpSyntax.isWhitespace(b) ? "obsolete line folding (a field line starting with whitespace)" : "a field line starts with a name, a token")
                : HttpSyntax.isWhitespace(b) ? "whitespace between a field name and its colon" : "byte " + HttpSyntax.hex(b) + " in a field name");
        return false;
    }

    @Override
    public boolean[] plain() {
        return inValue ? HttpSyntax.PLAIN_VALUE : HttpSyntax.PLAIN_NAME;
    }

    /** Also true for an empty line, which ends the section: the owner tells it by its length. */
    @Override
    public boolean complete(int length, RequestHead head) {
        if (inValue || length == 0) {
            return true;
        }
        head.fail(HttpStatus.BAD_REQUEST, "field line without a colon");
        return false;
    }

    /** After a complete line: the length of its name, which is the offset of its colon. */
    int nameLength() {
        return nameLength;
    }
}

package io.loombench.server.http;

/**
 * A chunk-size line, {@code chunk-size [ chunk-ext ]} (RFC 9112 7.1), checked byte by byte:
 * {@code chunk-size = 1*HEXDIG}, overflow checked as the digits come, and
 * {@code chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-value ] )} with token names and
 * token or quoted-string values. Extensions are checked and then ignored.
 *
 * <p>The size is also held against what is left of the body limit digit by digit: it only grows
 * with each digit, so a size over the limit is answered 413 at the digit that crosses it.
 */
final class ChunkLineSyntax implements LineSyntax {
    private enum Part {
        /** Hex digits of the size. */
        SIZE,
        /** Whitespace after the size or a value, which only a ";" may follow. */
        BWS_BEFORE_SEMICOLON,
        /** After ";": whitespace, then a name. */
        NAME_START,
        NAME,
        /** Whitespace after a name: "=" or ";" must follow. */
        AFTER_NAME,
        /** After "=": whitespace, then a token or a quoted string. */
        VALUE_START,
        TOKEN_VALUE,
        QUOTED_VALUE,
        /** After a backslash in a quoted value. */
        QUOTED_PAIR,
        /** After a quoted value's closing quote. */
        AFTER_QUOTE
    }

    private final long maxBodyBytes;

    private Part part;
    private int digits;
    private long size;
    private long budget;

    ChunkLineSyntax(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Starts a new line.
     *
     * @param decodedBytes body bytes of the chunks before this one
     */
    void start(long decodedBytes) {
        part = Part.SIZE;
        digits = 0;
        size = 0;
        budget = maxBodyBytes - decodedBytes;
    }

    @Override
    public boolean accept(byte b, int offset, RequestHead head) {
        boolean whitespace = HttpSyntax.isWhitespace(b);
        Part next = switch (part) {
            case SIZE -> {
                if (HttpSyntax.isHexDigit(b)) {
                    yield addDigit(b, head) ? Part.SIZE : null;
                }
                yield digits == 0 ? null : whitespace ? Part.BWS_BEFORE_SEMICOLON : b == ';' ? Part.NAME_START : null;
            }
            case BWS_BEFORE_SEMICOLON -> whitespace ? part : b == ';' ? Part.NAME_START : null;
            case NAME_START -> whitespace ? part : HttpSyntax.isTchar(b) ? Part.NAME : null;
            case NAME -> HttpSyntax.isTchar(b) ? part : whitespace ? Part.AFTER_NAME : afterName(b);
            case AFTER_NAME -> whitespace ? part : afterName(b);
            case VALUE_START -> whitespace ? part : b == '"' ? Part.QUOTED_VALUE : HttpSyntax.isTchar(b) ? Part.TOKEN_VALUE : null;
            case TOKEN_VALUE -> HttpSyntax.isTchar(b) ? part : whitespace ? Part.BWS_BEFORE_SEMICOLON : b == ';' ? Part.NAME_START : null;
            case QUOTED_VALUE -> b == '"' ? Part.AFTER_QUOTE : b == '\\' ? Part.QUOTED_PAIR : HttpSyntax.isQdtext(b) ? part : null;
            case QUOTED_PAIR -> HttpSyntax.isQuotedPairChar(b) ? Part.QUOTED_VALUE : null;
            case AFTER_QUOTE -> whitespace ? Part.BWS_BEFORE_SEMICOLON : b == ';' ? Part.NAME_START : null;
        };
        if (next == null) {
            if (!head.failed()) {
                head.fail(HttpStatus.BAD_REQUEST, part == Part.SIZE && digits == 0
                        ? "malformed chunk size: hex digits expected"
                        : "malformed chunk size line at byte " + HttpSyntax.hex(b));
            }
            return false;
        }
        part = next;
        return true;
    }

    private static Part afterName(byte b) {
        return b == '=' ? Part.VALUE_START : b == ';' ? Part.NAME_START : null;
    }

    private boolean addDigit(byte b, RequestHead head) {
        if (size > (Long.MAX_VALUE >>> 4)) {
            head.fail(HttpStatus.BAD_REQUEST, "chunk size overflows");
            return false;
        }
        size = (size << 4) | Character.digit(b, 16);
        digits++;
        if (size > budget) {
            head.fail(HttpStatus.CONTENT_TOO_LARGE, "body longer than " + maxBodyBytes + " bytes");
            return false;
        }
        return true;
    }

    /** None: every byte of a chunk-size line counts (digits) or changes the state. */
    @Override
    public boolean[] plain() {
        return null;
    }

    @Override
    public boolean complete(int length, RequestHead head) {
        boolean whole = switch (part) {
            case SIZE -> digits > 0;
            case NAME, TOKEN_VALUE, AFTER_QUOTE -> true;
            default -> false;
        };
        if (!whole) {
            head.fail(HttpStatus.BAD_REQUEST, digits == 0 ? "malformed chunk size: hex digits expected" : "malformed chunk extension");
        }
        return whole;
    }

    /** After a complete line: the chunk's size in bytes. */
    long size() {
        return size;
    }
}

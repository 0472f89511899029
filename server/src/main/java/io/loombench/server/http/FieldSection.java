package io.loombench.server.http;

import java.nio.ByteBuffer;

/**
 * The limits of one field section, the header section or a chunked body's trailers, as its lines
 * arrive: bytes of the whole section (its CRLFs and final empty line included), bytes of one
 * field line, and the number of fields. Each breach is a 431.
 */
final class FieldSection {
    private final HttpLimits limits;
    /** "header" or "trailer", for the error messages. */
    private final String kind;

    private int bytes;
    private int fields;

    FieldSection(HttpLimits limits, String kind) {
        this.limits = limits;
        this.kind = kind;
    }

    void reset() {
        bytes = 0;
        fields = 0;
    }

    /**
     * The longest the next line may be, without its CRLF: within the field limit, within what is
     * left of the section once the line's CRLF is counted, and within the input buffer.
     */
    int maxLineBytes(ByteBuffer in) {
        return Math.min(Math.min(limits.maxFieldBytes(), limits.maxHeaderBytes() - bytes - 2), LineScanner.longestLineFitting(in));
    }

    /** Records the 431 for a line the scanner found longer than {@link #maxLineBytes}, naming the limit it hit. */
    void failTooLong(ByteBuffer in, RequestHead head) {
        int max = maxLineBytes(in);
        String detail = max == limits.maxFieldBytes() ? kind + " field longer than " + max + " bytes"
                : max == LineScanner.longestLineFitting(in) ? kind + " field longer than the " + in.capacity() + "-byte input buffer holds"
                : kind + " section longer than " + limits.maxHeaderBytes() + " bytes";
        head.fail(HttpStatus.HEADER_FIELDS_TOO_LARGE, detail);
    }

    /**
     * Counts a complete line of {@code length} bytes without its CRLF: a field line, or the empty
     * line that ends the section.
     *
     * @return false if the section is now over a limit; the 431 is then recorded in {@code head}
     */
    boolean add(int length, RequestHead head) {
        bytes += length + 2;
        if (bytes > limits.maxHeaderBytes()) {
            head.fail(HttpStatus.HEADER_FIELDS_TOO_LARGE, kind + " section longer than " + limits.maxHeaderBytes() + " bytes");
            return false;
        }
        if (length > 0 && ++fields > limits.maxFieldCount()) {
            head.fail(HttpStatus.HEADER_FIELDS_TOO_LARGE, "more than " + limits.maxFieldCount() + " " + kind + " fields");
            return false;
        }
        return true;
    }
}

package io.loombench.server.http;

import java.nio.ByteBuffer;

import static io.loombench.server.http.HttpSyntax.CR;
import static io.loombench.server.http.HttpSyntax.LF;

/**
 * Finds CRLF-terminated lines in a connection's input buffer: the one line scanner of the server,
 * used for request lines, header and trailer fields, and chunk-size lines.
 *
 * <p>Incremental: a line may arrive over many reads, and the scanner remembers how far it got, so
 * a line trickling in byte by byte costs linear time. Every byte before the line end is checked
 * against the line's {@link LineSyntax} as it arrives. Line ends are strict (RFC 9112 2.2): CR
 * must be followed by LF and LF preceded by CR, so a bare CR or a bare LF anywhere is refused at
 * once, as is a line that grows past its limit.
 *
 * <p>Between lines the buffer's position is the first byte of the next line; the scanner moves it
 * only past a whole line. Since the driver compacts the buffer between reads, the scanner counts
 * relative to that position, never in absolute indexes.
 */
final class LineScanner {

    /** What {@link #scan} found. */
    enum Result {
        /**
         * A whole line, valid by its syntax: its bytes, without CRLF, are {@code [lineStart(), lineEnd())},
         * still in the buffer until the driver next compacts it; the position is past its LF.
         */
        LINE,
        /** No line end yet, and nothing wrong so far: call again once more bytes have arrived. */
        NEED_MORE,
        /** The line is longer than the limit given to {@link #scan}; the caller records the error. */
        TOO_LONG,
        /** A bare CR or LF, or a byte or an end the syntax refused; the error is recorded. */
        INVALID
    }

    /** Bytes after the buffer's position already scanned, without finding the line's end. */
    private int scanned;
    /** The last byte scanned was a CR, so the next must be LF. */
    private boolean afterCr;
    private int lineStart;
    private int lineEnd;

    /** Forgets a partly scanned line. */
    void reset() {
        scanned = 0;
        afterCr = false;
    }

    /**
     * The longest line, without its CRLF, that fits an input buffer: longer ones could never be
     * completed, because the driver only reads into free space.
     */
    static int longestLineFitting(ByteBuffer in) {
        return in.capacity() - 2;
    }

    /**
     * Scans from where the last call stopped.
     *
     * @param maxBytes the longest line allowed, without its CRLF; a longer line is refused at its
     *                 first byte too many. Callers cap it at {@link #longestLineFitting}.
     */
    Result scan(ByteBuffer in, LineSyntax syntax, int maxBytes, RequestHead head) {
        int start = in.position();
        int limit = in.limit();
        // Past this index a byte other than the line's CR is one too many.
        int bound = (int) Math.min(limit, (long) start + Math.max(0, maxBytes));
        boolean[] plain = syntax.plain();
        int i = start + scanned;
        while (i < limit) {
            if (plain != null && !afterCr) {
                i = skipPlain(in, i, bound, plain);
                if (i == limit) {
                    break;
                }
            }
            byte b = in.get(i);
            if (afterCr) {
                if (b != LF) {
                    head.fail(HttpStatus.BAD_REQUEST, "bare CR: a CR must be followed by LF");
                    return Result.INVALID;
                }
                reset();
                lineStart = start;
                lineEnd = i - 1;
                in.position(i + 1);
                return syntax.complete(lineEnd - lineStart, head) ? Result.LINE : Result.INVALID;
            }
            if (b == CR) {
                afterCr = true;
            } else if (b == LF) {
                head.fail(HttpStatus.BAD_REQUEST, "bare LF: lines end in CRLF");
                return Result.INVALID;
            } else if (i - start >= maxBytes) {
                return Result.TOO_LONG;
            } else if (!syntax.accept(b, i - start, head)) {
                return Result.INVALID;
            } else {
                plain = syntax.plain();
            }
            i++;
        }
        scanned = limit - start;
        return Result.NEED_MORE;
    }

    /** The index of the first byte in {@code [from, to)} that is not plain, or {@code to}. */
    private static int skipPlain(ByteBuffer in, int from, int to, boolean[] plain) {
        if (in.hasArray()) {
            // The buffers of every model are heap buffers: reading the array skips ByteBuffer's checks per byte.
            byte[] array = in.array();
            int offset = in.arrayOffset();
            int i = from;
            while (i < to && plain[array[offset + i] & 0xFF]) {
                i++;
            }
            return i;
        }
        int i = from;
        while (i < to && plain[in.get(i) & 0xFF]) {
            i++;
        }
        return i;
    }

    /** After {@link Result#LINE}: the absolute index of the line's first byte. */
    int lineStart() {
        return lineStart;
    }

    /** After {@link Result#LINE}: the absolute index of the line's CR. */
    int lineEnd() {
        return lineEnd;
    }
}

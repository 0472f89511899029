package io.loombench.server.http;

import java.nio.ByteBuffer;

import static io.loombench.server.http.HttpSyntax.CR;
import static io.loombench.server.http.HttpSyntax.LF;

/**
 * Decodes a chunked request body (RFC 9112 section 7.1) incrementally from the input buffer.
 *
 * <p>Chunk-size lines and trailer lines are parsed when complete, as in {@link RequestHeadParser};
 * chunk data is handed on as it arrives. Strict: {@code 1*HEXDIG} with an overflow check,
 * extensions only after {@code ;}, CRLF after every chunk's data, trailer fields well formed and
 * within the header limit (they are then ignored), and the decoded size within the body limit.
 */
final class ChunkedBodyDecoder {
    /** Longest chunk-size line with its extensions; real clients send a few bytes. */
    static final int MAX_SIZE_LINE_BYTES = 1024;

    private enum State { SIZE_LINE, DATA, DATA_CR, DATA_LF, TRAILER, DONE }

    private final HttpLimits limits;

    private State state = State.SIZE_LINE;
    private long chunkRemaining;
    private long decodedBytes;
    private int trailerBytes;
    private int scanned;

    ChunkedBodyDecoder(HttpLimits limits) {
        this.limits = limits;
    }

    void reset() {
        state = State.SIZE_LINE;
        chunkRemaining = 0;
        decodedBytes = 0;
        trailerBytes = 0;
        scanned = 0;
    }

    /**
     * Consumes body bytes from {@code in}, passing chunk data to {@code sink}, or dropping it when
     * {@code sink} is null.
     *
     * @return true when the body is complete or an error was recorded in {@code head};
     *         false when more input is needed (everything consumable was consumed)
     */
    boolean decode(ByteBuffer in, BodyBuffer sink, RequestHead head) {
        while (in.hasRemaining()) {
            switch (state) {
                case SIZE_LINE, TRAILER -> {
                    int start = in.position();
                    int lf = HttpSyntax.indexOfLf(in, start + scanned, in.limit());
                    if (lf < 0) {
                        scanned = in.remaining();
                        return lineCannotFit(scanned, in.remaining() == in.capacity(), head);
                    }
                    scanned = 0;
                    // The same length verdict as before the LF arrived, ahead of any other check, so
                    // a line gets the same answer however the reads split it.
                    if (lineCannotFit(lf - start, false, head)) {
                        return true;
                    }
                    if (lf == start || in.get(lf - 1) != CR || HttpSyntax.indexOfCr(in, start, lf - 1) >= 0) {
                        head.fail(HttpStatus.BAD_REQUEST, "chunked body line not terminated by CRLF");
                        return true;
                    }
                    in.position(lf + 1);
                    boolean done = state == State.SIZE_LINE
                            ? parseSizeLine(in, start, lf - 1, head)
                            : parseTrailerLine(in, start, lf - 1, head);
                    if (done) {
                        return true;
                    }
                }
                case DATA -> {
                    int n = (int) Math.min(in.remaining(), chunkRemaining);
                    if (sink == null) {
                        in.position(in.position() + n);
                    } else {
                        sink.append(in, n);
                    }
                    chunkRemaining -= n;
                    if (chunkRemaining == 0) {
                        state = State.DATA_CR;
                    }
                }
                case DATA_CR, DATA_LF -> {
                    byte expected = state == State.DATA_CR ? CR : LF;
                    if (in.get() != expected) {
                        head.fail(HttpStatus.BAD_REQUEST, "chunk data not followed by CRLF");
                        return true;
                    }
                    state = state == State.DATA_CR ? State.DATA_LF : State.SIZE_LINE;
                }
                case DONE -> {
                    return true;
                }
            }
        }
        return state == State.DONE;
    }

    /**
     * Fails the body if a line of which {@code beforeLf} bytes precede its LF (or have arrived, while
     * the LF has not) cannot fit its limit. Those bytes may end in the line's CR, hence the size
     * line's allowance of one byte more than its limit. Records the error and returns true on failure.
     */
    private boolean lineCannotFit(int beforeLf, boolean bufferFull, RequestHead head) {
        if (state == State.SIZE_LINE && (beforeLf > MAX_SIZE_LINE_BYTES + 1 || bufferFull)) {
            head.fail(HttpStatus.BAD_REQUEST, "chunk size line too long");
            return true;
        }
        if (state == State.TRAILER && (trailerBytes + beforeLf > limits.maxHeaderBytes() || bufferFull)) {
            head.fail(HttpStatus.HEADER_FIELDS_TOO_LARGE, "trailer section longer than " + limits.maxHeaderBytes() + " bytes");
            return true;
        }
        return false;
    }

    /** {@code chunk-size [ BWS ";" chunk-ext ]}, in {@code [start, end)}; returns true on error. */
    private boolean parseSizeLine(ByteBuffer in, int start, int end, RequestHead head) {
        long size = 0;
        int i = start;
        for (; i < end; i++) {
            int digit = Character.digit(in.get(i), 16);
            if (digit < 0) {
                break;
            }
            if (size > (Long.MAX_VALUE >>> 4)) {
                head.fail(HttpStatus.BAD_REQUEST, "chunk size overflows");
                return true;
            }
            size = (size << 4) | digit;
        }
        if (i == start) {
            head.fail(HttpStatus.BAD_REQUEST, "malformed chunk size");
            return true;
        }
        int rest = HttpSyntax.skipWhitespace(in, i, end);
        if (rest < end && (in.get(rest) != ';' || !validExtension(in, rest + 1, end))) {
            head.fail(HttpStatus.BAD_REQUEST, "malformed chunk extension");
            return true;
        }
        if (size > limits.maxBodyBytes() - decodedBytes) {
            head.fail(HttpStatus.CONTENT_TOO_LARGE, "body longer than " + limits.maxBodyBytes() + " bytes");
            return true;
        }
        decodedBytes += size;
        chunkRemaining = size;
        state = size == 0 ? State.TRAILER : State.DATA;
        return false;
    }

    private static boolean validExtension(ByteBuffer in, int start, int end) {
        for (int i = start; i < end; i++) {
            if (!HttpSyntax.isFieldValueChar(in.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** A trailer field, or the empty line that ends the body; returns true when done or on error. */
    private boolean parseTrailerLine(ByteBuffer in, int start, int end, RequestHead head) {
        trailerBytes += end + 2 - start;
        if (trailerBytes > limits.maxHeaderBytes()) {
            head.fail(HttpStatus.HEADER_FIELDS_TOO_LARGE, "trailer section longer than " + limits.maxHeaderBytes() + " bytes");
            return true;
        }
        if (end == start) {
            state = State.DONE;
            return true;
        }
        if (HttpSyntax.isWhitespace(in.get(start)) || HttpSyntax.checkFieldLine(in, start, end) < 0) {
            head.fail(HttpStatus.BAD_REQUEST, "malformed trailer field");
            return true;
        }
        return false;
    }
}

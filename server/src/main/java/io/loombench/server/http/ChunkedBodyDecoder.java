package io.loombench.server.http;

import java.nio.ByteBuffer;

import static io.loombench.server.http.HttpSyntax.CR;
import static io.loombench.server.http.HttpSyntax.LF;

/**
 * Decodes a chunked request body (RFC 9112 7.1) incrementally from the input buffer.
 *
 * <p>Chunk-size and trailer lines go through the {@link LineScanner} like the head's lines, so
 * the same rules hold: CRLF only, checked byte by byte. Chunk data is handed on as it arrives and
 * must be followed by exactly CRLF where its size says it ends. The decoded size stays within the
 * body limit (413), the trailer section within the header limits (431); trailer fields are checked,
 * then ignored: they never frame anything.
 */
final class ChunkedBodyDecoder {
    /** Longest chunk-size line with its extensions, without CRLF; real clients send a few bytes. */
    static final int MAX_SIZE_LINE_BYTES = 1024;

    private enum State {
        SIZE_LINE,
        DATA,
        /** The CR owed after a chunk's data. */
        DATA_CR,
        /** The LF owed after a chunk's data. */
        DATA_LF,
        TRAILER,
        DONE
    }

    private final LineScanner lines = new LineScanner();
    private final ChunkLineSyntax sizeLine;
    private final FieldLineSyntax trailerLine = new FieldLineSyntax();
    private final FieldSection trailers;

    private State state;
    private long chunkRemaining;
    private long decodedBytes;

    ChunkedBodyDecoder(HttpLimits limits) {
        this.sizeLine = new ChunkLineSyntax(limits.maxBodyBytes());
        this.trailers = new FieldSection(limits, "trailer");
        reset();
    }

    void reset() {
        lines.reset();
        trailers.reset();
        state = State.SIZE_LINE;
        sizeLine.start(0);
        chunkRemaining = 0;
        decodedBytes = 0;
    }

    /**
     * Consumes body bytes from {@code in}, passing chunk data to {@code sink}, or dropping it when
     * {@code sink} is null.
     */
    Step decode(ByteBuffer in, BodyBuffer sink, RequestHead head) {
        while (true) {
            switch (state) {
                case SIZE_LINE -> {
                    int max = Math.min(MAX_SIZE_LINE_BYTES, LineScanner.longestLineFitting(in));
                    switch (lines.scan(in, sizeLine, max, head)) {
                        case NEED_MORE -> {
                            return Step.NEED_MORE;
                        }
                        case TOO_LONG -> {
                            head.fail(HttpStatus.BAD_REQUEST, "chunk size line longer than " + max + " bytes");
                            return Step.REJECTED;
                        }
                        case INVALID -> {
                            return Step.REJECTED;
                        }
                        case LINE -> {
                            chunkRemaining = sizeLine.size();
                            decodedBytes += chunkRemaining;
                            if (chunkRemaining == 0) {
                                state = State.TRAILER;
                                trailerLine.start();
                            } else {
                                state = State.DATA;
                            }
                        }
                    }
                }
                case DATA -> {
                    if (!in.hasRemaining()) {
                        return Step.NEED_MORE;
                    }
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
                    if (!in.hasRemaining()) {
                        return Step.NEED_MORE;
                    }
                    if (in.get() != (state == State.DATA_CR ? CR : LF)) {
                        head.fail(HttpStatus.BAD_REQUEST, "chunk data not followed by CRLF where its size says it ends");
                        return Step.REJECTED;
                    }
                    if (state == State.DATA_CR) {
                        state = State.DATA_LF;
                    } else {
                        state = State.SIZE_LINE;
                        sizeLine.start(decodedBytes);
                    }
                }
                case TRAILER -> {
                    switch (lines.scan(in, trailerLine, trailers.maxLineBytes(in), head)) {
                        case NEED_MORE -> {
                            return Step.NEED_MORE;
                        }
                        case TOO_LONG -> {
                            trailers.failTooLong(in, head);
                            return Step.REJECTED;
                        }
                        case INVALID -> {
                            return Step.REJECTED;
                        }
                        case LINE -> {
                            int length = lines.lineEnd() - lines.lineStart();
                            if (!trailers.add(length, head)) {
                                return Step.REJECTED;
                            }
                            if (length == 0) {
                                state = State.DONE;
                            } else {
                                trailerLine.start();
                            }
                        }
                    }
                }
                case DONE -> {
                    return Step.DONE;
                }
            }
        }
    }
}

package io.loombench.loadgen.engine;

import io.loombench.loadgen.LoadError;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes the run's one HTTP request and reads HTTP/1.1 responses incrementally, validating their
 * framing (RFC 9112): a well-formed status line with a status from 100 to 599, CRLF-terminated
 * lines without a bare CR, field lines (headers and trailers) with a name and a colon, a decimal
 * Content-Length (one value), chunked bodies with valid sizes and CRLFs, or a body delimited by the
 * connection's close. Interim 1xx responses are skipped. Bodies are skipped, not stored.
 *
 * <p>Lines are parsed once whole in the input buffer (the worker's, with the connection's carried
 * bytes in front); a line that fills the whole buffer without ending is a protocol error.
 *
 * <p>This shares no code with the server's HTTP codec, on purpose: a generator that parsed with
 * the server's own code could not catch that code's mistakes.
 */
final class HttpResponseReader implements StreamCodec {
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte[] HTTP_1 = "HTTP/1.".getBytes(StandardCharsets.US_ASCII);

    private enum State { STATUS_LINE, HEADERS, BODY_FIXED, CHUNK_SIZE, CHUNK_DATA, CHUNK_CR, CHUNK_LF, TRAILERS, BODY_UNTIL_CLOSE }

    private final byte[] request;
    private final boolean headRequests;

    private State state = State.STATUS_LINE;
    private int scanned;
    private int status;
    private boolean http10;
    private boolean connectionClose;
    private boolean connectionKeepAlive;
    private long contentLength;
    private boolean chunked;
    private boolean otherCoding;
    private long remaining;
    private boolean closeAfter;
    /** Set by a line handler when that line ended the current response. */
    private boolean responseComplete;

    /**
     * @param request      the encoded request sent every time
     * @param headRequests the request is HEAD, so responses have no body
     */
    HttpResponseReader(byte[] request, boolean headRequests) {
        this.request = request;
        this.headRequests = headRequests;
    }

    @Override
    public int requestBytes() {
        return request.length;
    }

    @Override
    public void putRequest(ByteBuffer out, long sequence, int offset, int n) {
        out.put(request, offset, n);
    }

    @Override
    public Read read(ByteBuffer in) {
        while (true) {
            switch (state) {
                case STATUS_LINE, HEADERS, CHUNK_SIZE, TRAILERS -> {
                    int start = in.position();
                    int lf = indexOfLf(in, start + scanned);
                    if (lf < 0) {
                        scanned = in.remaining();
                        return in.remaining() == in.capacity() ? Read.INVALID : Read.INCOMPLETE;
                    }
                    scanned = 0;
                    if (lf == start || in.get(lf - 1) != CR) {
                        return Read.INVALID;
                    }
                    in.position(lf + 1);
                    if (!line(in, start, lf - 1)) {
                        return Read.INVALID;
                    }
                    if (responseComplete) {
                        return complete();
                    }
                }
                case BODY_FIXED, CHUNK_DATA -> {
                    int n = (int) Math.min(in.remaining(), remaining);
                    in.position(in.position() + n);
                    remaining -= n;
                    if (remaining > 0) {
                        return Read.INCOMPLETE;
                    }
                    if (state == State.BODY_FIXED) {
                        return complete();
                    }
                    state = State.CHUNK_CR;
                }
                case CHUNK_CR, CHUNK_LF -> {
                    if (!in.hasRemaining()) {
                        return Read.INCOMPLETE;
                    }
                    if (in.get() != (state == State.CHUNK_CR ? CR : LF)) {
                        return Read.INVALID;
                    }
                    state = state == State.CHUNK_CR ? State.CHUNK_LF : State.CHUNK_SIZE;
                }
                case BODY_UNTIL_CLOSE -> {
                    in.position(in.limit());
                    return Read.INCOMPLETE;
                }
            }
        }
    }

    /** Handles one complete line {@code [start, end)}; returns false if it is malformed. */
    private boolean line(ByteBuffer in, int start, int end) {
        for (int i = start; i < end; i++) {
            if (in.get(i) == CR) {
                return false;
            }
        }
        return switch (state) {
            case STATUS_LINE -> statusLine(in, start, end);
            case HEADERS -> end == start ? endOfHeaders() : headerLine(in, start, end);
            case CHUNK_SIZE -> chunkSize(in, start, end);
            case TRAILERS -> {
                responseComplete = end == start;
                yield end == start || colonOf(in, start, end) > 0;
            }
            default -> throw new IllegalStateException(state.name());
        };
    }

    /** {@code HTTP/1.x SP 3DIGIT [SP reason]}. */
    private boolean statusLine(ByteBuffer in, int start, int end) {
        if (end - start < 12 || !startsWith(in, start, HTTP_1) || !isDigit(in.get(start + 7)) || in.get(start + 8) != ' ') {
            return false;
        }
        int code = 0;
        for (int i = start + 9; i < start + 12; i++) {
            if (!isDigit(in.get(i))) {
                return false;
            }
            code = code * 10 + in.get(i) - '0';
        }
        if (code < 100 || code > 599 || (end > start + 12 && in.get(start + 12) != ' ')) {
            return false;
        }
        status = code;
        http10 = in.get(start + 7) == '0';
        connectionClose = false;
        connectionKeepAlive = false;
        contentLength = -1;
        chunked = false;
        otherCoding = false;
        state = State.HEADERS;
        return true;
    }

    /**
     * The colon ending a field line's name, or -1 if the line is not {@code name ":" value} with a
     * non-empty name of visible ASCII (which also rules out obsolete line folding).
     */
    private static int colonOf(ByteBuffer in, int start, int end) {
        for (int i = start; i < end; i++) {
            byte b = in.get(i);
            if (b == ':') {
                return i > start ? i : -1;
            }
            if (b <= ' ' || b >= 0x7F) {
                return -1;
            }
        }
        return -1;
    }

    private boolean headerLine(ByteBuffer in, int start, int end) {
        int colon = colonOf(in, start, end);
        if (colon < 0) {
            return false;
        }
        int valueStart = colon + 1;
        while (valueStart < end && (in.get(valueStart) == ' ' || in.get(valueStart) == '\t')) {
            valueStart++;
        }
        int valueEnd = end;
        while (valueEnd > valueStart && (in.get(valueEnd - 1) == ' ' || in.get(valueEnd - 1) == '\t')) {
            valueEnd--;
        }
        if (nameIs(in, start, colon, "content-length")) {
            long value = parseDecimal(in, valueStart, valueEnd);
            if (value < 0 || (contentLength >= 0 && contentLength != value)) {
                return false;
            }
            contentLength = value;
        } else if (nameIs(in, start, colon, "transfer-encoding")) {
            chunked = lastMemberIs(in, valueStart, valueEnd, "chunked");
            otherCoding |= !chunked;
        } else if (nameIs(in, start, colon, "connection")) {
            connectionClose |= hasMember(in, valueStart, valueEnd, "close");
            connectionKeepAlive |= hasMember(in, valueStart, valueEnd, "keep-alive");
        }
        return true;
    }

    /** Decides how the body is framed (RFC 9112 6.3). */
    private boolean endOfHeaders() {
        if (status < 200) {
            state = State.STATUS_LINE;
            return true;
        }
        closeAfter = connectionClose || (http10 && !connectionKeepAlive);
        if (headRequests || status == 204 || status == 304) {
            responseComplete = true;
        } else if (chunked) {
            state = State.CHUNK_SIZE;
            return contentLength < 0;
        } else if (otherCoding || contentLength < 0) {
            closeAfter = true;
            state = State.BODY_UNTIL_CLOSE;
        } else if (contentLength == 0) {
            responseComplete = true;
        } else {
            remaining = contentLength;
            state = State.BODY_FIXED;
        }
        return true;
    }

    /** {@code 1*HEXDIG [ BWS ";" ext ]}. */
    private boolean chunkSize(ByteBuffer in, int start, int end) {
        long size = 0;
        int i = start;
        for (; i < end; i++) {
            int digit = Character.digit(in.get(i), 16);
            if (digit < 0) {
                break;
            }
            if (size > (Long.MAX_VALUE >>> 4)) {
                return false;
            }
            size = (size << 4) | digit;
        }
        while (i < end && (in.get(i) == ' ' || in.get(i) == '\t')) {
            i++;
        }
        if (i == start || (i < end && in.get(i) != ';')) {
            return false;
        }
        if (size == 0) {
            state = State.TRAILERS;
        } else {
            remaining = size;
            state = State.CHUNK_DATA;
        }
        return true;
    }

    private Read complete() {
        responseComplete = false;
        state = State.STATUS_LINE;
        return Read.ANSWER;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public LoadError failure() {
        return LoadError.PROTOCOL;
    }

    @Override
    public boolean closeAfter() {
        return closeAfter;
    }

    @Override
    public boolean endOfInput() {
        if (state == State.BODY_UNTIL_CLOSE) {
            complete();
            return true;
        }
        return false;
    }

    @Override
    public void reset() {
        state = State.STATUS_LINE;
        scanned = 0;
        status = 0;
        closeAfter = false;
        responseComplete = false;
    }

    private static int indexOfLf(ByteBuffer in, int from) {
        for (int i = from; i < in.limit(); i++) {
            if (in.get(i) == LF) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean startsWith(ByteBuffer in, int start, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (in.get(start + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static long parseDecimal(ByteBuffer in, int start, int end) {
        if (start == end) {
            return -1;
        }
        long value = 0;
        for (int i = start; i < end; i++) {
            int digit = in.get(i) - '0';
            if (digit < 0 || digit > 9 || value > (Long.MAX_VALUE - digit) / 10) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static boolean nameIs(ByteBuffer in, int start, int end, String lowerCase) {
        if (end - start != lowerCase.length()) {
            return false;
        }
        for (int i = 0; i < lowerCase.length(); i++) {
            if (Character.toLowerCase(in.get(start + i)) != lowerCase.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a member of the comma-separated list {@code [start, end)} is {@code lowerCase}, in any case. */
    private static boolean hasMember(ByteBuffer in, int start, int end, String lowerCase) {
        int memberStart = start;
        for (int i = start; i <= end; i++) {
            if (i == end || in.get(i) == ',') {
                if (memberIs(in, memberStart, i, lowerCase)) {
                    return true;
                }
                memberStart = i + 1;
            }
        }
        return false;
    }

    /** Whether the last member of the comma-separated list {@code [start, end)} is {@code lowerCase}, in any case. */
    private static boolean lastMemberIs(ByteBuffer in, int start, int end, String lowerCase) {
        int memberStart = end;
        while (memberStart > start && in.get(memberStart - 1) != ',') {
            memberStart--;
        }
        return memberIs(in, memberStart, end, lowerCase);
    }

    /**
     * Whether {@code [start, end)}, without surrounding spaces and tabs, is {@code lowerCase}: a
     * whole list member, so a coding or option whose name merely contains it ("xchunked",
     * "X-Close-Reason") is not it.
     */
    private static boolean memberIs(ByteBuffer in, int start, int end, String lowerCase) {
        while (start < end && (in.get(start) == ' ' || in.get(start) == '\t')) {
            start++;
        }
        while (end > start && (in.get(end - 1) == ' ' || in.get(end - 1) == '\t')) {
            end--;
        }
        return nameIs(in, start, end, lowerCase);
    }
}

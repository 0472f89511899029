package io.loombench.server.http;

import io.loombench.server.ErrorKind;
import io.loombench.server.ServerCounters;
import io.loombench.server.http.ResponseWriter.Persistence;
import io.loombench.server.protocol.CpuWork;
import io.loombench.server.protocol.Next;
import io.loombench.server.protocol.ProtocolSession;
import io.loombench.server.protocol.ShutdownSignal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 connection: persistent connections, pipelining (responses leave in request order,
 * because requests are handled one at a time in arrival order), HTTP/1.0 with and without
 * keep-alive, Content-Length and chunked request bodies, {@code Expect: 100-continue}.
 *
 * <p>The exchange is a small state machine. A Content-Length body of {@code POST /echo} streams
 * through: the response head goes out first and body bytes are copied from input to output as
 * they arrive, so no body is ever held whole. A chunked body is decoded into a {@link BodyBuffer}
 * first, so the response can state its length. Every other body is read and dropped.
 *
 * <p>After an error in framing (400, 413, 414, 417, 431, 501, 505, 408) the session answers, then
 * closes: nothing pipelined behind a bad request is looked at. A well-formed request for a wrong
 * resource (404, 405, or a missing query parameter) keeps the connection open.
 */
public final class HttpSession implements ProtocolSession {
    /** Output room that any response head and error body fits in. */
    private static final int RESPONSE_ROOM = ResponseWriter.MAX_HEAD_BYTES + 256;

    private static final byte[] HELLO = ResponseWriter.ascii("Hello, World!");
    private static final byte[] HELLO_JSON = ResponseWriter.ascii("{\"message\":\"Hello, World!\"}");

    private enum State {
        /** Reading a request line and headers; also the idle state between requests. */
        HEAD,
        /** Owe the client {@code 100 Continue} before it sends the body. */
        SEND_CONTINUE,
        /** {@code POST /echo} with Content-Length: the response head goes out before the body. */
        SEND_ECHO_HEAD,
        /** Reading a Content-Length body: copied to the output for echo, else dropped. */
        BODY_FIXED,
        /** Decoding a chunked body. */
        BODY_CHUNKED,
        /** The request is complete: wait if asked to, then write the whole response. */
        RESPOND,
        /** Sending a buffered chunked body back. */
        SEND_BUFFERED_BODY,
        /** A framing error: answer it, then close. */
        SEND_ERROR,
        CLOSED
    }

    private final RequestHeadParser parser;
    private final ChunkedBodyDecoder chunkedDecoder;
    private final RequestHead head = new RequestHead();
    private final BodyBuffer bodyBuffer = new BodyBuffer();
    private final HttpDate date;
    private final ServerCounters counters;
    private final ShutdownSignal shutdown;
    private final long idleTimeoutNanos;
    private final long readTimeoutNanos;

    private State state = State.HEAD;
    private boolean requestStarted;
    private long idleSinceNanos;
    private long requestStartNanos;
    /** Status of the response owed for the current request, decided when its head is parsed. */
    private HttpStatus status;
    private String statusDetail;
    private long bodyRemaining;
    private boolean streamingEcho;
    private boolean delayDone;
    private boolean finalHeadSent;
    private boolean closeAfterResponse;

    public HttpSession(HttpLimits limits, long idleTimeoutNanos, long readTimeoutNanos, HttpDate date,
                       ServerCounters counters, ShutdownSignal shutdown) {
        this.parser = new RequestHeadParser(limits);
        this.chunkedDecoder = new ChunkedBodyDecoder(limits);
        this.date = date;
        this.counters = counters;
        this.shutdown = shutdown;
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.readTimeoutNanos = readTimeoutNanos;
    }

    @Override
    public Next process(ByteBuffer in, ByteBuffer out, long nowNanos) {
        while (true) {
            switch (state) {
                case HEAD -> {
                    if (!requestStarted && !in.hasRemaining()) {
                        idleSinceNanos = nowNanos;
                        return Next.NEED_INPUT;
                    }
                    boolean headDone = parser.parse(in, head);
                    // Empty lines between requests (RFC 9112 2.2) leave the connection idle: only
                    // a request's first byte starts the read timeout.
                    if (!requestStarted && (headDone || parser.requestBegun(in))) {
                        requestStarted = true;
                        requestStartNanos = nowNanos;
                    }
                    if (!headDone) {
                        return Next.NEED_INPUT;
                    }
                    if (head.failed()) {
                        fail(head.error, head.errorDetail);
                    } else {
                        startExchange();
                    }
                }
                case SEND_CONTINUE -> {
                    if (out.remaining() < RESPONSE_ROOM) {
                        return Next.FLUSH;
                    }
                    out.put(ResponseWriter.CONTINUE);
                    state = streamingEcho ? State.SEND_ECHO_HEAD : bodyState();
                }
                case SEND_ECHO_HEAD -> {
                    if (out.remaining() < RESPONSE_ROOM) {
                        return Next.FLUSH;
                    }
                    // bodyRemaining, not head.contentLength: a request without Content-Length has an
                    // empty body (RFC 9112 6.3), and its contentLength is -1.
                    writeHead(out, ResponseWriter.OCTET_STREAM, bodyRemaining, null);
                    state = State.BODY_FIXED;
                }
                case BODY_FIXED -> {
                    int n = (int) Math.min(in.remaining(), bodyRemaining);
                    if (streamingEcho) {
                        n = Math.min(n, out.remaining());
                        out.put(out.position(), in, in.position(), n).position(out.position() + n);
                    }
                    in.position(in.position() + n);
                    bodyRemaining -= n;
                    if (bodyRemaining > 0) {
                        return in.hasRemaining() ? Next.FLUSH : Next.NEED_INPUT;
                    }
                    if (streamingEcho) {
                        Next next = finishExchange(nowNanos);
                        if (next != null) {
                            return next;
                        }
                    } else {
                        state = State.RESPOND;
                    }
                }
                case BODY_CHUNKED -> {
                    BodyBuffer sink = status == HttpStatus.OK && head.endpoint == Endpoint.ECHO ? bodyBuffer : null;
                    if (!chunkedDecoder.decode(in, sink, head)) {
                        return Next.NEED_INPUT;
                    }
                    if (head.failed()) {
                        fail(head.error, head.errorDetail);
                    } else {
                        state = State.RESPOND;
                    }
                }
                case RESPOND -> {
                    if (head.endpoint == Endpoint.DELAY && status == HttpStatus.OK && !delayDone && head.parameter > 0) {
                        delayDone = true;
                        return Next.WAIT;
                    }
                    if (out.remaining() < RESPONSE_ROOM) {
                        return Next.FLUSH;
                    }
                    respond(out);
                    if (state == State.RESPOND) {
                        Next next = finishExchange(nowNanos);
                        if (next != null) {
                            return next;
                        }
                    }
                }
                case SEND_BUFFERED_BODY -> {
                    if (!bodyBuffer.drainInto(out)) {
                        return Next.FLUSH;
                    }
                    Next next = finishExchange(nowNanos);
                    if (next != null) {
                        return next;
                    }
                }
                case SEND_ERROR -> {
                    if (out.remaining() < RESPONSE_ROOM) {
                        return Next.FLUSH;
                    }
                    closeAfterResponse = true;
                    writeError(out);
                    state = State.CLOSED;
                    return Next.CLOSE;
                }
                case CLOSED -> {
                    return Next.CLOSE;
                }
            }
        }
    }

    /** The head is valid: decide the response and how the body, if any, is read. */
    private void startExchange() {
        Endpoint endpoint = head.endpoint;
        if (endpoint == Endpoint.NONE) {
            status = HttpStatus.NOT_FOUND;
            statusDetail = "no such resource; try /plaintext, /json, /echo, /delay?ms=N or /cpu?work=N";
        } else if (!endpoint.allows(head.method)) {
            status = HttpStatus.METHOD_NOT_ALLOWED;
            statusDetail = "use " + new String(endpoint.allow(), StandardCharsets.US_ASCII);
        } else if (endpoint.parameterPrefix() != null && head.parameter < 0) {
            status = HttpStatus.BAD_REQUEST;
            statusDetail = "query parameter " + endpoint.parameterName() + "=0.." + endpoint.maxParameter() + " required";
        } else {
            status = HttpStatus.OK;
        }
        if (status != HttpStatus.OK && head.expectContinue && head.hasBody()) {
            // The client waits for 100 Continue before sending its body; we refuse instead, and
            // close, since it may or may not send the body anyway.
            closeAfterResponse = true;
            state = State.RESPOND;
            return;
        }
        streamingEcho = status == HttpStatus.OK && endpoint == Endpoint.ECHO && !head.chunked;
        bodyRemaining = Math.max(0, head.contentLength);
        if (head.expectContinue && head.hasBody()) {
            state = State.SEND_CONTINUE;
        } else if (streamingEcho) {
            state = State.SEND_ECHO_HEAD;
        } else {
            state = bodyState();
        }
    }

    private State bodyState() {
        if (head.chunked) {
            return State.BODY_CHUNKED;
        }
        return bodyRemaining > 0 ? State.BODY_FIXED : State.RESPOND;
    }

    /** Writes the whole response for a complete request, or its head and starts the body copy. */
    private void respond(ByteBuffer out) {
        if (status != HttpStatus.OK) {
            writeError(out);
            return;
        }
        boolean withBody = head.method != Method.HEAD;
        switch (head.endpoint) {
            case PLAINTEXT -> writeFixed(out, ResponseWriter.TEXT_PLAIN, HELLO, withBody);
            case JSON -> writeFixed(out, ResponseWriter.APPLICATION_JSON, HELLO_JSON, withBody);
            case DELAY -> writeNumber(out, head.parameter, withBody);
            case CPU -> writeNumber(out, CpuWork.compute(head.parameter) & Long.MAX_VALUE, withBody);
            case ECHO -> {
                writeHead(out, ResponseWriter.OCTET_STREAM, bodyBuffer.size(), null);
                bodyBuffer.startSending();
                state = State.SEND_BUFFERED_BODY;
            }
            case NONE -> throw new IllegalStateException("routed to NONE with status 200");
        }
    }

    private void writeFixed(ByteBuffer out, byte[] contentType, byte[] body, boolean withBody) {
        writeHead(out, contentType, body.length, null);
        if (withBody) {
            out.put(body);
        }
    }

    private void writeNumber(ByteBuffer out, long value, boolean withBody) {
        writeHead(out, ResponseWriter.TEXT_PLAIN, ResponseWriter.decimalLength(value), null);
        if (withBody) {
            ResponseWriter.putDecimal(out, value);
        }
    }

    /**
     * Writes an error response. Its body is left out for HEAD, like every HEAD response's (RFC 9110
     * 9.3.2): a client reading the answer to HEAD expects none, and on a kept-alive connection
     * would take the body for the start of the next response.
     */
    private void writeError(ByteBuffer out) {
        byte[] body = (status.code() + " " + status.reason() + ": " + statusDetail + "\n").getBytes(StandardCharsets.US_ASCII);
        int length = Math.min(body.length, RESPONSE_ROOM - ResponseWriter.MAX_HEAD_BYTES);
        byte[] allow = status == HttpStatus.METHOD_NOT_ALLOWED ? head.endpoint.allow() : null;
        writeHead(out, ResponseWriter.TEXT_PLAIN, length, allow);
        if (head.method != Method.HEAD) {
            out.put(body, 0, length);
        }
        counters.error(status.errorKind());
    }

    private void writeHead(ByteBuffer out, byte[] contentType, long contentLength, byte[] allow) {
        closeAfterResponse |= !head.keepAlive() || shutdown.draining();
        Persistence persistence = closeAfterResponse ? Persistence.CLOSE
                : head.http11 ? Persistence.DEFAULT : Persistence.KEEP_ALIVE;
        ResponseWriter.head(out, status, date.now(), contentType, contentLength, persistence, allow);
        finalHeadSent = true;
        counters.request();
    }

    /** Records a framing error; the next step answers it and closes. */
    private void fail(HttpStatus error, String detail) {
        status = error;
        statusDetail = detail;
        state = State.SEND_ERROR;
    }

    /** The response is complete: close, or reset for the next request. Returns null to go on. */
    private Next finishExchange(long nowNanos) {
        if (closeAfterResponse) {
            state = State.CLOSED;
            return Next.CLOSE;
        }
        head.reset();
        parser.reset();
        chunkedDecoder.reset();
        bodyBuffer.clear();
        status = null;
        statusDetail = null;
        streamingEcho = false;
        delayDone = false;
        finalHeadSent = false;
        requestStarted = false;
        idleSinceNanos = nowNanos;
        state = State.HEAD;
        return null;
    }

    @Override
    public long waitMillis() {
        return head.parameter;
    }

    @Override
    public long deadlineNanos() {
        return requestStarted ? requestStartNanos + readTimeoutNanos : idleSinceNanos + idleTimeoutNanos;
    }

    @Override
    public void timeout(ByteBuffer out) {
        if (!requestStarted) {
            counters.error(ErrorKind.IDLE_TIMEOUT);
        } else if (finalHeadSent || out.remaining() < RESPONSE_ROOM) {
            // Too late for a 408: the response has begun. Closing mid-body tells the client.
            counters.error(ErrorKind.READ_TIMEOUT);
        } else {
            status = HttpStatus.REQUEST_TIMEOUT;
            statusDetail = "request not received within " + readTimeoutNanos / 1_000_000 + " ms";
            closeAfterResponse = true;
            writeError(out);
        }
        state = State.CLOSED;
    }

    @Override
    public boolean idle() {
        return state == State.HEAD && !requestStarted;
    }
}

package io.loombench.server.http;

import io.loombench.server.ServerError;
import io.loombench.server.ServerCounters;
import io.loombench.server.http.ResponseWriter.Persistence;
import io.loombench.server.protocol.CpuWork;
import io.loombench.server.protocol.Next;
import io.loombench.server.protocol.ProtocolSession;
import io.loombench.server.protocol.ShutdownSignal;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/1.1 connection's framing: persistent connections, pipelining (responses leave in
 * request order, because requests are handled one at a time in arrival order), HTTP/1.0 with and
 * without keep-alive, Content-Length and chunked request bodies, {@code Expect: 100-continue}.
 * What each request gets is the {@link Router}'s decision; this class only frames it.
 *
 * <p>The exchange is a small state machine. A Content-Length body of {@code POST /echo} streams
 * through: the response head goes out first and body bytes are copied from input to output as
 * they arrive, so no body is ever held whole. A chunked body is decoded into a {@link BodyBuffer}
 * first, so the response can state its length. Every other body is read and dropped.
 *
 * <p>A request the parser refuses (400, 413, 414, 417, 431, 501, 505) is answered with
 * {@code Connection: close}, and nothing pipelined behind it is looked at: the session then
 * lingers (RFC 9112 9.6), reading and dropping whatever the client still sends, until the client
 * closes, {@link #LINGER_NANOS} pass or {@link #LINGER_MAX_BYTES} arrive, so that a client still
 * sending gets to read the answer instead of a reset. A well-formed request for a wrong resource
 * (404, 405, a missing query parameter) keeps the connection open.
 *
 * <p>Which of the {@link HttpTimers} runs follows the state: the idle timer between requests, the
 * header deadline from a request's first byte until its head is parsed, the body's inactivity
 * timer while a body (chunked: with its trailers) arrives, and the linger's end while lingering.
 */
public final class HttpSession implements ProtocolSession {
    /** Longest linger after an error response: Apache's lingering close reads for 2 s too. */
    static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Most bytes dropped while lingering: a client that sends more is not reading its answer. */
    static final long LINGER_MAX_BYTES = 1 << 20;

    /** Output room that any response head and error body fits in. */
    private static final int RESPONSE_ROOM = ResponseWriter.MAX_HEAD_BYTES + 256;

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
        /** A refused request: answer it, then linger. */
        SEND_ERROR,
        /** After the last response: dropping input until the client closes or the linger ends. */
        LINGER,
        CLOSED
    }

    private final RequestHeadParser parser;
    private final ChunkedBodyDecoder chunkedDecoder;
    private final Router router;
    private final RequestHead head = new RequestHead();
    private final BodyBuffer bodyBuffer = new BodyBuffer();
    private final HttpDate date;
    private final ServerCounters counters;
    private final ShutdownSignal shutdown;
    private final HttpTimers timers;

    private State state = State.HEAD;
    private boolean requestStarted;
    private long idleSinceNanos;
    private long requestStartNanos;
    /** When a body byte last arrived, or the body began: its inactivity timer runs from here. */
    private long bodyProgressNanos;
    /** Input left unread when the session last asked for more inside a body: more means bytes arrived. */
    private int bodyUnreadAtWait;
    private long lingerEndNanos;
    private long lingeredBytes;
    /** What the current request gets, decided once its head is parsed. */
    private Route route;
    private long bodyRemaining;
    private boolean streamingEcho;
    private boolean delayDone;
    private boolean finalHeadSent;
    private boolean closeAfterResponse;
    /** The server, not the client, ends the connection while the client may still be sending: linger. */
    private boolean lingerAfterResponse;

    public HttpSession(HttpLimits limits, Router router, HttpTimers timers, HttpDate date,
                       ServerCounters counters, ShutdownSignal shutdown) {
        this.parser = new RequestHeadParser(limits);
        this.chunkedDecoder = new ChunkedBodyDecoder(limits);
        this.router = router;
        this.date = date;
        this.counters = counters;
        this.shutdown = shutdown;
        this.timers = timers;
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
                    Step step = parser.parse(in, head);
                    // Empty lines between requests (RFC 9112 2.2) leave the connection idle: only
                    // a request's first byte starts the read timeout.
                    if (!requestStarted && (step != Step.NEED_MORE || parser.begun())) {
                        requestStarted = true;
                        requestStartNanos = nowNanos;
                    }
                    switch (step) {
                        case NEED_MORE -> {
                            return Next.NEED_INPUT;
                        }
                        case REJECTED -> state = State.SEND_ERROR;
                        case DONE -> startExchange(in, nowNanos);
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
                    writeHead(out, HttpStatus.OK, ResponseWriter.OCTET_STREAM, bodyRemaining, null);
                    state = State.BODY_FIXED;
                }
                case BODY_FIXED -> {
                    noteBodyBytes(in, nowNanos);
                    int n = (int) Math.min(in.remaining(), bodyRemaining);
                    if (streamingEcho) {
                        n = Math.min(n, out.remaining());
                        out.put(out.position(), in, in.position(), n).position(out.position() + n);
                    }
                    in.position(in.position() + n);
                    bodyRemaining -= n;
                    if (bodyRemaining > 0) {
                        return in.hasRemaining() ? Next.FLUSH : awaitBody(in);
                    }
                    if (streamingEcho) {
                        finishExchange(nowNanos);
                    } else {
                        state = State.RESPOND;
                    }
                }
                case BODY_CHUNKED -> {
                    noteBodyBytes(in, nowNanos);
                    BodyBuffer sink = route instanceof Route.Echo ? bodyBuffer : null;
                    switch (chunkedDecoder.decode(in, sink, head)) {
                        case NEED_MORE -> {
                            return awaitBody(in);
                        }
                        case REJECTED -> state = State.SEND_ERROR;
                        case DONE -> state = State.RESPOND;
                    }
                }
                case RESPOND -> {
                    if (route instanceof Route.Delay delay && !delayDone && delay.millis() > 0) {
                        delayDone = true;
                        return Next.WAIT;
                    }
                    if (out.remaining() < RESPONSE_ROOM) {
                        return Next.FLUSH;
                    }
                    respond(out, nowNanos);
                }
                case SEND_BUFFERED_BODY -> {
                    if (!bodyBuffer.drainInto(out)) {
                        return Next.FLUSH;
                    }
                    finishExchange(nowNanos);
                }
                case SEND_ERROR -> {
                    if (out.remaining() < RESPONSE_ROOM) {
                        return Next.FLUSH;
                    }
                    writeError(out, head.error(), head.errorDetail());
                    startLinger(nowNanos);
                }
                case LINGER -> {
                    lingeredBytes += in.remaining();
                    in.position(in.limit());
                    if (lingeredBytes > LINGER_MAX_BYTES) {
                        state = State.CLOSED;
                        return Next.CLOSE;
                    }
                    return Next.NEED_INPUT;
                }
                case CLOSED -> {
                    return Next.CLOSE;
                }
            }
        }
    }

    /**
     * Restarts the body's inactivity timer if bytes arrived since the session last asked for
     * them. Counting arrivals rather than consumption, since the chunked decoder leaves a partial
     * chunk line unconsumed: a chunk-size line sent a byte at a time is progress too.
     */
    private void noteBodyBytes(ByteBuffer in, long nowNanos) {
        if (in.remaining() > bodyUnreadAtWait) {
            bodyProgressNanos = nowNanos;
        }
    }

    private Next awaitBody(ByteBuffer in) {
        bodyUnreadAtWait = in.remaining();
        return Next.NEED_INPUT;
    }

    /** The head is valid: route it and decide how the body, if any, is read. */
    private void startExchange(ByteBuffer in, long nowNanos) {
        bodyProgressNanos = nowNanos;
        bodyUnreadAtWait = in.remaining();
        route = router.route(head.method, head.target);
        if (route.status() != HttpStatus.OK && head.expectContinue && head.hasBody()) {
            // The client waits for 100 Continue before sending its body; we refuse instead, and
            // close, since it may or may not send the body anyway.
            closeAfterResponse = true;
            lingerAfterResponse = true;
            state = State.RESPOND;
            return;
        }
        streamingEcho = route instanceof Route.Echo && !head.chunked;
        bodyRemaining = head.contentLength;
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

    /** Writes the response to a complete request, or its head and starts sending a buffered body. */
    private void respond(ByteBuffer out, long nowNanos) {
        boolean withBody = head.method != Method.HEAD;
        switch (route) {
            case Route.Fixed fixed -> {
                writeHead(out, fixed.status(), fixed.contentType(), fixed.body().length, fixed.allow());
                if (withBody) {
                    out.put(fixed.body());
                }
                if (fixed.status().errorKind() != null) {
                    counters.error(fixed.status().errorKind());
                }
            }
            case Route.Delay delay -> writeNumber(out, delay.millis(), withBody);
            case Route.Cpu cpu -> writeNumber(out, CpuWork.compute(cpu.units()) & Long.MAX_VALUE, withBody);
            case Route.Echo echo -> {
                writeHead(out, HttpStatus.OK, ResponseWriter.OCTET_STREAM, bodyBuffer.size(), null);
                bodyBuffer.startSending();
                state = State.SEND_BUFFERED_BODY;
                return;
            }
        }
        finishExchange(nowNanos);
    }

    private void writeNumber(ByteBuffer out, long value, boolean withBody) {
        writeHead(out, HttpStatus.OK, ResponseWriter.TEXT_PLAIN, ResponseWriter.decimalLength(value), null);
        if (withBody) {
            ResponseWriter.putDecimal(out, value);
        }
    }

    /**
     * Writes an error response that ends the connection. Its body is left out for HEAD, like every
     * HEAD response's (RFC 9110 9.3.2): a client reading the answer to HEAD expects none.
     */
    private void writeError(ByteBuffer out, HttpStatus status, String detail) {
        writeError(out, status, detail, status.errorKind());
    }

    /** As {@link #writeError(ByteBuffer, HttpStatus, String)}, counted as {@code kind}. */
    private void writeError(ByteBuffer out, HttpStatus status, String detail, ServerError kind) {
        byte[] body = ResponseWriter.errorBody(status, detail);
        int length = Math.min(body.length, RESPONSE_ROOM - ResponseWriter.MAX_HEAD_BYTES);
        closeAfterResponse = true;
        writeHead(out, status, ResponseWriter.TEXT_PLAIN, length, null);
        if (head.method != Method.HEAD) {
            out.put(body, 0, length);
        }
        counters.error(kind);
    }

    private void writeHead(ByteBuffer out, HttpStatus status, byte[] contentType, long contentLength, byte[] allow) {
        closeAfterResponse |= !head.keepAlive() || shutdown.draining();
        Persistence persistence = closeAfterResponse ? Persistence.CLOSE
                : head.http11 ? Persistence.DEFAULT : Persistence.KEEP_ALIVE;
        ResponseWriter.head(out, status, date.now(), contentType, contentLength, persistence, allow);
        finalHeadSent = true;
        counters.request();
    }

    /** The response is complete: close, linger, or reset for the next request. */
    private void finishExchange(long nowNanos) {
        if (lingerAfterResponse) {
            startLinger(nowNanos);
            return;
        }
        if (closeAfterResponse) {
            state = State.CLOSED;
            return;
        }
        head.reset();
        parser.reset();
        chunkedDecoder.reset();
        bodyBuffer.clear();
        route = null;
        streamingEcho = false;
        delayDone = false;
        finalHeadSent = false;
        requestStarted = false;
        idleSinceNanos = nowNanos;
        state = State.HEAD;
    }

    private void startLinger(long nowNanos) {
        state = State.LINGER;
        lingerEndNanos = nowNanos + LINGER_NANOS;
    }

    @Override
    public long waitMillis() {
        return route instanceof Route.Delay delay ? delay.millis() : 0;
    }

    @Override
    public long deadlineNanos() {
        if (state == State.LINGER) {
            return lingerEndNanos;
        }
        if (inBody()) {
            return bodyProgressNanos + timers.bodyNanos();
        }
        return requestStarted ? requestStartNanos + timers.headerNanos() : idleSinceNanos + timers.idleNanos();
    }

    private boolean inBody() {
        return state == State.BODY_FIXED || state == State.BODY_CHUNKED;
    }

    @Override
    public void timeout(ByteBuffer out) {
        // The end of a linger is nobody's fault: its error was counted when it was answered.
        if (state != State.LINGER) {
            ServerError kind = inBody() ? ServerError.BODY_TIMEOUT : ServerError.READ_TIMEOUT;
            if (!requestStarted) {
                counters.error(ServerError.IDLE_TIMEOUT);
            } else if (finalHeadSent || out.remaining() < RESPONSE_ROOM) {
                // Too late for a 408: the response has begun. Closing mid-body tells the client.
                counters.error(kind);
            } else if (kind == ServerError.BODY_TIMEOUT) {
                writeError(out, HttpStatus.REQUEST_TIMEOUT, "no body byte for " + timers.bodyNanos() / 1_000_000 + " ms", kind);
            } else {
                writeError(out, HttpStatus.REQUEST_TIMEOUT, "request head not received within " + timers.headerNanos() / 1_000_000 + " ms", kind);
            }
        }
        state = State.CLOSED;
    }

    /** True between requests, and while lingering: closing then loses nothing the client is owed. */
    @Override
    public boolean idle() {
        return (state == State.HEAD && !requestStarted) || state == State.LINGER;
    }

    @Override
    public boolean lingering() {
        return state == State.LINGER;
    }
}

package io.loombench.benchmarks.peers;

import io.loombench.common.Cli;
import io.loombench.common.Protocol;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Date;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Reference server: Netty 4.2 on the native epoll transport, written the way a competent Netty
 * user writes a benchmark server (the TechEmpower Netty entry's style): one boss loop, one worker
 * loop per available processor, {@link HttpServerCodec} without an aggregator, the response
 * written straight from the decoded {@link HttpRequest} and flushed once per read batch in
 * {@code channelReadComplete}. {@code /delay} is a loop timer, never a blocked loop; {@code /cpu}
 * computes on the loop, as loombench's {@code nio} model does.
 *
 * <p>Run as {@code java -cp ... io.loombench.benchmarks.peers.NettyServer --port 0 --protocol http};
 * see {@link PeerSupport#serve} for the ready and stopped lines.
 */
public final class NettyServer implements PeerServer {
    private static final AsciiString SERVER_NAME = AsciiString.cached("netty");
    private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain");
    private static final AsciiString APPLICATION_JSON = AsciiString.cached("application/json");
    /** Our header names and values are constants or digits: validating them per response is wasted work. */
    private static final HttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);
    /**
     * Fixed bodies live once in direct memory, so epoll writes them without a copy; a response
     * takes a duplicate (own indexes, shared bytes), and releasing it is a no-op.
     */
    private static final ByteBuf PLAINTEXT = constant(PeerSupport.PLAINTEXT);
    private static final ByteBuf JSON = constant(PeerSupport.JSON);

    private final Protocol protocol;
    private final int loops;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel listener;
    private final InetSocketAddress address;
    private final LongAdder requests = new LongAdder();
    /**
     * {@code /delay} timers pending on open connections, so that close() lets them fire first:
     * Netty cancels scheduled tasks when its loops shut down. A connection that closes cancels its own.
     */
    private final LongAdder delaysPending = new LongAdder();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Starts a server with loombench's default backlog and one worker loop per available processor. */
    public static NettyServer start(String host, int port, String protocol) throws Exception {
        return start(host, port, protocol, PeerSupport.DEFAULT_BACKLOG, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Starts a server; returns when it accepts connections.
     *
     * @param protocol {@code http} or {@code echo}
     * @param loops    worker event loops
     * @throws IllegalArgumentException for a bad argument
     * @throws Exception                when it cannot bind ({@code NativeIoException}, an IOException) or epoll is unavailable
     */
    public static NettyServer start(String host, int port, String protocol, int backlog, int loops) throws Exception {
        PeerSupport.checkAddress(host, port, backlog);
        if (loops < 1) {
            throw new IllegalArgumentException("loops must be positive, was " + loops);
        }
        // The point of this peer is the native transport: fail with the reason rather than fall back to NIO.
        Epoll.ensureAvailability();
        return new NettyServer(host, port, PeerSupport.protocol(protocol), backlog, loops);
    }

    private NettyServer(String host, int port, Protocol protocol, int backlog, int loops) throws Exception {
        this.protocol = protocol;
        this.loops = loops;
        boss = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(loops, EpollIoHandler.newFactory());
        HttpDate date = new HttpDate();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, backlog)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // Echo: a client that shuts down its output still gets every byte back before we close.
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, protocol == Protocol.ECHO)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (protocol == Protocol.HTTP) {
                            // loombench's limits: an 8k request line, a 16k header section.
                            channel.pipeline().addLast(new HttpServerCodec(new HttpDecoderConfig()
                                            .setMaxInitialLineLength(8192).setMaxHeaderSize(16384)),
                                    new HttpHandler(date));
                        } else {
                            channel.pipeline().addLast(new EchoHandler());
                        }
                    }
                });
        ChannelFuture bound = bootstrap.bind(host, port).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            shutdownLoops();
            Throwable cause = bound.cause();
            throw cause instanceof Exception e ? e : new IllegalStateException(cause);
        }
        listener = bound.channel();
        address = (InetSocketAddress) listener.localAddress();
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public long requests() {
        return requests.sum();
    }

    public int loops() {
        return loops;
    }

    @Override
    public String readyLine() {
        return PeerSupport.readyLine(address, "netty", protocol, " loops=" + loops);
    }

    /**
     * Closes the listening socket (new connects are refused), lets pending {@code /delay} timers
     * fire for up to loombench's shutdown grace, then shuts the loops down, which closes every
     * connection. There is no quiet period: nothing new can arrive once the listener is closed,
     * except on connections already open, and those are being closed.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        listener.close().awaitUninterruptibly();
        long deadline = System.nanoTime() + PeerSupport.SHUTDOWN_GRACE.toNanos();
        boolean interrupted = false;
        while (delaysPending.sum() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                interrupted = true;
                break;
            }
        }
        shutdownLoops();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void shutdownLoops() {
        boss.shutdownGracefully(0, 5, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 5, TimeUnit.SECONDS);
        boss.terminationFuture().awaitUninterruptibly();
        workers.terminationFuture().awaitUninterruptibly();
    }

    // ---------------------------------------------------------------- HTTP

    /**
     * One per connection. Answers each request as its head is decoded; a body (which no endpoint
     * reads) arrives as content messages and is released unread. Pipelined requests are answered
     * in order: a response ready while an earlier {@code /delay} is pending waits in a queue
     * behind it (empty, and not touched, on the fast path), and reading pauses until the delayed
     * answer has gone, as loombench's own server stops reading while a request waits.
     */
    private final class HttpHandler extends ChannelInboundHandlerAdapter {
        private final HttpDate date;
        private final ArrayDeque<Answer> queue = new ArrayDeque<>();
        /** A response with Connection: close went or is queued: whatever follows is ignored. */
        private boolean closing;

        HttpHandler(HttpDate date) {
            this.date = date;
        }

        /** A response and whether the connection closes after it; {@code response} is null while its delay is pending. */
        private static final class Answer {
            FullHttpResponse response;
            final boolean close;
            /** The pending delay's timer, or null. */
            ScheduledFuture<?> timer;

            Answer(FullHttpResponse response, boolean close) {
                this.response = response;
                this.close = close;
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest request && !closing) {
                    onRequest(ctx, request);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        private void onRequest(ChannelHandlerContext ctx, HttpRequest request) {
            if (request.decoderResult().isFailure()) {
                // The codec discards everything after a bad message; answer it and close, as loombench does.
                Throwable cause = request.decoderResult().cause();
                HttpResponseStatus status = cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                        : cause instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                        : cause instanceof TooLongFrameException ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE
                        : HttpResponseStatus.BAD_REQUEST;
                answer(ctx, error(status, status.code() + " " + status.reasonPhrase() + "\n"), true);
                return;
            }
            boolean close = !HttpUtil.isKeepAlive(request);
            String uri = request.uri();
            int query = uri.indexOf('?');
            String path = query < 0 ? uri : uri.substring(0, query);
            boolean known = switch (path) {
                case "/plaintext", "/json", "/delay", "/cpu" -> true;
                default -> false;
            };
            FullHttpResponse response;
            if (!known) {
                response = error(HttpResponseStatus.NOT_FOUND, PeerSupport.NOT_FOUND);
            } else if (request.method() != HttpMethod.GET) {
                response = error(HttpResponseStatus.METHOD_NOT_ALLOWED, PeerSupport.METHOD_NOT_ALLOWED);
                response.headers().set(HttpHeaderNames.ALLOW, "GET");
            } else {
                String rawQuery = query < 0 ? null : uri.substring(query + 1);
                response = switch (path) {
                    case "/plaintext" -> ok(TEXT_PLAIN, PLAINTEXT.duplicate());
                    case "/json" -> ok(APPLICATION_JSON, JSON.duplicate());
                    case "/delay" -> {
                        long ms = PeerSupport.parameter(rawQuery, "ms", PeerSupport.MAX_DELAY_MS);
                        if (ms > 0) {
                            delay(ctx, ms, close, request.protocolVersion());
                            yield null;
                        }
                        yield ms == 0 ? number("0") : error(HttpResponseStatus.BAD_REQUEST, PeerSupport.BAD_DELAY);
                    }
                    default -> {
                        long work = PeerSupport.parameter(rawQuery, "work", PeerSupport.MAX_WORK);
                        yield work >= 0 ? number(PeerSupport.cpu(work)) : error(HttpResponseStatus.BAD_REQUEST, PeerSupport.BAD_WORK);
                    }
                };
            }
            if (response != null) {
                persistence(response, close, request.protocolVersion());
                answer(ctx, response, close);
            }
        }

        /** Answers {@code /delay?ms=N} from a timer on this connection's loop, which goes on serving other connections meanwhile. */
        private void delay(ChannelHandlerContext ctx, long ms, boolean close, HttpVersion version) {
            Answer pending = new Answer(null, close);
            queue.add(pending);
            closing |= close;
            ctx.channel().config().setAutoRead(false);
            delaysPending.increment();
            pending.timer = ctx.executor().schedule(() -> {
                delaysPending.decrement();
                FullHttpResponse response = number(Long.toString(ms));
                persistence(response, close, version);
                pending.response = response;
                drain(ctx);
            }, ms, TimeUnit.MILLISECONDS);
        }

        private void answer(ChannelHandlerContext ctx, FullHttpResponse response, boolean close) {
            closing |= close;
            if (queue.isEmpty()) {
                write(ctx, response, close);
            } else {
                queue.add(new Answer(response, close));
            }
        }

        /** Writes the answers now ready at the head of the queue, in order, and resumes reading once none is pending. */
        private void drain(ChannelHandlerContext ctx) {
            while (!queue.isEmpty() && queue.peek().response != null) {
                Answer next = queue.poll();
                write(ctx, next.response, next.close);
            }
            ctx.flush();
            if (queue.isEmpty() && !closing && ctx.channel().isActive()) {
                ctx.channel().config().setAutoRead(true);
            }
        }

        private void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean close) {
            requests.increment();
            if (close) {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.write(response, ctx.voidPromise());
            }
        }

        private FullHttpResponse ok(AsciiString contentType, ByteBuf body) {
            return response(HttpResponseStatus.OK, contentType, body);
        }

        private FullHttpResponse number(String value) {
            return response(HttpResponseStatus.OK, TEXT_PLAIN, Unpooled.wrappedBuffer(PeerSupport.ascii(value)));
        }

        private FullHttpResponse error(HttpResponseStatus status, String body) {
            return response(status, TEXT_PLAIN, Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.US_ASCII)));
        }

        /** The headers loombench sends: Server, Date, Content-Type, Content-Length. */
        private FullHttpResponse response(HttpResponseStatus status, AsciiString contentType, ByteBuf body) {
            HttpHeaders headers = HEADERS.newHeaders()
                    .set(HttpHeaderNames.SERVER, SERVER_NAME)
                    .set(HttpHeaderNames.DATE, date.now())
                    .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
            return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body, headers, EmptyHttpHeaders.INSTANCE);
        }

        /** HTTP/1.1 keeps alive by default; HTTP/1.0 only when asked, and then it must be said. */
        private static void persistence(FullHttpResponse response, boolean close, HttpVersion version) {
            if (close) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            } else if (!version.isKeepAliveDefault()) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            // The client is gone: its pending delays need not fire, nor hold up a shutdown.
            for (Answer answer : queue) {
                ReferenceCountUtil.release(answer.response);
                if (answer.timer != null && answer.timer.cancel(false)) {
                    delaysPending.decrement();
                }
            }
            queue.clear();
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A reset or broken pipe (wrk closes with requests in flight): nothing to answer, nothing to log.
            ctx.close();
        }
    }

    // ---------------------------------------------------------------- echo

    /**
     * Every byte back, in order: each read buffer is written back as it is (no copy) and flushed
     * once per read batch. When the peer does not read fast enough and our outbound buffer passes
     * Netty's high-water mark, reading stops until it drains, so memory stays bounded.
     */
    private final class EchoHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            requests.increment();
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
            if (!ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(true);
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof ChannelInputShutdownEvent) {
                // The client is done sending: close once what we owe it has gone.
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    // ---------------------------------------------------------------- support

    /** The Date header (IMF-fixdate), formatted at most once a second and shared by all loops. */
    private static final class HttpDate {
        private record Stamp(long second, AsciiString value) {
        }

        private volatile Stamp current = format(System.currentTimeMillis() / 1000);

        AsciiString now() {
            long second = System.currentTimeMillis() / 1000;
            Stamp stamp = current;
            if (stamp.second != second) {
                stamp = format(second);
                current = stamp;
            }
            return stamp.value;
        }

        private static Stamp format(long second) {
            return new Stamp(second, new AsciiString(DateFormatter.format(new Date(second * 1000))));
        }
    }

    private static ByteBuf constant(byte[] bytes) {
        return Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes));
    }

    // ---------------------------------------------------------------- command line

    @Command(name = "netty-server", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
            version = "loombench netty peer 0.1.0 (Netty 4.2, native epoll)",
            description = {
                    "Reference server: Netty 4.2 on native epoll, HTTP (/plaintext, /json, /delay?ms=N, /cpu?work=N) or TCP echo.",
                    "Prints 'listening on tcp://<host>:<port> model=netty ...' when ready; SIGTERM or Ctrl-C shuts down gracefully.",
                    ""
            })
    static final class Main implements Callable<Integer> {
        @Mixin
        PeerSupport.Options options;

        @Option(names = "--loops", description = "Worker event loops. Default: available processors (${DEFAULT-VALUE}).")
        int loops = Runtime.getRuntime().availableProcessors();

        @Override
        public Integer call() throws InterruptedException {
            return PeerSupport.serve("netty-server", options,
                    () -> start(options.host, options.port, options.protocol.name(), options.backlog, loops));
        }
    }

    public static void main(String[] args) {
        int code = Cli.run(new Main(), args);
        if (code != Cli.OK) {
            System.exit(code);
        }
    }
}

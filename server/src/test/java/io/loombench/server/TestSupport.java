package io.loombench.server;

import io.loombench.common.Protocol;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.Arguments;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Shared plumbing for the integration tests: servers on 127.0.0.1 with a free port, raw sockets
 * with bounded reads, a minimal HTTP/1.1 client that reads responses by their Content-Length,
 * bounded polling for conditions, and the checks for leaked threads and descriptors.
 *
 * <p>Every wait here is bounded: reads time out after {@link #IO_TIMEOUT}, conditions are polled
 * for at most {@link #WAIT_TIMEOUT}. Nothing sleeps to let the server "get there"; a test waits for
 * what it can observe (a response, an EOF, a counter).
 */
final class TestSupport {
    /** Socket read timeout: long enough for a loaded 2-core machine, short enough to fail a hung test. */
    static final Duration IO_TIMEOUT = Duration.ofSeconds(10);
    /** Upper bound for {@link #await}. */
    static final Duration WAIT_TIMEOUT = Duration.ofSeconds(10);
    /** Prefix of every thread the server starts. */
    static final String THREAD_PREFIX = "loombench-";

    private static final List<Server> STARTED = new CopyOnWriteArrayList<>();
    /** Exceptions that ended a server thread: each one is a server bug, reported by {@link #closeAndCheck}. */
    private static final List<String> SERVER_THREAD_DEATHS = new CopyOnWriteArrayList<>();

    static {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            if (thread.getName().startsWith(THREAD_PREFIX)) {
                SERVER_THREAD_DEATHS.add(thread.getName() + ": " + e);
            }
            if (previous != null) {
                previous.uncaughtException(thread, e);
            } else {
                System.err.print("Exception in thread \"" + thread.getName() + "\" ");
                e.printStackTrace();
            }
        });
    }

    private TestSupport() {
    }

    // ---------------------------------------------------------------- servers

    /**
     * A configuration for tests: loopback, a free port, a small pool, two loops, generous
     * timeouts that a test shortens where it exercises them.
     */
    static ServerConfig.Builder config(Model model, Protocol protocol) {
        return ServerConfig.builder()
                .model(model).protocol(protocol)
                .host("127.0.0.1").port(0)
                .poolThreads(16).eventLoops(2)
                .shutdownGrace(Duration.ofSeconds(10));
    }

    /** Starts a server and remembers it, so {@link CloseServers} can close it if the test fails. */
    static Server start(ServerConfig.Builder config) throws IOException {
        Server server = Server.start(config.build());
        STARTED.add(server);
        return server;
    }

    /**
     * Closes, after each test, every server the test started: a test that fails half-way leaves
     * its server running, and its threads would otherwise fail the leak checks of the tests after it.
     */
    static final class CloseServers implements AfterEachCallback {
        @Override
        public void afterEach(ExtensionContext context) {
            for (Server server : STARTED) {
                server.close();
            }
            STARTED.clear();
        }
    }

    /** Every model with every TCP protocol, for {@code @MethodSource}. */
    static Stream<Arguments> modelsAndProtocols() {
        return Arrays.stream(Model.values())
                .flatMap(model -> Arrays.stream(Protocol.values()).map(protocol -> Arguments.of(model, protocol)));
    }

    /**
     * Closes the server (graceful shutdown) and checks that it left nothing behind: no active
     * connection and no live platform thread of its own; and that none of its threads died of an
     * exception along the way.
     */
    static void closeAndCheck(Server server) {
        server.close();
        assertThat(server.stats().active()).as("active connections after close").isZero();
        assertThat(serverThreads()).as("server threads alive after close() returned").isEmpty();
        assertNoServerThreadDied();
    }

    /** Fails if a server thread ended with an uncaught exception since the last check. */
    static void assertNoServerThreadDied() {
        List<String> deaths = List.copyOf(SERVER_THREAD_DEATHS);
        SERVER_THREAD_DEATHS.clear();
        assertThat(deaths).as("server threads that died of an exception").isEmpty();
    }

    /** Names of live platform threads the server started ({@code loombench-*}). */
    static List<String> serverThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith(THREAD_PREFIX))
                .sorted()
                .toList();
    }

    /** Descriptors open in this process, or -1 where /proc is missing. */
    static int openFileDescriptors() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    // ---------------------------------------------------------------- waiting

    /** Polls {@code condition} every few milliseconds until it holds; fails after {@link #WAIT_TIMEOUT}. */
    static void await(String what, BooleanSupplier condition) {
        await(what, condition, () -> "");
    }

    /** As {@link #await(String, BooleanSupplier)}, with {@code state} describing what was seen on failure. */
    static void await(String what, BooleanSupplier condition, Supplier<Object> state) {
        long deadline = System.nanoTime() + WAIT_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + WAIT_TIMEOUT.toSeconds() + " s waiting for " + what + "; last seen: " + state.get());
            }
            pause();
        }
    }

    /** Waits until the server's counters satisfy {@code condition}. */
    static void awaitStats(Server server, String what, Predicate<ServerStats> condition) {
        await(what, () -> condition.test(server.stats()), server::stats);
    }

    /**
     * Lets {@code quiet} pass with nothing sent, as a client pausing between requests does: part
     * of a scenario (a server that has sat idle), never a way to wait for the server to do
     * something. Checks that follow it are lower bounds on time, which load cannot break.
     */
    static void stayIdle(Duration quiet) throws InterruptedException {
        Thread.sleep(quiet);
    }

    /** The short poll interval of every bounded wait loop. */
    static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    // ---------------------------------------------------------------- sockets

    static Socket connect(Server server) throws IOException {
        return connect(server.address());
    }

    static Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout((int) IO_TIMEOUT.toMillis());
        socket.connect(address, (int) IO_TIMEOUT.toMillis());
        return socket;
    }

    /** A small receive window, so a server's output to a client that never reads backs up after a few hundred KiB. */
    private static final int NEVER_READING_RECEIVE_BUFFER = 4096;

    /**
     * A non-blocking channel to the server with a small receive buffer, for a client that sends
     * and never reads ({@link #pumpUntilStuck}).
     */
    static SocketChannel connectNeverReading(Server server) throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, NEVER_READING_RECEIVE_BUFFER);
        channel.connect(server.address());
        channel.configureBlocking(false);
        return channel;
    }

    /**
     * Pipelines requests (GETs for HTTP, bytes for echo) without blocking and without reading,
     * until the connection takes no more for a while: the server has stopped reading because its
     * own writes to this client cannot go out. Bounded by {@link #IO_TIMEOUT}.
     */
    static void pumpUntilStuck(SocketChannel channel, Protocol protocol) throws IOException {
        byte[] one = protocol == Protocol.HTTP ? ascii(get("/plaintext")) : ascii("0123456789abcdef");
        ByteBuffer requests = ByteBuffer.allocate(64 * 1024 / one.length * one.length);
        while (requests.hasRemaining()) {
            requests.put(one);
        }
        requests.flip();
        long deadline = System.nanoTime() + IO_TIMEOUT.toNanos();
        int refusals = 0;
        while (refusals < 40) {
            if (System.nanoTime() - deadline > 0) {
                fail("the server kept reading for " + IO_TIMEOUT.toSeconds() + " s from a client that never reads");
            }
            if (!requests.hasRemaining()) {
                requests.rewind();
            }
            if (channel.write(requests) == 0) {
                refusals++;
                pause();
            } else {
                refusals = 0;
            }
        }
    }

    /** Bytes from a seeded generator: the same for the same seed, so a failure reproduces. */
    static byte[] randomBytes(long seed, int length) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] readExactly(InputStream in, int length) throws IOException {
        byte[] bytes = new byte[length];
        int done = 0;
        while (done < length) {
            int n = in.read(bytes, done, length - done);
            if (n < 0) {
                throw new EOFException("connection closed after " + done + " of " + length + " bytes");
            }
            done += n;
        }
        return bytes;
    }

    /**
     * Writes {@code bytes} as separate writes of 1 to {@code maxPiece} bytes (random, from the
     * caller's seeded generator), flushing each, so the server sees them in arbitrary pieces.
     * Returns null so it can be submitted as a {@code Callable}.
     */
    static Void writeInPieces(OutputStream out, byte[] bytes, Random random, int maxPiece) throws IOException {
        for (int at = 0; at < bytes.length; ) {
            int n = Math.min(bytes.length - at, 1 + random.nextInt(maxPiece));
            out.write(bytes, at, n);
            out.flush();
            at += n;
        }
        return null;
    }

    /** Reads everything up to the peer's close; fails if it does not close within the read timeout. */
    static byte[] readToEof(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] chunk = new byte[64 * 1024];
        int n;
        while ((n = in.read(chunk)) >= 0) {
            all.write(chunk, 0, n);
        }
        return all.toByteArray();
    }

    /**
     * Asserts that the server closes the connection without sending anything more: the next read
     * sees end of stream or a reset (a close with unread input makes the kernel send RST), within
     * the socket's read timeout.
     */
    static void assertClosedByServer(Socket socket) throws IOException {
        assertClosedByServer(socket, socket.getInputStream());
    }

    static void assertClosedByServer(Socket socket, InputStream in) throws IOException {
        int next;
        try {
            next = in.read();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("server did not close the connection within " + socket.getSoTimeout() + " ms", e);
        } catch (SocketException e) {
            assertThat(e.getMessage()).as("socket error on a connection the server closed").containsIgnoringCase("reset");
            return;
        }
        assertThat(next).as("byte read where the server should have closed the connection").isEqualTo(-1);
    }

    /**
     * Asserts that nothing arrives on {@code socket} for {@code quiet}: used only to show that a
     * request is <em>not</em> being served (a queued connection), never to wait for an effect.
     */
    static void assertNothingArrives(Socket socket, Duration quiet) throws IOException {
        int saved = socket.getSoTimeout();
        socket.setSoTimeout((int) quiet.toMillis());
        try {
            int b = socket.getInputStream().read();
            fail("expected silence, got " + (b < 0 ? "end of stream" : "a byte"));
        } catch (SocketTimeoutException expected) {
            // Silence, as it should be.
        } finally {
            socket.setSoTimeout(saved);
        }
    }

    // ---------------------------------------------------------------- HTTP

    /** {@code GET path HTTP/1.1} with a Host header and any extra header lines (each without CRLF). */
    static String get(String path, String... headers) {
        return request("GET", path, headers);
    }

    static String request(String method, String path, String... headers) {
        StringBuilder request = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: test\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        return request.append("\r\n").toString();
    }

    /** {@code POST /echo} with a Content-Length body. */
    static byte[] postEcho(byte[] body, String... headers) {
        String[] all = Arrays.copyOf(headers, headers.length + 1);
        all[headers.length] = "Content-Length: " + body.length;
        return concat(ascii(request("POST", "/echo", all)), body);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    /** One parsed response. Header names are lower case; the body is exactly Content-Length bytes. */
    record HttpResponse(String version, int status, String reason, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String bodyText() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }

        /** True when the server announced it closes after this response. */
        boolean closes() {
            return "close".equalsIgnoreCase(header("Connection"));
        }

        @Override
        public String toString() {
            return version + " " + status + " " + reason + " " + headers + " body=" + body.length + " bytes";
        }
    }

    /**
     * Reads one response: status line, header fields up to the empty line, then a body of exactly
     * Content-Length bytes (this server always sends one; HEAD responses carry none). Lines must
     * end in CRLF.
     */
    static HttpResponse readResponse(InputStream in, boolean headRequest) throws IOException {
        String statusLine = readLine(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 3 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("malformed status line: " + statusLine);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line: " + line);
            }
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            if (headers.putIfAbsent(name, line.substring(colon + 1).strip()) != null) {
                throw new IOException("header repeated: " + name);
            }
        }
        int status = Integer.parseInt(parts[1]);
        byte[] body = new byte[0];
        if (status >= 200 && !headRequest) {
            String length = headers.get("content-length");
            if (length == null) {
                throw new IOException("response without Content-Length: " + statusLine + " " + headers);
            }
            body = readExactly(in, Integer.parseInt(length));
        }
        return new HttpResponse(parts[0], status, parts[2], headers, body);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed in a response line after: " + line);
            }
            if (b == '\n') {
                if (line.isEmpty() || line.charAt(line.length() - 1) != '\r') {
                    throw new IOException("response line not terminated by CRLF: " + line);
                }
                line.setLength(line.length() - 1);
                return line.toString();
            }
            line.append((char) b);
            if (line.length() > 8192) {
                throw new IOException("response line too long");
            }
        }
    }

    /**
     * A raw client on one socket, for either protocol: the test writes exactly the bytes it wants
     * and reads HTTP responses back one at a time, so pipelining, partial requests and framing are
     * in its hands.
     */
    static final class Client implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Client(Server server) throws IOException {
            this(server.address());
        }

        Client(InetSocketAddress address) throws IOException {
            socket = connect(address);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        Client send(String request) throws IOException {
            return send(ascii(request));
        }

        Client send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
            return this;
        }

        HttpResponse read() throws IOException {
            return readResponse(in, false);
        }

        /** Reads the response to a HEAD request, which has no body. */
        HttpResponse readHead() throws IOException {
            return readResponse(in, true);
        }

        HttpResponse exchange(String request) throws IOException {
            return send(request).read();
        }

        HttpResponse exchange(byte[] request) throws IOException {
            return send(request).read();
        }

        /**
         * One checked exchange in either protocol: echo must send {@code tag} back, HTTP must
         * answer a {@code POST /echo} of it with 200 and the same bytes.
         */
        void assertRoundTrip(Protocol protocol, String tag) throws IOException {
            sendTag(protocol, tag);
            assertAnswer(protocol, tag);
        }

        /** The request half of {@link #assertRoundTrip}. */
        void sendTag(Protocol protocol, String tag) throws IOException {
            send(protocol == Protocol.ECHO ? ascii(tag) : postEcho(ascii(tag)));
        }

        /** The answer half of {@link #assertRoundTrip}. */
        void assertAnswer(Protocol protocol, String tag) throws IOException {
            if (protocol == Protocol.ECHO) {
                assertThat(readExactly(in, tag.length())).as("echo of %s", tag).isEqualTo(ascii(tag));
            } else {
                HttpResponse response = read();
                assertThat(response.status()).as("status of POST /echo %s", tag).isEqualTo(200);
                assertThat(response.bodyText()).isEqualTo(tag);
            }
        }

        void assertClosedByServer() throws IOException {
            TestSupport.assertClosedByServer(socket, in);
        }

        /**
         * Shuts this side's output down, as a client does once it has read a response that
         * announced the close (RFC 9112 9.6): a server lingering after an error then sees the
         * end of the stream and closes at once.
         */
        void halfClose() throws IOException {
            socket.shutdownOutput();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Opens {@code count} connections; the caller closes them. */
    static List<Client> openClients(Server server, int count) throws IOException {
        List<Client> connections = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            connections.add(new Client(server));
        }
        return connections;
    }

    static void closeAll(Iterable<? extends AutoCloseable> closeables) throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }
}

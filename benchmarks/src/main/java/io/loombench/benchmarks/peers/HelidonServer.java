package io.loombench.benchmarks.peers;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.loombench.common.Cli;
import io.loombench.common.Protocol;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Reference server: Helidon SE 4 webserver, whose point is a virtual thread per request on
 * blocking I/O, written as a competent Helidon user writes it (the TechEmpower Helidon SE entry's
 * style): plain routing rules, cached header values, {@code send(byte[])}. {@code /delay} sleeps
 * the handler's virtual thread, which is what Helidon is for. HTTP only.
 *
 * <p>Socket options as loombench's: TCP_NODELAY, its backlog. Helidon's own request validation
 * stays at its defaults, since loombench's parser is strict too.
 *
 * <p>Run as {@code java -cp ... io.loombench.benchmarks.peers.HelidonServer --port 0};
 * see {@link PeerSupport#serve} for the ready and stopped lines.
 */
public final class HelidonServer implements PeerServer {
    private static final Header SERVER = HeaderValues.createCached(HeaderNames.SERVER, "helidon");
    private static final Header TEXT_PLAIN = HeaderValues.createCached(HeaderNames.CONTENT_TYPE, "text/plain");
    private static final Header APPLICATION_JSON = HeaderValues.createCached(HeaderNames.CONTENT_TYPE, "application/json");
    private static final String SERIAL_FILTER_MISSING = "helidon.serialFilter.missing.action";

    private final WebServer server;
    private final InetSocketAddress address;
    private final LongAdder requests = new LongAdder();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Starts a server with loombench's default backlog. */
    public static HelidonServer start(String host, int port) {
        return start(host, port, PeerSupport.DEFAULT_BACKLOG);
    }

    /**
     * Starts a server; returns when it accepts connections.
     *
     * @throws IllegalArgumentException for a bad argument
     * @throws UncheckedIOException     when it cannot bind (Helidon itself only logs that), its message the cause
     */
    public static HelidonServer start(String host, int port, int backlog) {
        PeerSupport.checkAddress(host, port, backlog);
        // Helidon otherwise installs a JVM-wide deserialization filter that rejects everything,
        // which breaks whatever else in the JVM uses serialization (JMH's link to its forks, when a
        // test starts this server in-process). It has no part in serving HTTP; a user's own
        // setting is kept.
        if (System.getProperty(SERIAL_FILTER_MISSING) == null) {
            System.setProperty(SERIAL_FILTER_MISSING, "ignore");
        }
        return new HelidonServer(host, port, backlog);
    }

    private HelidonServer(String host, int port, int backlog) {
        // Helidon does not throw when its listener cannot bind: it logs the exception (SEVERE) and
        // returns a server that is not running. Catch that record to say why, in one line.
        StartFailure failure = new StartFailure();
        Logger webserverLog = Logger.getLogger("io.helidon.webserver");
        webserverLog.addHandler(failure);
        try {
            server = webServer(host, port, backlog);
        } finally {
            webserverLog.removeHandler(failure);
        }
        if (!server.isRunning() || server.port() < 0) {
            server.stop();
            Throwable cause = failure.cause == null ? null : rootCause(failure.cause);
            String reason = cause == null ? "Helidon did not start (see its log)" : Cli.describe(cause);
            throw new UncheckedIOException(reason, cause instanceof IOException io ? io : new IOException(reason, cause));
        }
        address = new InetSocketAddress(host, server.port());
    }

    private WebServer webServer(String host, int port, int backlog) {
        return WebServer.builder()
                .host(host)
                .port(port)
                .backlog(backlog)
                .connectionOptions(socket -> socket.tcpNoDelay(true))
                // loombench's grace for requests in flight; our own shutdown hook stops the server
                // (Helidon's would race it), so the stopped line comes after the stop.
                .shutdownGracePeriod(PeerSupport.SHUTDOWN_GRACE)
                .shutdownHook(false)
                .routing(routing -> routes(routing))
                .build()
                .start();
    }

    /** Keeps the exception of the first record that carries one. */
    private static final class StartFailure extends Handler {
        volatile Throwable cause;

        StartFailure() {
            setLevel(Level.SEVERE);
        }

        @Override
        public void publish(LogRecord record) {
            if (cause == null && record.getThrown() != null && isLoggable(record)) {
                cause = record.getThrown();
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private void routes(HttpRules rules) {
        rules.get("/plaintext", (request, response) -> send(response, Status.OK_200, TEXT_PLAIN, PeerSupport.PLAINTEXT))
                .get("/json", (request, response) -> send(response, Status.OK_200, APPLICATION_JSON, PeerSupport.JSON))
                .get("/delay", this::delay)
                .get("/cpu", this::cpu)
                // The rest are answered here, not by Helidon's default, so they carry our headers and are counted.
                .any("/plaintext", (request, response) -> methodNotAllowed(response))
                .any("/json", (request, response) -> methodNotAllowed(response))
                .any("/delay", (request, response) -> methodNotAllowed(response))
                .any("/cpu", (request, response) -> methodNotAllowed(response))
                .any((request, response) -> send(response, Status.NOT_FOUND_404, TEXT_PLAIN, PeerSupport.ascii(PeerSupport.NOT_FOUND)));
    }

    private void delay(ServerRequest request, ServerResponse response) throws InterruptedException {
        long ms = PeerSupport.parameter(rawQuery(request), "ms", PeerSupport.MAX_DELAY_MS);
        if (ms < 0) {
            send(response, Status.BAD_REQUEST_400, TEXT_PLAIN, PeerSupport.ascii(PeerSupport.BAD_DELAY));
            return;
        }
        // Blocks only this request's virtual thread; its carrier goes on with other requests.
        Thread.sleep(ms);
        send(response, Status.OK_200, TEXT_PLAIN, PeerSupport.ascii(Long.toString(ms)));
    }

    private void cpu(ServerRequest request, ServerResponse response) {
        long work = PeerSupport.parameter(rawQuery(request), "work", PeerSupport.MAX_WORK);
        if (work < 0) {
            send(response, Status.BAD_REQUEST_400, TEXT_PLAIN, PeerSupport.ascii(PeerSupport.BAD_WORK));
            return;
        }
        send(response, Status.OK_200, TEXT_PLAIN, PeerSupport.ascii(PeerSupport.cpu(work)));
    }

    private void methodNotAllowed(ServerResponse response) {
        response.header(HeaderNames.ALLOW, "GET");
        send(response, Status.METHOD_NOT_ALLOWED_405, TEXT_PLAIN, PeerSupport.ascii(PeerSupport.METHOD_NOT_ALLOWED));
    }

    /** The query as sent, undecoded, so parameters are read exactly as loombench reads them. */
    private static String rawQuery(ServerRequest request) {
        return request.prologue().hasQuery() ? request.query().rawValue() : null;
    }

    /** Helidon adds Date and, for a byte[] body, Content-Length; we add Server and Content-Type, as loombench sends. */
    private void send(ServerResponse response, Status status, Header contentType, byte[] body) {
        requests.increment();
        response.status(status).header(SERVER).header(contentType).send(body);
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public long requests() {
        return requests.sum();
    }

    @Override
    public String readyLine() {
        return PeerSupport.readyLine(address, "helidon", Protocol.HTTP, "");
    }

    /** Helidon's stop: closes the listener, lets requests in flight finish within the grace period, then closes connections. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop();
        }
    }

    // ---------------------------------------------------------------- command line

    @Command(name = "helidon-server", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
            version = "loombench helidon peer 0.1.0 (Helidon SE 4.5)",
            description = {
                    "Reference server: Helidon SE 4 webserver (a virtual thread per request), HTTP (/plaintext, /json, /delay?ms=N, /cpu?work=N).",
                    "Prints 'listening on tcp://<host>:<port> model=helidon protocol=http' when ready; SIGTERM or Ctrl-C shuts down gracefully.",
                    ""
            })
    static final class Main implements Callable<Integer> {
        @Mixin
        PeerSupport.Options options;

        @Override
        public Integer call() throws InterruptedException {
            if (options.protocol != Protocol.HTTP) {
                throw new IllegalArgumentException("helidon serves --protocol http only");
            }
            quietLogging();
            return PeerSupport.serve("helidon-server", options, () -> start(options.host, options.port, options.backlog));
        }
    }

    /** Held here because java.util.logging holds loggers weakly, and a collected logger forgets its level. */
    private static final Logger HELIDON_LOG = Logger.getLogger("io.helidon");

    /**
     * Helidon logs through java.util.logging, whose console handler writes to stderr: its feature
     * list, the bound socket, the start time. The launcher reads stdout, which stays ours (the
     * ready and stopped lines); stderr keeps Helidon's warnings and errors only, unless the user
     * configured logging (java.util.logging.config.file or .class), which is then left alone.
     */
    static void quietLogging() {
        if (System.getProperty("java.util.logging.config.file") == null && System.getProperty("java.util.logging.config.class") == null) {
            HELIDON_LOG.setLevel(Level.WARNING);
        }
    }

    public static void main(String[] args) {
        int code = Cli.run(new Main(), args);
        if (code != Cli.OK) {
            System.exit(code);
        }
    }
}

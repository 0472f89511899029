package io.loombench.server;

import io.loombench.common.DurationConverter;
import io.loombench.common.Protocol;
import io.loombench.common.Transport;
import io.loombench.server.http.HttpLimits;
import io.loombench.server.udp.DatagramReceiver;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything that configures a server. All models read the same fields, so a comparison changes
 * only {@link #modelOptions()}, which holds what only the chosen model reads. Build one with
 * {@link #builder()}; every field has a documented default.
 *
 * @param transport      TCP or UDP (default TCP)
 * @param modelOptions   the concurrency model and its own settings (default {@link ModelOptions.Virtual})
 * @param protocol       ECHO or HTTP (default HTTP; UDP serves only ECHO)
 * @param host           address to bind (default 127.0.0.1)
 * @param port           port to bind, 0 for any free one (default 8080)
 * @param maxConnections connections open at once; beyond it new ones are closed at once and
 *                       counted as rejected. For UDP, datagrams in flight (default
 *                       {@link #DEFAULT_MAX_CONNECTIONS}: what this process's open-file limit allows)
 * @param idleTimeout    a connection with no request in progress closes after this (default 30 s)
 * @param readTimeout    HTTP's header deadline: a request's line and header fields must arrive
 *                       within this from its first byte, else 408 and close (default 10 s)
 * @param bodyTimeout    HTTP's body inactivity timeout: a request body stalled this long (no byte
 *                       arrived) gets 408 and close (default 10 s, as the header deadline; nginx
 *                       too gives both the same, 60 s)
 * @param writeTimeout   a write that makes no progress for this long closes the connection: the
 *                       client has stopped reading its answers (default 30 s, the idle timeout's
 *                       default: a client that takes no output for that long is as gone as one that
 *                       sends nothing, and a loaded load generator pausing for a GC or for CPU is
 *                       never cut)
 * @param think          simulated downstream wait per echo read or datagram (default 0)
 * @param httpLimits     request line, header and body limits (default 8 KiB, 16 KiB, 1 MiB)
 * @param maxDatagram    UDP: the largest datagram payload served, in bytes; a larger one is
 *                       counted as truncated and not answered (default
 *                       {@value io.loombench.server.udp.DatagramReceiver#MAX_DATAGRAM_BYTES}, the
 *                       largest over IPv4; at most {@value #MAX_DATAGRAM_LIMIT}, the largest over IPv6)
 * @param bufferSize     bytes of the input and of the output buffer a connection works in
 *                       (default 16 KiB; for HTTP at least the longest request line and its CRLF).
 *                       Whether an idle connection holds them depends on the model: see the README.
 * @param backlog        listen backlog asked of the kernel (default {@link #DEFAULT_MAX_CONNECTIONS},
 *                       so every connection the server takes could arrive at once; Linux caps it
 *                       at {@code net.core.somaxconn}, and {@link Server#listenBacklog()} says what it got)
 * @param shutdownGrace  how long a graceful shutdown lets in-flight requests finish (default 5 s)
 */
public record ServerConfig(Transport transport, ModelOptions modelOptions, Protocol protocol, String host, int port,
                           int maxConnections,
                           Duration idleTimeout, Duration readTimeout, Duration bodyTimeout, Duration writeTimeout,
                           Duration think,
                           HttpLimits httpLimits, int maxDatagram, int bufferSize, int backlog, Duration shutdownGrace) {

    /** The largest UDP payload at all: 65,535 less the UDP header, over IPv6 (IPv4's header takes 20 more). */
    public static final int MAX_DATAGRAM_LIMIT = 65_527;
    /** Smallest buffer: an HTTP response head and an error body must fit in an empty output buffer. */
    public static final int MIN_BUFFER_SIZE = 4096;
    /** Longest timeout; keeps every deadline far from overflowing {@link System#nanoTime()} arithmetic. */
    public static final Duration MAX_TIMEOUT = Duration.ofDays(1);
    /**
     * The default connection limit and backlog: this process's open-file limit less
     * {@value SystemLimits#DESCRIPTOR_MARGIN} descriptors for the JVM and the server's own files
     * (19,500 under a limit of 20,000), or 10,000 where the limit cannot be read.
     */
    public static final int DEFAULT_MAX_CONNECTIONS = SystemLimits.maxConnections();

    public ServerConfig {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(modelOptions, "modelOptions");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(httpLimits, "httpLimits");
        if (!protocol.runsOver(transport)) {
            throw new IllegalArgumentException("UDP serves only the echo protocol");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        requirePositive("max connections", maxConnections);
        requirePositive("backlog", backlog);
        requireTimeout("idle timeout", idleTimeout);
        requireTimeout("read timeout", readTimeout);
        requireTimeout("body timeout", bodyTimeout);
        requireTimeout("write timeout", writeTimeout);
        Objects.requireNonNull(think, "think");
        if (think.isNegative() || think.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("think time must be 0.." + MAX_TIMEOUT.toHours() + "h, was " + DurationConverter.format(think));
        }
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdown grace must not be negative, was " + DurationConverter.format(shutdownGrace));
        }
        if (maxDatagram < 0 || maxDatagram > MAX_DATAGRAM_LIMIT) {
            throw new IllegalArgumentException("max datagram must be 0.." + MAX_DATAGRAM_LIMIT + " bytes, was " + maxDatagram);
        }
        if (bufferSize < MIN_BUFFER_SIZE) {
            throw new IllegalArgumentException("buffer size must be at least " + MIN_BUFFER_SIZE + " bytes, was " + bufferSize);
        }
        if (protocol == Protocol.HTTP && httpLimits.maxRequestLineBytes() + 2 > bufferSize) {
            throw new IllegalArgumentException("buffer size (" + bufferSize + ") must hold the longest request line ("
                    + httpLimits.maxRequestLineBytes() + ") and its CRLF");
        }
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    private static void requireTimeout(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero() || value.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException(name + " must be above 0 and at most " + MAX_TIMEOUT.toHours() + "h, was " + DurationConverter.format(value));
        }
    }

    /** The concurrency model, without its settings. */
    public Model model() {
        return modelOptions.model();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from the defaults; {@link #toBuilder()} starts from an existing config. */
    public Builder toBuilder() {
        return new Builder().transport(transport).modelOptions(modelOptions).protocol(protocol).host(host).port(port)
                .maxConnections(maxConnections)
                .idleTimeout(idleTimeout).readTimeout(readTimeout).bodyTimeout(bodyTimeout).writeTimeout(writeTimeout)
                .think(think).httpLimits(httpLimits).maxDatagram(maxDatagram).bufferSize(bufferSize).backlog(backlog).shutdownGrace(shutdownGrace);
    }

    /**
     * Mutable, fluent; {@link #build()} validates. The settings of every model can be given, whichever
     * model is chosen ({@link #poolThreads}, {@link #eventLoops}); the chosen model's are kept, and
     * all of them must be valid.
     */
    public static final class Builder {
        private Transport transport = Transport.TCP;
        private Model model = Model.VIRTUAL;
        private Protocol protocol = Protocol.HTTP;
        private String host = "127.0.0.1";
        private int port = 8080;
        private int poolThreads = ModelOptions.Pool.DEFAULT_THREADS;
        private int eventLoops = Runtime.getRuntime().availableProcessors();
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private Duration idleTimeout = Duration.ofSeconds(30);
        private Duration readTimeout = Duration.ofSeconds(10);
        private Duration bodyTimeout = Duration.ofSeconds(10);
        private Duration writeTimeout = Duration.ofSeconds(30);
        private Duration think = Duration.ZERO;
        private HttpLimits httpLimits = HttpLimits.DEFAULTS;
        private int maxDatagram = DatagramReceiver.MAX_DATAGRAM_BYTES;
        private int bufferSize = 16 * 1024;
        private int backlog = DEFAULT_MAX_CONNECTIONS;
        private Duration shutdownGrace = Duration.ofSeconds(5);

        private Builder() {
        }

        public Builder transport(Transport value) { transport = value; return this; }
        public Builder model(Model value) { model = value; return this; }
        public Builder protocol(Protocol value) { protocol = value; return this; }
        public Builder host(String value) { host = value; return this; }
        public Builder port(int value) { port = value; return this; }
        /** Platform threads of the POOL model ({@link ModelOptions.Pool#threads()}). */
        public Builder poolThreads(int value) { poolThreads = value; return this; }
        /** Selector loops of the NIO model ({@link ModelOptions.Nio#loops()}). */
        public Builder eventLoops(int value) { eventLoops = value; return this; }

        /** The model and its settings in one: the same as {@link #model} and that model's setters. */
        public Builder modelOptions(ModelOptions value) {
            model = value.model();
            switch (value) {
                case ModelOptions.Virtual virtual -> { }
                case ModelOptions.Pool pool -> poolThreads = pool.threads();
                case ModelOptions.Nio nio -> eventLoops = nio.loops();
            }
            return this;
        }
        public Builder maxConnections(int value) { maxConnections = value; return this; }
        public Builder idleTimeout(Duration value) { idleTimeout = value; return this; }
        public Builder readTimeout(Duration value) { readTimeout = value; return this; }
        public Builder bodyTimeout(Duration value) { bodyTimeout = value; return this; }
        public Builder writeTimeout(Duration value) { writeTimeout = value; return this; }
        public Builder think(Duration value) { think = value; return this; }
        public Builder httpLimits(HttpLimits value) { httpLimits = value; return this; }
        public Builder maxDatagram(int value) { maxDatagram = value; return this; }
        public Builder bufferSize(int value) { bufferSize = value; return this; }
        public Builder backlog(int value) { backlog = value; return this; }
        public Builder shutdownGrace(Duration value) { shutdownGrace = value; return this; }

        public ServerConfig build() {
            Objects.requireNonNull(model, "model");
            // Both are made, so a bad value fails whichever model is chosen.
            ModelOptions.Pool pool = new ModelOptions.Pool(poolThreads);
            ModelOptions.Nio nio = new ModelOptions.Nio(eventLoops);
            ModelOptions options = switch (model) {
                case VIRTUAL -> new ModelOptions.Virtual();
                case POOL -> pool;
                case NIO -> nio;
            };
            return new ServerConfig(transport, options, protocol, host, port, maxConnections,
                    idleTimeout, readTimeout, bodyTimeout, writeTimeout, think, httpLimits, maxDatagram, bufferSize, backlog,
                    shutdownGrace);
        }
    }
}

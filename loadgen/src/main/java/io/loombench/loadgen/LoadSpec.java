package io.loombench.loadgen;

import io.loombench.common.DurationConverter;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One load run, fully described. Build with {@link #builder(LoadProtocol, InetSocketAddress)}.
 *
 * <p>Timeline: connections open first (their first attempts spread over {@code rampUp}, all at a
 * pace that adapts to what the target accepts and never exceeds {@code connectRate} per second),
 * each starting to send as soon as it is open; once every connection has opened, {@code warmup}
 * follows, whose results are discarded; then {@code duration}, which is measured. After it no new
 * request is sent, and outstanding ones get up to {@code timeout} to complete.
 *
 * @param protocol       what to speak
 * @param target         where to send; must be loopback unless {@code allowNonLoopback}
 * @param http           the request, for {@link LoadProtocol#HTTP}; null otherwise
 * @param connections    concurrent connections (UDP: sockets), in the whole run
 * @param threads        this process's worker threads, each owning an equal share of its connections
 * @param rate           requests per second in total, spread evenly over the connections
 *                       (the open model); 0 for the closed model, where each connection sends its
 *                       next request as soon as the previous answer arrives; at most {@link #MAX_RATE}
 * @param arrivals       spacing of intended send times in the open model
 * @param seed           seed for Poisson arrivals and payload bytes, so a run can be repeated
 * @param duration       the measured period
 * @param warmup         a period before it whose results are discarded
 * @param rampUp         the period over which connections make their first attempts; zero for all at once, at the connect pace
 * @param maxRequests    stop after this many measured requests have been sent, in the whole run; 0 for no bound
 * @param payloadBytes   TCP and UDP payload per request (UDP: at least 8, for the sequence number)
 * @param pipeline       requests outstanding per connection at most (HTTP pipelining depth, or
 *                       echo messages or datagrams in flight)
 * @param timeout        a request unanswered this long fails as a timeout (TCP: the connection is
 *                       closed and opened again; UDP: the datagram counts as lost)
 * @param connectTimeout the most time one connection attempt is given (stalled attempts are retried sooner)
 * @param connectRate    connection attempts per second at most, retries included
 * @param bindAddresses  local addresses to bind, used round-robin (several give more ephemeral ports); empty for any
 * @param failFast       stop the run at the first error
 * @param allowNonLoopback permit a target outside 127.0.0.0/8 and ::1
 * @param shard          the part of the run this process makes: {@code connections}, {@code rate} and
 *                       {@code maxRequests} are the whole run's, and {@link #localConnections()},
 *                       {@link #localRate()} and {@link #localMaxRequests()} this shard's share of them
 * @param start          when the warm-up begins: once the connections are open, or at a fixed instant
 */
public record LoadSpec(LoadProtocol protocol, InetSocketAddress target, HttpRequestSpec http,
                       int connections, int threads, double rate, Arrivals arrivals, long seed,
                       Duration duration, Duration warmup, Duration rampUp, long maxRequests,
                       int payloadBytes, int pipeline, Duration timeout, Duration connectTimeout,
                       int connectRate, List<InetAddress> bindAddresses, boolean failFast,
                       boolean allowNonLoopback, Shard shard, Start start) {

    /** The largest UDP payload over IPv4. */
    public static final int MAX_DATAGRAM_BYTES = 65_507;

    /**
     * The highest rate accepted, requests per second: a hundred times what one machine's loopback
     * answers, so it limits only mistakes (a rate of 1e10 would ask for a send every 0.1 ns).
     */
    public static final double MAX_RATE = 100_000_000;
    /** UDP payloads start with an 8-byte sequence number. */
    public static final int MIN_DATAGRAM_BYTES = 8;
    /** Histograms track up to this, so no run or stall can overflow them. */
    public static final Duration MAX_DURATION = Duration.ofHours(1);

    public LoadSpec {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(arrivals, "arrivals");
        Objects.requireNonNull(shard, "shard");
        Objects.requireNonNull(start, "start");
        bindAddresses = List.copyOf(bindAddresses);
        if (target.isUnresolved()) {
            throw new IllegalArgumentException("cannot resolve host " + target.getHostString());
        }
        if (!allowNonLoopback && !target.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("target " + target.getAddress().getHostAddress()
                    + " is not a loopback address; pass --allow-non-loopback to load a remote host");
        }
        if ((protocol == LoadProtocol.HTTP) != (http != null)) {
            throw new IllegalArgumentException("an HTTP request is needed for HTTP, and only for HTTP");
        }
        requirePositive("connections", connections);
        requirePositive("threads", threads);
        requirePositive("pipeline", pipeline);
        requirePositive("connect rate", connectRate);
        if (!(rate >= 0) || rate > MAX_RATE) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "rate must be 0 (closed model) or a positive number of requests per second up to %,.0f, was %s", MAX_RATE, rate));
        }
        requirePeriod("duration", duration, false);
        requirePeriod("warm-up", warmup, true);
        requirePeriod("ramp-up", rampUp, true);
        requirePeriod("timeout", timeout, false);
        requirePeriod("connect timeout", connectTimeout, false);
        if (maxRequests < 0) {
            throw new IllegalArgumentException("request count must not be negative, was " + maxRequests);
        }
        if (shard.connections(connections) == 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "shard %s of a run of %,d connections would have none: split it into at most %,d shards", shard, connections, connections));
        }
        if (maxRequests > 0 && shard.share(maxRequests) == 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "shard %s of a run of %,d requests would have none: split it into at most %,d shards", shard, maxRequests, maxRequests));
        }
        if (protocol == LoadProtocol.UDP_ECHO && (payloadBytes < MIN_DATAGRAM_BYTES || payloadBytes > MAX_DATAGRAM_BYTES)) {
            throw new IllegalArgumentException("UDP payload must be " + MIN_DATAGRAM_BYTES + ".." + MAX_DATAGRAM_BYTES + " bytes, was " + payloadBytes);
        }
        if (protocol == LoadProtocol.TCP_ECHO && payloadBytes < 1) {
            throw new IllegalArgumentException("TCP payload must be at least 1 byte, was " + payloadBytes);
        }
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    private static void requirePeriod(String name, Duration value, boolean zeroAllowed) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || (!zeroAllowed && value.isZero()) || value.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException(name + " must be " + (zeroAllowed ? "0" : "above 0") + " and at most 1h, was " + DurationConverter.format(value));
        }
    }

    /** This process's connections: its shard's share of {@code connections}. */
    public int localConnections() {
        return shard.connections(connections);
    }

    /** This process's rate, requests per second: its connections' part of {@code rate}; 0 in the closed model. */
    public double localRate() {
        return shard.whole() ? rate : rate * localConnections() / connections;
    }

    /** This process's bound on measured requests: its shard's share of {@code maxRequests}; 0 for no bound. */
    public long localMaxRequests() {
        return shard.share(maxRequests);
    }

    /** True when each connection sends as soon as its previous answer arrives. */
    public boolean closedModel() {
        return rate == 0;
    }

    public static Builder builder(LoadProtocol protocol, InetSocketAddress target) {
        return new Builder(protocol, target);
    }

    /** A builder holding this spec's every value, to change a few: {@code spec.toBuilder().rate(2000).build()}. */
    public Builder toBuilder() {
        return new Builder(protocol, target).http(http).connections(connections).threads(threads).rate(rate)
                .arrivals(arrivals).seed(seed).duration(duration).warmup(warmup).rampUp(rampUp)
                .maxRequests(maxRequests).payloadBytes(payloadBytes).pipeline(pipeline).timeout(timeout)
                .connectTimeout(connectTimeout).connectRate(connectRate).bindAddresses(bindAddresses)
                .failFast(failFast).allowNonLoopback(allowNonLoopback).shard(shard).start(start);
    }

    /**
     * Defaults: 10 connections, one thread per processor, closed model, 10 s, no warm-up, 64-byte
     * payload, pipeline 1, 2 s timeout, the whole run in this process, starting once open.
     */
    public static final class Builder {
        private final LoadProtocol protocol;
        private final InetSocketAddress target;
        private HttpRequestSpec http;
        private int connections = 10;
        private int threads = Runtime.getRuntime().availableProcessors();
        private double rate;
        private Arrivals arrivals = Arrivals.UNIFORM;
        private long seed = 42;
        private Duration duration = Duration.ofSeconds(10);
        private Duration warmup = Duration.ZERO;
        private Duration rampUp = Duration.ZERO;
        private long maxRequests;
        private int payloadBytes = 64;
        private int pipeline = 1;
        private Duration timeout = Duration.ofSeconds(2);
        private Duration connectTimeout = Duration.ofSeconds(2);
        private int connectRate = 10_000;
        private List<InetAddress> bindAddresses = List.of();
        private boolean failFast;
        private boolean allowNonLoopback;
        private Shard shard = Shard.WHOLE;
        private Start start = Start.WHEN_OPEN;

        private Builder(LoadProtocol protocol, InetSocketAddress target) {
            this.protocol = protocol;
            this.target = target;
        }

        public Builder http(HttpRequestSpec value) { http = value; return this; }
        public Builder connections(int value) { connections = value; return this; }
        public Builder threads(int value) { threads = value; return this; }
        public Builder rate(double value) { rate = value; return this; }
        public Builder arrivals(Arrivals value) { arrivals = value; return this; }
        public Builder seed(long value) { seed = value; return this; }
        public Builder duration(Duration value) { duration = value; return this; }
        public Builder warmup(Duration value) { warmup = value; return this; }
        public Builder rampUp(Duration value) { rampUp = value; return this; }
        public Builder maxRequests(long value) { maxRequests = value; return this; }
        public Builder payloadBytes(int value) { payloadBytes = value; return this; }
        public Builder pipeline(int value) { pipeline = value; return this; }
        public Builder timeout(Duration value) { timeout = value; return this; }
        public Builder connectTimeout(Duration value) { connectTimeout = value; return this; }
        public Builder connectRate(int value) { connectRate = value; return this; }
        public Builder bindAddresses(List<InetAddress> value) { bindAddresses = value; return this; }
        public Builder failFast(boolean value) { failFast = value; return this; }
        public Builder allowNonLoopback(boolean value) { allowNonLoopback = value; return this; }
        public Builder shard(Shard value) { shard = value; return this; }
        public Builder start(Start value) { start = value; return this; }

        public LoadSpec build() {
            return new LoadSpec(protocol, target, http, connections, threads, rate, arrivals, seed, duration, warmup,
                    rampUp, maxRequests, payloadBytes, pipeline, timeout, connectTimeout, connectRate, bindAddresses,
                    failFast, allowNonLoopback, shard, start);
        }
    }
}

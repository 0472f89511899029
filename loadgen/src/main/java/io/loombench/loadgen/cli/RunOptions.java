package io.loombench.loadgen.cli;

import io.loombench.common.Cli;
import io.loombench.common.DurationConverter;
import io.loombench.loadgen.Arrivals;
import io.loombench.loadgen.CapacitySearch;
import io.loombench.loadgen.LoadSpec;
import io.loombench.loadgen.Shard;
import io.loombench.loadgen.Slo;
import io.loombench.loadgen.Start;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** The options every protocol shares: the load's shape, its bounds, and where results go. */
final class RunOptions {
    @Option(names = {"-c", "--connections"}, defaultValue = "10", description = "Concurrent connections (UDP: sockets). Default: ${DEFAULT-VALUE}.")
    int connections;

    @Option(names = {"-t", "--threads"}, description = "Worker threads, each owning an equal share of the connections, as in wrk. Default: available processors (${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = {"-d", "--duration"}, defaultValue = "10s", converter = DurationConverter.class,
            description = "Measured period: 500ms, 30s, 2m; a bare number is seconds. Default: ${DEFAULT-VALUE}.")
    Duration duration;

    @Option(names = {"-R", "--rate"}, defaultValue = "0",
            description = "Open model: total requests per second, spread evenly over the connections; latency counts from each request's intended send time. 0 (the default) runs the closed model.")
    double rate;

    @Option(names = "--closed", description = "Closed model, flat out: each connection sends as soon as its previous answer arrives (same as --rate 0).")
    boolean closed;

    @Option(names = "--warmup", defaultValue = "2s", converter = DurationConverter.class,
            description = "Load applied before the measured period and discarded, so neither the server's nor the generator's JIT warm-up is measured; 0 to measure from the first request. Default: ${DEFAULT-VALUE}.")
    Duration warmup;

    @Option(names = "--ramp-up", defaultValue = "0s", converter = DurationConverter.class,
            description = "Let the connections start opening evenly over this period (each sends once open); warm-up starts once all are open. Default: as fast as the connect pace allows.")
    Duration rampUp;

    @Option(names = {"-n", "--requests"}, defaultValue = "0",
            description = "Stop after this many measured requests, or at the end of --duration, whichever comes first. Default: no bound.")
    long requests;

    @Option(names = "--pipeline", defaultValue = "1",
            description = "Requests in flight per connection (HTTP pipelining, echo messages, datagrams). Latency is recorded per request. Default: ${DEFAULT-VALUE}.")
    int pipeline;

    @Option(names = "--timeout", defaultValue = "2s", converter = DurationConverter.class,
            description = "A request unanswered this long fails (TCP: the connection reopens; UDP: the datagram is lost). Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Option(names = "--connect-timeout", defaultValue = "2s", converter = DurationConverter.class,
            description = "The most time one connection attempt is given (an attempt that stalls, its SYN probably dropped by a full listen queue, is made again sooner, each time given twice as long, up to this; one given all of it in vain counts as connect_timeout), and the reachability check's. Default: ${DEFAULT-VALUE}.")
    Duration connectTimeout;

    @Option(names = "--connect-rate", defaultValue = "10000",
            description = "The fastest pace of connection attempts, per second, retries included. The pace starts at 1,000/s (or this, if lower), doubles while connections are served and halves when attempts fail. Default: ${DEFAULT-VALUE}.")
    int connectRate;

    @Option(names = "--bind", split = ",", paramLabel = "ADDR",
            description = "Local addresses to connect from, round-robin (e.g. 127.0.0.2,127.0.0.3): each adds its own ~28,000 ephemeral ports. Each socket then takes its port when it binds, so ports that closed connections hold in TIME_WAIT are not reused; without --bind, connect() may reuse them.")
    List<String> bind = new ArrayList<>();

    @Option(names = "--arrivals", defaultValue = "uniform", paramLabel = "uniform|poisson",
            description = "Open model: evenly spaced sends, or a Poisson process with the same mean. Default: ${DEFAULT-VALUE}.")
    Arrivals arrivals;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for Poisson arrivals and payload bytes. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--shard", paramLabel = "I/N", converter = ShardConverter.class,
            description = "Run shard I of N (0 <= I < N) of this spec, for a run spread over N generators: the connections whose number is I modulo N,"
                    + " with their share of -R and -n (-c, -R and -n stay the whole run's), so that the N shards together make exactly the load"
                    + " one process would. Merge their --json files with 'loadgen merge'. Default: 0/1, the whole run.")
    Shard shard = Shard.WHOLE;

    @Option(names = "--start-at", paramLabel = "INSTANT", converter = InstantConverter.class,
            description = "Begin the warm-up at this UTC instant (2026-12-01T18:30:00Z; date -u -d '+1 min' +%%FT%%TZ gives one), so the shards"
                    + " of a run measure the same period: connections open shortly before it, and one still unopened "
                    + Start.LATE_TOLERANCE_MILLIS + " ms after it marks the run late. Default: as soon as every connection is open.")
    Instant startAt;

    @Option(names = "--strict", description = "Exit 1 on any WARNING the summary prints: send lag p99 over 1 ms, rate under 99%% of --rate, fewer connections open than asked,"
            + " CPU steal over 5%%, a late --start-at, a run stopped early, or no local ports or files left.")
    boolean strict;

    @Option(names = "--fail-fast", description = "Stop the run at its first error.")
    boolean failFast;

    @Option(names = {"-q", "--quiet"}, description = "No progress line on stderr (it is off anyway when stderr is not a terminal).")
    boolean quiet;

    @Mixin
    OutputFiles outputs = new OutputFiles();

    @Option(names = "--allow-non-loopback", description = "Permit a target outside 127.0.0.0/8 and ::1. Load only hosts you own.")
    boolean allowNonLoopback;

    @Option(names = "--find-capacity", paramLabel = "SLO", converter = SloConverter.class,
            description = {"Search for the highest rate that meets SLO (p99<=10ms, p99.9<=500us, max<=1s): one run of --warmup + --duration per step"
                    + " (-d 5s is enough), doubling or halving from -R (without -R, from half of what a closed-model run of -d managed),"
                    + " then bisecting until the rates met and missed are within --capacity-precision. A step meets the SLO when the"
                    + " response time at that percentile is within the bound, no request failed and at least 99%% of the rate was achieved;"
                    + " a miss while loadgen's send lag p99 was over 1 ms is flagged as possibly loadgen's own. Prints a line per step and"
                    + " the answer. Exit code 1 when no rate met the SLO; with --strict also when the answer is only a bound."})
    Slo findCapacity;

    @Option(names = "--capacity-precision", paramLabel = "FRACTION",
            description = "With --find-capacity: stop once the lowest rate missed is within this fraction above the highest rate met. Default: 0.05 (5%%).")
    Double capacityPrecision;

    @Option(names = "--capacity-steps", paramLabel = "N",
            description = "With --find-capacity: the most steps (runs) to make, probe aside, 1.." + CapacitySearch.MAX_STEPS + ". Default: " + CapacitySearch.DEFAULT_MAX_STEPS + ".")
    Integer capacitySteps;

    @Option(names = "--capacity-retries", paramLabel = "N",
            description = "With --find-capacity: how many more times a rate is tried when it missed while loadgen's send lag p99 was"
                    + " over 1 ms (a miss that may be loadgen's own) before it counts as missed; it meets if any try meets. A miss on time"
                    + " is the target's and counts at once. 0.." + CapacitySearch.MAX_RETRIES + ". Default: "
                    + CapacitySearch.DEFAULT_RETRIES + ".")
    Integer capacityRetries;

    /** Applies these options to a spec under construction. */
    LoadSpec.Builder applyTo(LoadSpec.Builder builder) {
        if (closed && rate != 0) {
            throw new IllegalArgumentException("--closed and --rate " + rate + " contradict each other");
        }
        if (rate < 0 || Double.isNaN(rate)) {
            throw new IllegalArgumentException("--rate must be positive requests per second (or 0 for the closed model), was " + rate);
        }
        checkCapacityOptions();
        return builder.shard(shard).start(startAt == null ? Start.WHEN_OPEN : new Start.At(startAt)).connections(connections).threads(threads).duration(duration).rate(rate).warmup(warmup)
                .rampUp(rampUp).maxRequests(requests).pipeline(pipeline).timeout(timeout).connectTimeout(connectTimeout)
                .connectRate(connectRate).bindAddresses(bindAddresses()).arrivals(arrivals).seed(seed)
                .failFast(failFast).allowNonLoopback(allowNonLoopback);
    }

    private void checkCapacityOptions() {
        if (findCapacity == null) {
            if (capacityPrecision != null || capacitySteps != null || capacityRetries != null) {
                throw new IllegalArgumentException("--capacity-precision, --capacity-steps and --capacity-retries go with --find-capacity");
            }
            return;
        }
        if (closed) {
            throw new IllegalArgumentException("--find-capacity searches over open-model rates; it cannot run with --closed");
        }
        if (!shard.whole() || startAt != null) {
            throw new IllegalArgumentException("--find-capacity is one process's search; it cannot run with --shard or --start-at");
        }
        if (outputs.hlog != null || outputs.hgrm != null) {
            throw new IllegalArgumentException("--hlog and --hgrm record one run; with --find-capacity, --json records every step");
        }
        if (capacityPrecision != null && !(capacityPrecision > 0 && capacityPrecision <= 1)) {
            throw new IllegalArgumentException("--capacity-precision must be above 0 and at most 1 (0.05 is within 5%), was " + capacityPrecision);
        }
        if (capacitySteps != null && (capacitySteps < 1 || capacitySteps > CapacitySearch.MAX_STEPS)) {
            throw new IllegalArgumentException("--capacity-steps must be 1.." + CapacitySearch.MAX_STEPS + ", was " + capacitySteps);
        }
        if (capacityRetries != null && (capacityRetries < 0 || capacityRetries > CapacitySearch.MAX_RETRIES)) {
            throw new IllegalArgumentException("--capacity-retries must be 0.." + CapacitySearch.MAX_RETRIES + ", was " + capacityRetries);
        }
        if (rate > 0 && rate < CapacitySearch.DEFAULT_MIN_RATE) {
            throw new IllegalArgumentException("with --find-capacity, --rate (the first step's) must be at least "
                    + (int) CapacitySearch.DEFAULT_MIN_RATE + " request per second, was " + rate);
        }
    }

    double capacityPrecision() {
        return capacityPrecision == null ? CapacitySearch.DEFAULT_PRECISION : capacityPrecision;
    }

    int capacitySteps() {
        return capacitySteps == null ? CapacitySearch.DEFAULT_MAX_STEPS : capacitySteps;
    }

    int capacityRetries() {
        return capacityRetries == null ? CapacitySearch.DEFAULT_RETRIES : capacityRetries;
    }

    /** Reads {@code --shard I/N}, with {@link Shard#parse}'s message when it is not one. */
    static final class ShardConverter implements CommandLine.ITypeConverter<Shard> {
        @Override
        public Shard convert(String value) {
            try {
                return Shard.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** Reads {@code --start-at}: an ISO-8601 instant in UTC. */
    static final class InstantConverter implements CommandLine.ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return Instant.parse(value.strip());
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a UTC instant such as 2026-12-01T18:30:00Z");
            }
        }
    }

    /** Reads {@code --find-capacity}'s SLO, with {@link Slo#parse}'s message when it is not one. */
    static final class SloConverter implements CommandLine.ITypeConverter<Slo> {
        @Override
        public Slo convert(String value) {
            try {
                return Slo.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    private List<InetAddress> bindAddresses() {
        List<InetAddress> addresses = new ArrayList<>();
        for (String address : bind) {
            InetAddress local;
            try {
                local = InetAddress.getByName(address.strip());
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("--bind: unknown address " + address);
            }
            // Binding a throwaway socket is the test the connections would fail one by one.
            try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(local, 0))) {
                addresses.add(local);
            } catch (IOException e) {
                throw new IllegalArgumentException("--bind: cannot bind to " + address + ": " + Cli.describe(e));
            }
        }
        return addresses;
    }
}

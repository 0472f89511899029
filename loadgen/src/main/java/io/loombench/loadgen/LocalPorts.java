package io.loombench.loadgen;

import io.loombench.common.Transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The ephemeral ports Linux gives a socket that connects without binding a port of its own
 * ({@code net.ipv4.ip_local_port_range}), and what they mean for opening many connections from
 * one local address to one target.
 *
 * <p>Why the half matters: to pick a port, Linux's {@code connect()} starts at an offset it keeps
 * per destination and tries every other port (it prefers even ones, leaving odd ones to
 * {@code bind()}), checking each against the connections already established. While half the
 * range is free that takes a few tries; past it, every connect checks the whole preferred half
 * first. Measured on a 2-core machine (Linux 6.18, ports 32768-60999): opening 19,000
 * connections to one loopback server, a {@code perf record} of the generator put 46% of its CPU
 * in that search ({@code __inet_hash_connect}, {@code __inet_check_established}), and the
 * opening took 12.4 s; with {@code --bind 127.0.0.2,127.0.0.3}, 3.6 s.
 *
 * @param low  the lowest port of the range
 * @param high the highest, inclusive
 */
public record LocalPorts(int low, int high) {
    private static final Path RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    /**
     * The range this machine uses, where Linux tells. Read a line at a time: a sysctl file answers
     * only a read from its start, and {@link Files#readString} of a file whose size reads 0, as
     * every {@code /proc} file's does, reads its first byte alone before asking for the rest.
     */
    public static Optional<LocalPorts> read() {
        try {
            String[] bounds = Files.readAllLines(RANGE).getFirst().strip().split("\\s+");
            return Optional.of(new LocalPorts(Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Ports per local address. */
    public int count() {
        return high - low + 1;
    }

    /** The range in words: {@code ports 32768-60999, 28,232 per address: net.ipv4.ip_local_port_range}. */
    public String describe() {
        return String.format(Locale.ROOT, "ports %d-%d, %,d per address: net.ipv4.ip_local_port_range", low, high, count());
    }

    /**
     * For a run that opens more TCP connections from one local address than half its ports: that
     * the opening will be slow, and how to spread them. The measurement is not affected (it starts
     * once every connection is open), so this is a note, not a warning.
     */
    public Optional<String> openingNote(LoadSpec spec) {
        if (spec.protocol().transport() == Transport.UDP) {
            return Optional.empty();
        }
        int addresses = Math.max(1, spec.bindAddresses().size());
        int perAddress = (spec.localConnections() + addresses - 1) / addresses;
        if (perAddress <= count() / 2) {
            return Optional.empty();
        }
        String from = addresses == 1 ? "one local address" : "each of " + addresses + " local addresses";
        String spread = spec.target().getAddress().isLoopbackAddress()
                ? (spec.bindAddresses().isEmpty() ? "--bind 127.0.0.2,127.0.0.3" : "more 127.x.y.z addresses in --bind")
                : "--bind with more of this machine's addresses";
        return Optional.of(String.format(Locale.ROOT, "%,d connections from %s is more than half its ephemeral ports (%s):"
                + " past half, each connect() searches the rest for a free port, so opening them will be slow; %s spreads them",
                perAddress, from, describe(), spread));
    }
}

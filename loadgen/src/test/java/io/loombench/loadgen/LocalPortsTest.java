package io.loombench.loadgen;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The note for an opening past half of a local address's ephemeral ports, with Linux's default
 * range of 32768-60999: 28,232 ports, so more than 14,116 connections from one address.
 */
class LocalPortsTest {
    private static final LocalPorts LINUX_DEFAULT = new LocalPorts(32768, 60999);
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 9);

    private static LoadSpec.Builder tcp(int connections) {
        return LoadSpec.builder(LoadProtocol.TCP_ECHO, LOOPBACK).connections(connections);
    }

    /** A sysctl file answers only a read from its start; read whole, this machine's range parses. */
    @Test
    void readsThisMachinesRange() {
        assumeTrue(Files.isReadable(Path.of("/proc/sys/net/ipv4/ip_local_port_range")), "Linux only");

        assertThat(LocalPorts.read()).hasValueSatisfying(ports -> {
            assertThat(ports.low()).isBetween(1, 65_535);
            assertThat(ports.high()).isBetween(ports.low(), 65_535);
        });
    }

    @Test
    void describesTheRange() {
        assertThat(LINUX_DEFAULT.count()).isEqualTo(28_232);
        assertThat(LINUX_DEFAULT.describe()).isEqualTo("ports 32768-60999, 28,232 per address: net.ipv4.ip_local_port_range");
    }

    @Test
    void halfTheRangeFromOneAddressGetsNoNoteAndOneMoreDoes() {
        assertThat(LINUX_DEFAULT.openingNote(tcp(14_116).build())).isEmpty();
        assertThat(LINUX_DEFAULT.openingNote(tcp(19_000).build())).hasValue("19,000 connections from one local address is more"
                + " than half its ephemeral ports (ports 32768-60999, 28,232 per address: net.ipv4.ip_local_port_range): past half,"
                + " each connect() searches the rest for a free port, so opening them will be slow; --bind 127.0.0.2,127.0.0.3"
                + " spreads them");
    }

    @Test
    void boundAddressesShareTheConnections() throws Exception {
        List<InetAddress> two = List.of(InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.3"));
        assertThat(LINUX_DEFAULT.openingNote(tcp(19_000).bindAddresses(two).build())).as("9,500 each").isEmpty();
        assertThat(LINUX_DEFAULT.openingNote(tcp(30_000).bindAddresses(two).build()))
                .hasValueSatisfying(note -> assertThat(note).startsWith("15,000 connections from each of 2 local addresses")
                        .endsWith("; more 127.x.y.z addresses in --bind spreads them"));
    }

    @Test
    void aRemoteTargetIsToldToBindThisMachinesAddressesAndUdpGetsNoNote() {
        LoadSpec remote = LoadSpec.builder(LoadProtocol.TCP_ECHO, new InetSocketAddress("198.18.0.2", 9)).allowNonLoopback(true)
                .connections(19_000).build();
        assertThat(LINUX_DEFAULT.openingNote(remote)).hasValueSatisfying(note ->
                assertThat(note).endsWith("; --bind with more of this machine's addresses spreads them"));
        assertThat(LINUX_DEFAULT.openingNote(LoadSpec.builder(LoadProtocol.UDP_ECHO, LOOPBACK).connections(19_000).build())).isEmpty();
    }
}

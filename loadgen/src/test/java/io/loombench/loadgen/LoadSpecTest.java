package io.loombench.loadgen;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A spec rebuilt from itself is itself. */
class LoadSpecTest {

    @Test
    void toBuilderKeepsEveryValue() throws Exception {
        // Every value differs from the builder's default, so a field toBuilder() forgot would show.
        LoadSpec spec = LoadSpec.builder(LoadProtocol.HTTP, new InetSocketAddress("127.0.0.1", 8080))
                .http(new HttpRequestSpec("POST", "/echo", "127.0.0.1:8080", List.of("X-Test: 1"), new byte[] {1, 2}))
                .connections(7).threads(3).rate(1234.5).arrivals(Arrivals.POISSON).seed(9)
                .duration(Duration.ofSeconds(3)).warmup(Duration.ofMillis(400)).rampUp(Duration.ofMillis(300))
                .maxRequests(99).payloadBytes(128).pipeline(4).timeout(Duration.ofMillis(700))
                .connectTimeout(Duration.ofMillis(600)).connectRate(500)
                .bindAddresses(List.of(InetAddress.getByName("127.0.0.2"))).failFast(true).allowNonLoopback(true)
                .shard(new Shard(2, 5)).start(new Start.At(Instant.parse("2026-12-01T18:30:00Z")))
                .build();

        assertThat(spec.toBuilder().build()).isEqualTo(spec);
        assertThat(spec.toBuilder().rate(10).build()).isEqualTo(new LoadSpec(spec.protocol(), spec.target(), spec.http(),
                7, 3, 10, Arrivals.POISSON, 9, spec.duration(), spec.warmup(), spec.rampUp(), 99, 128, 4, spec.timeout(),
                spec.connectTimeout(), 500, spec.bindAddresses(), true, true, new Shard(2, 5), spec.start()));
    }
}

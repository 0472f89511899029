package io.loombench.benchmarks;

import io.loombench.loadgen.LoadProtocol;
import io.loombench.loadgen.LoadSpec;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PointTest {

    @Test
    void idNamesEveryParameter() {
        Point point = Point.of("virtual", "http", "wait", 10_000);
        assertThat(point.id("latency")).isEqualTo("latency-http-wait-c10000-virtual");
    }

    @Test
    void modelsGetTheSameServerArgumentsButTheirModel() {
        Point nio = Point.of("nio", "http", "none", 64);
        Point pool = Point.of("pool", "http", "none", 64);
        assertThat(nio.serverArgs()).contains("--model", "nio", "--protocol", "http", "--port", "0");
        assertThat(pool.serverArgs()).contains("--model", "pool", "--pool-threads", "200");
        assertThat(Point.of("virtual", "tcp", "wait", 64).serverArgs()).contains("--protocol", "echo", "--think-ms", "10");
        assertThat(Point.of("nio", "udp", "none", 64).serverArgs()).contains("--transport", "udp");
        assertThat(Point.of("netty", "http", "none", 64).serverArgs()).doesNotContain("--model");
    }

    @Test
    void loadSpeaksThePointsProtocolAndWorkload() {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", 8080);
        LoadSpec http = Point.of("nio", "http", "cpu", 64).load(address).build();
        assertThat(http.protocol()).isEqualTo(LoadProtocol.HTTP);
        assertThat(new String(http.http().encode())).startsWith("GET /cpu?work=" + Workload.CPU_UNITS + " HTTP/1.1\r\n")
                .contains("Host: 127.0.0.1:8080\r\n");
        LoadSpec udp = Point.of("pool", "udp", "wait", 100).load(address).build();
        assertThat(udp.protocol()).isEqualTo(LoadProtocol.UDP_ECHO);
        assertThat(udp.payloadBytes()).isEqualTo(Point.ECHO_PAYLOAD_BYTES);
        assertThat(udp.connections()).isEqualTo(100);
    }

    @Test
    void combinationsNoServerCanServeAreRejected() {
        assertThatThrownBy(() -> Point.of("nio", "tcp", "cpu", 64)).hasMessageContaining("does not serve");
        assertThatThrownBy(() -> Point.of("helidon", "tcp", "none", 64)).hasMessageContaining("does not serve");
        assertThatThrownBy(() -> Point.of("netty", "tcp", "wait", 64)).hasMessageContaining("does not serve");
        assertThatThrownBy(() -> Point.of("nio", "sctp", "none", 64)).hasMessageContaining("http, tcp or udp");
        assertThatThrownBy(() -> Point.of("nio", "http", "none", 0)).hasMessageContaining("positive");
        assertThatThrownBy(() -> Point.of("tomcat", "http", "none", 1)).isInstanceOf(IllegalArgumentException.class);
    }
}

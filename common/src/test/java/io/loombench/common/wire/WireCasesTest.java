package io.loombench.common.wire;

import io.loombench.common.wire.WireCase.ClientVerdict;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The wire table format: what a case becomes on each side, the escapes, and clear errors for a malformed table. */
class WireCasesTest {

    @Test
    void aFramingCaseBecomesARequestAndAResponse() {
        List<WireCase> cases = WireCases.parse("t", """
                # comment
                == two lines
                rule     a rule
                fields   A: 1\\r\\n
                fields   B:\\x20\\t2\\r\\n
                body     x\\\\y
                server   200 keep-alive
                echo     x\\\\y
                client   ok close
                """);
        assertThat(cases).singleElement().satisfies(wire -> {
            assertThat(wire.name()).isEqualTo("two lines");
            assertThat(wire.where()).isEqualTo("t:2");
            assertThat(text(wire.request())).isEqualTo("POST /echo HTTP/1.1\\r\\nHost: test\\r\\nA: 1\\r\\nB: \\t2\\r\\n\\r\\nx\\\\y");
            assertThat(text(wire.response())).isEqualTo("HTTP/1.1 200 OK\\r\\nA: 1\\r\\nB: \\t2\\r\\n\\r\\nx\\\\y");
            assertThat(wire.status()).isEqualTo(200);
            assertThat(wire.closes()).isFalse();
            assertThat(text(wire.echo())).isEqualTo("x\\\\y");
            assertThat(wire.client()).isEqualTo(ClientVerdict.OK_CLOSE);
        });
    }

    @Test
    void aRequestCaseHasNoResponse() {
        WireCase wire = WireCases.parse("t", "== r\nrequest \\x16\\x03\nserver 400 close\n").get(0);
        assertThat(wire.request()).containsExactly(0x16, 0x03);
        assertThat(wire.response()).isNull();
        assertThat(wire.client()).isNull();
        assertThat(wire.closes()).isTrue();
    }

    @Test
    void http10ChangesBothStartLines() {
        WireCase wire = WireCases.parse("t", "== v\nversion 1.0\nserver 200 close\nclient ok close\n").get(0);
        assertThat(text(wire.request())).startsWith("POST /echo HTTP/1.0\\r\\n");
        assertThat(text(wire.response())).startsWith("HTTP/1.0 200 OK\\r\\n");
    }

    @Test
    void malformedTablesFailWithTheirLine() {
        assertThatThrownBy(() -> WireCases.parse("t", "== a\nserver 200 keep-alive\nsurver 1\n")).hasMessageStartingWith("t:3: unknown key");
        assertThatThrownBy(() -> WireCases.parse("t", "== a\nfields x\nclient ok\n")).hasMessageContaining("no server verdict");
        assertThatThrownBy(() -> WireCases.parse("t", "== a\nserver 200 open\nclient ok\n")).hasMessageContaining("close|keep-alive");
        assertThatThrownBy(() -> WireCases.parse("t", "== a\nserver 200 close\n")).hasMessageContaining("client verdict");
        assertThatThrownBy(() -> WireCases.parse("t", "== a\nrequest x\nclient ok\nserver 400 close\n"))
                .hasMessageContaining("request case");
        assertThatThrownBy(() -> WireCases.parse("t", "== a\nrequest \\q\nserver 400 close\n")).hasMessageContaining("unknown escape");
        assertThatThrownBy(() -> WireCases.parse("t", "== a\nrequest \\x4\nserver 400 close\n")).hasMessageContaining("two hex digits");
        assertThatThrownBy(() -> WireCases.parse("t", "fields x\n")).hasMessageStartingWith("t:1: a line before the first case");
    }

    @Test
    void theSharedTableLoadsWithDistinctNames() {
        List<WireCase> cases = WireCases.load(WireCases.FRAMING);
        assertThat(cases).hasSizeGreaterThan(50).allSatisfy(wire -> assertThat(wire.client()).isNotNull());
        Set<String> names = new HashSet<>();
        assertThat(cases).allSatisfy(wire -> assertThat(names.add(wire.name())).as("unique: " + wire.name()).isTrue());
    }

    private static String text(byte[] bytes) {
        return WireCase.visible(bytes);
    }
}

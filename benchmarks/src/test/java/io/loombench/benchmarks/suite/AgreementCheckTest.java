package io.loombench.benchmarks.suite;

import io.loombench.benchmarks.suite.AgreementCheck.Row;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How the agreement check judges a tool against the suite. */
class AgreementCheckTest {
    private static final Row SUITE = new Row(64, "loombench suite", 150_000, 0.99, 0.97, "");

    @Test
    void withinTenPercentAgrees() {
        assertThat(AgreementCheck.verdict(new Row(64, "wrk", 140_000, 0.96, 0.93, ""), SUITE)).isEqualTo("agrees");
        assertThat(AgreementCheck.verdict(SUITE, SUITE)).isEqualTo("the reference");
    }

    @Test
    void aSlowerToolAtItsCpuLimitIsExplained() {
        String verdict = AgreementCheck.verdict(new Row(64, "h2load", 120_000, 0.97, 0.86, ""), SUITE);
        assertThat(verdict).startsWith("-20%, explained: h2load used 97% of its CPU").contains("so h2load, not the server, set its number");
    }

    @Test
    void aSlowerSuiteAtItsCpuLimitIsExplainedToo() {
        String verdict = AgreementCheck.verdict(new Row(64, "wrk", 180_000, 0.90, 0.99, ""), SUITE);
        assertThat(verdict).startsWith("+20%, explained: loombench suite used 99% of its CPU");
    }

    @Test
    void aDisagreementWithCpuToSpareIsUnexplained() {
        Row idle = new Row(64, "wrk", 100_000, 0.60, 0.65, "");
        String verdict = AgreementCheck.verdict(idle, SUITE);
        assertThat(verdict).contains("unexplained");
        assertThat(AgreementCheck.explained(List.of(new Row(64, "wrk", 100_000, 0.6, 0.65, verdict)))).isFalse();
        assertThat(AgreementCheck.explained(List.of(new Row(64, "wrk", 140_000, 0.9, 0.9, "agrees")))).isTrue();
    }
}

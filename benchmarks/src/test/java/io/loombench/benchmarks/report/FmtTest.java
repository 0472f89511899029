package io.loombench.benchmarks.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FmtTest {

    @Test
    void latenciesKeepThreeSignificantDigits() {
        assertThat(Fmt.sig3(0.13)).isEqualTo("0.130");
        assertThat(Fmt.sig3(1.3662)).isEqualTo("1.37");
        assertThat(Fmt.sig3(13.66)).isEqualTo("13.7");
        assertThat(Fmt.sig3(136.6)).isEqualTo("137");
        assertThat(Fmt.sig3(1366)).isEqualTo("1,370");
        assertThat(Fmt.sig3(0.000123456)).isEqualTo("0.000123");
        assertThat(Fmt.sig3(0.9996)).isEqualTo("1.00");
        assertThat(Fmt.sig3(0)).isEqualTo("0");
        assertThat(Fmt.sig3(Double.NaN)).isEqualTo("n/a");
    }

    @Test
    void amountsHaveThousandsSeparators() {
        assertThat(Fmt.count(152_912.6)).isEqualTo("152,913");
        assertThat(Fmt.amount(152_912.6)).isEqualTo("152,913");
        assertThat(Fmt.amount(42.64)).isEqualTo("42.6");
        assertThat(Fmt.withError(new Score(14_998, 5, "ops/s", java.util.List.of()))).isEqualTo("14,998 ± 5");
        assertThat(Fmt.withError(new Score(19.8, 1.188, "ms", java.util.List.of()))).isEqualTo("19.8 ± 1.19");
        assertThat(Fmt.withError(new Score(64, Double.NaN, "count", java.util.List.of()))).isEqualTo("64.0 ± ?");
    }

    @Test
    void ratiosChangesAndSettings() {
        assertThat(Fmt.ratio(new Interval(1.1428, 1.1049, 1.1825))).isEqualTo("1.14 [1.10, 1.18]");
        assertThat(Fmt.ratio(Double.POSITIVE_INFINITY)).isEqualTo("∞");
        assertThat(Fmt.change(-0.2)).isEqualTo("-20.0%");
        assertThat(Fmt.change(0.0)).isEqualTo("+0.0%");
        assertThat(Fmt.percent(0.975)).isEqualTo("97.5%");
        assertThat(Fmt.brief(10)).isEqualTo("10");
        assertThat(Fmt.brief(0.5)).isEqualTo("0.5");
        assertThat(Fmt.brief(1500)).isEqualTo("1,500");
    }
}

package io.loombench.loadgen;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SLOs as written on a command line, read, written back, and checked against a histogram. */
class SloTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "p99<=10ms, 99, PT0.01S, p99<=10ms",
        "p50<=1s, 50, PT1S, p50<=1s",
        "p90<=250us, 90, PT0.00025S, p90<=250us",
        "p99.9<=500us, 99.9, PT0.0005S, p99.9<=500us",
        "p99.99<=2ms, 99.99, PT0.002S, p99.99<=2ms",
        "max<=1s, 100, PT1S, max<=1s",
        "p95<=5ms, 95, PT0.005S, p95<=5ms",
        "P99 <= 10MS, 99, PT0.01S, p99<=10ms",
        "' p99<=10ms ', 99, PT0.01S, p99<=10ms",
        "MAX<=1500ms, 100, PT1.5S, max<=1500ms",
        "p99<=3600s, 99, PT1H, p99<=3600s",
    })
    void readsEveryForm(String text, double percentile, String bound, String written) {
        Slo slo = Slo.parse(text);

        assertThat(slo.percentile()).isEqualTo(percentile);
        assertThat(slo.bound()).isEqualTo(Duration.parse(bound));
        assertThat(slo).hasToString(written);
        assertThat(Slo.parse(slo.toString())).as("written as it is read").isEqualTo(slo);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "",
        "p99",
        "p99<10ms",
        "p99=10ms",
        "p99<=",
        "p99<=10",
        "p99<=1.5ms",
        "p99<=10 ms",
        "p99<=-1ms",
        "p99<=0ms",
        "p99<=2h",
        "p99<=3601s",
        "p99<=99999999999999999999s",
        "p100<=1ms",
        "p0<=1ms",
        "p99.<=1ms",
        "q99<=1ms",
        "99<=1ms",
        "max",
        "p99<=10ms,p50<=1ms",
    })
    void rejectsWhatIsNotAnSloInOneLineNamingTheForm(String text) {
        assertThatThrownBy(() -> Slo.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'" + text + "' is not an SLO")
                .hasMessageContaining("p99<=10ms")
                .hasMessageNotContaining("\n");
    }

    @Test
    void constructorGuardsItsRanges() {
        assertThatThrownBy(() -> new Slo(0, Duration.ofMillis(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Slo(100.5, Duration.ofMillis(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Slo(Double.NaN, Duration.ofMillis(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Slo(99, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Slo(99, Duration.ofHours(2))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsTheHistogramAtItsPercentileAndComparesInMicroseconds() {
        Histogram histogram = new Histogram(3_600_000_000L, 3);
        for (long micros = 1; micros <= 1000; micros++) {
            histogram.recordValue(micros);
        }

        assertThat(Slo.parse("p99<=1ms").valueIn(histogram)).isEqualTo(990);
        assertThat(Slo.parse("p50<=1ms").valueIn(histogram)).isEqualTo(500);
        assertThat(Slo.parse("max<=1ms").valueIn(histogram)).isEqualTo(1000);
        assertThat(Slo.parse("p99<=10ms").metBy(10_000)).as("the bound itself is within").isTrue();
        assertThat(Slo.parse("p99<=10ms").metBy(10_001)).isFalse();
        assertThat(Slo.parse("p99<=250us").boundMicros()).isEqualTo(250);
        assertThat(Slo.parse("p99<=1ms").valueIn(new Histogram(3))).as("empty").isZero();
    }
}

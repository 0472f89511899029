package io.loombench.common;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Durations as load tools write them, read and written back. */
class DurationConverterTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "250us, PT0.00025S",
        "500ms, PT0.5S",
        "30s, PT30S",
        "30, PT30S",
        "2m, PT2M",
        "1h, PT1H",
        "' 10s ', PT10S",
        "PT1.5S, PT1.5S",
        "0, PT0S",
    })
    void readsEveryForm(String text, String iso) {
        assertThat(DurationConverter.parse(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "soon", "-5s", "5 s", "1.5s", "5d", "PT-1S", "99999999999999999999s",
            "9223372036854775807h", "9223372036854775807us"})
    void rejectsWhatIsNotADurationWithOneMessage(String text) {
        assertThatThrownBy(() -> DurationConverter.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' is not a duration (use e.g. 500ms, 30s, 2m, 1h)");
    }

    @Test
    void writesDurationsTheWayTheyAreRead() {
        assertThat(DurationConverter.format(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(DurationConverter.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(DurationConverter.format(Duration.ofMillis(-1))).isEqualTo("-1ms");
        assertThat(DurationConverter.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(DurationConverter.format(Duration.ofNanos(250_000))).isEqualTo("0.25ms");
        assertThat(DurationConverter.format(Duration.ofNanos(-250_000))).isEqualTo("-0.25ms");
        assertThat(DurationConverter.format(Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE + "s");
        assertThat(DurationConverter.format(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999))).startsWith("PT");
        for (String text : new String[] {"30s", "1500ms", "0s"}) {
            assertThat(DurationConverter.format(DurationConverter.parse(text))).isEqualTo(text);
        }
    }
}

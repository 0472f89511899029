package io.loombench.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CpuListTest {

    @Test
    void readsTheKernelsListSyntax() {
        assertThat(CpuList.parse("0")).containsExactly(0);
        assertThat(CpuList.parse("0-3,6")).containsExactly(0, 1, 2, 3, 6);
        assertThat(CpuList.parse(" 2-3 ,5\n")).containsExactly(2, 3, 5);
        assertThat(CpuList.format(List.of(4, 5, 7))).isEqualTo("4,5,7");
        assertThat(CpuList.parse(CpuList.format(List.of(1, 3)))).containsExactly(1, 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ",", "a", "3-1", "-1", "1-x"})
    void rejectsWhatTasksetWouldNot(String list) {
        assertThatThrownBy(() -> CpuList.parse(list)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CPU");
    }
}

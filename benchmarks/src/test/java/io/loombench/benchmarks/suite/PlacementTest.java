package io.loombench.benchmarks.suite;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PlacementTest {

    @Test
    void twoCpusGiveTheServerOneAndTheGeneratorTheOther() {
        RunEnvironment.Placement placement = Placement.decide(false, List.of(0, 1), true);
        assertThat(placement.pinned()).isTrue();
        assertThat(placement.serverCpus()).isEqualTo("1");
        assertThat(placement.generatorCpus()).isEqualTo("0");
    }

    @Test
    void largerMachinesSplitInHalvesWithTheGeneratorNeverSmaller() {
        assertThat(Placement.decide(false, List.of(0, 1, 2, 3, 4, 5, 6, 7), true))
                .isEqualTo(new RunEnvironment.Placement("pinned", "4,5,6,7", "0,1,2,3"));
        assertThat(Placement.decide(false, List.of(2, 3, 5), true))
                .isEqualTo(new RunEnvironment.Placement("pinned", "5", "2,3"));
    }

    @Test
    void sharedWhenAskedOrWhenPinningIsImpossible() {
        assertThat(Placement.decide(true, List.of(0, 1), true).mode()).isEqualTo("shared");
        assertThat(Placement.decide(false, List.of(0), true).mode()).isEqualTo("shared");
        assertThat(Placement.decide(false, List.of(0, 1), false))
                .isEqualTo(new RunEnvironment.Placement("shared", "0,1", "0,1"));
    }
}

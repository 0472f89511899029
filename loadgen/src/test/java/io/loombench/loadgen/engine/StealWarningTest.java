package io.loombench.loadgen.engine;

import io.loombench.common.CpuSteal;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A host that takes the generator's CPUs is named in the run's warnings; one that does not, or a reading not taken, is not. */
class StealWarningTest {

    @Test
    void aNotableShareIsAWarningThatNamesTheCpus() {
        assertThat(LoadRun.stealWarning(Optional.of(new CpuSteal.Share("0", 0.324))))
                .hasValue("the hypervisor took 32.4% of the generator's CPU 0 (CPU steal) during the measured period: other guests of"
                        + " this machine's host ran in that time, and the latencies include the waits they caused");
        assertThat(LoadRun.stealWarning(Optional.of(new CpuSteal.Share("0-3", 0.06)))).hasValueSatisfying(warning ->
                assertThat(warning).contains("6.0% of the generator's CPUs 0-3"));
    }

    @Test
    void upToTheNotableShareOrWithoutAReadingThereIsNone() {
        assertThat(LoadRun.stealWarning(Optional.of(new CpuSteal.Share("0", CpuSteal.Share.NOTABLE)))).isEmpty();
        assertThat(LoadRun.stealWarning(Optional.of(new CpuSteal.Share("0", 0)))).isEmpty();
        assertThat(LoadRun.stealWarning(Optional.empty())).isEmpty();
    }
}

package io.loombench.benchmarks.suite;

import io.loombench.benchmarks.suite.SoakCheck.Sample;
import io.loombench.benchmarks.ServerKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** The soak's verdicts on recorded samples: steady resources pass, growth and errors fail. */
class SoakCheckTest {

    /** Samples every 10 s for {@code minutes}, each resource given by its function of the sample's time. */
    private static List<Sample> samples(int minutes, DoubleUnaryOperator rss, DoubleUnaryOperator fds) {
        List<Sample> samples = new ArrayList<>();
        for (int s = 0; s <= minutes * 60; s += 10) {
            samples.add(new Sample(s, rss.applyAsDouble(s), 40, 18, (int) fds.applyAsDouble(s)));
        }
        return samples;
    }

    @Test
    void steadyResourcesAndNoErrorsPass() {
        List<String> verdicts = SoakCheck.verdicts(samples(10, s -> 200 + (s % 20 == 0 ? 1 : 0), s -> 1012), 0);
        assertThat(verdicts).allMatch(verdict -> verdict.startsWith("ok: "));
    }

    @Test
    void rssThatKeepsGrowingFails() {
        List<String> verdicts = SoakCheck.verdicts(samples(10, s -> 200 + s / 2, s -> 1012), 0);
        assertThat(verdicts).anyMatch(verdict -> verdict.startsWith("FAILED: grows: rss"));
    }

    @Test
    void leakingDescriptorsFail() {
        List<String> verdicts = SoakCheck.verdicts(samples(10, s -> 200, s -> 1012 + s / 10), 0);
        assertThat(verdicts).anyMatch(verdict -> verdict.startsWith("FAILED: grows: fds"));
    }

    @Test
    void anyErrorFailsAndAShortSoakCannotJudge() {
        assertThat(SoakCheck.verdicts(samples(10, s -> 200, s -> 1012), 3)).first().asString().isEqualTo("FAILED: 3 requests failed");
        assertThat(SoakCheck.verdicts(samples(1, s -> 200, s -> 1012), 0)).anyMatch(verdict -> verdict.contains("too few to judge growth"));
    }

    @Test
    void thePoolIsSoakedWithNoMoreConnectionsThanHalfItsThreads() {
        assertThat(SoakCheck.connectionsFor(ServerKind.POOL, 1000)).isEqualTo(ServerKind.POOL_THREADS / 2);
        assertThat(SoakCheck.connectionsFor(ServerKind.POOL, 50)).isEqualTo(50);
        assertThat(SoakCheck.connectionsFor(ServerKind.VIRTUAL, 1000)).isEqualTo(1000);
        assertThat(SoakCheck.connectionsFor(ServerKind.NIO, 1000)).isEqualTo(1000);
    }
}

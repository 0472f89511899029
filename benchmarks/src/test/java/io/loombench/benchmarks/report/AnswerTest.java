package io.loombench.benchmarks.report;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AnswerTest {

    private static List<Answer> throughput;
    private static List<Answer> capacity;

    @BeforeAll
    static void read() throws IOException {
        SuiteResults run = SuiteResults.read(Fixtures.resource("run"));
        throughput = Answer.of(run.points(), Kind.THROUGHPUT);
        capacity = Answer.of(run.points(), Kind.CAPACITY);
    }

    @Test
    void oneAnswerPerCellInCellOrder() {
        assertThat(throughput).extracting(a -> a.cell().id())
                .containsExactly("http-none-c64", "http-none-c1000", "http-wait-c1000", "http-wait-c10000");
        assertThat(capacity).extracting(a -> a.cell().id()).containsExactly("http-wait-c1000");
    }

    @Test
    void aClearWinByItsConservativeRatio() {
        Answer a = answer(throughput, "http-none-c64");

        assertThat(a.ranked()).extracting(Point::server).containsExactly("nio", "virtual", "pool");
        assertThat(a.winner().orElseThrow().server()).isEqualTo("nio");
        Interval r = a.overRunnerUp().orElseThrow();
        // nio 160,000 ± 2,000 over virtual 140,000 ± 3,000
        assertThat(r.value()).isEqualTo(160.0 / 140, within(1e-6));
        assertThat(r.low()).isEqualTo(158.0 / 143, within(1e-6));
        assertThat(r.high()).isEqualTo(162.0 / 137, within(1e-6));
        assertThat(a.tie()).isFalse();
        assertThat(a.tiedWithWinner()).isEmpty();
        assertThat(a.errorUnknown()).isFalse();
    }

    @Test
    void peersAreReferencesNotContestants() {
        Answer a = answer(throughput, "http-none-c64");

        assertThat(a.peers()).extracting(Point::server).containsExactly("netty", "helidon");
        // netty (165,000 ± 2,500) outscores every model, yet nio wins; its ratio to netty is a reference.
        Interval overNetty = a.overPeer(a.peers().get(0)).orElseThrow();
        assertThat(overNetty.value()).isEqualTo(160.0 / 165, within(1e-6));
        assertThat(overNetty.high()).isEqualTo(162.0 / 162.5, within(1e-6));
    }

    @Test
    void anIntervalThatIncludesOneIsATie() {
        Answer a = answer(throughput, "http-none-c1000");

        // nio 150,000 ± 6,000 over virtual 148,000 ± 5,000: [144/153, 156/143]
        assertThat(a.winner().orElseThrow().server()).isEqualTo("nio");
        assertThat(a.overRunnerUp().orElseThrow().low()).isLessThan(1);
        assertThat(a.tie()).isTrue();
        assertThat(a.tiedWithWinner()).extracting(Point::server).containsExactly("virtual");
    }

    @Test
    void aFailedPointIsNamedNeverRanked() {
        Answer a = answer(throughput, "http-wait-c10000");

        assertThat(a.ranked()).extracting(Point::server).containsExactly("virtual", "nio");
        assertThat(a.failed()).extracting(Point::server).containsExactly("pool");
        assertThat(a.tie()).isFalse();
    }

    @Test
    void capacityTiesWhenTheSearchesBracketsOverlap() {
        Answer a = answer(capacity, "http-wait-c1000");

        // virtual in [59,000, 64,000], nio in [57,000, 62,000]
        Interval r = a.overRunnerUp().orElseThrow();
        assertThat(r.low()).isEqualTo(59.0 / 62, within(1e-6));
        assertThat(r.high()).isEqualTo(64.0 / 57, within(1e-6));
        assertThat(a.tie()).isTrue();
    }

    @Test
    void withoutJmhsErrorTheIntervalIsThePointAndSaysSo() {
        Point a = point("virtual", 110, Double.NaN);
        Point b = point("nio", 100, Double.NaN);
        Answer answer = Answer.of(List.of(b, a), Kind.THROUGHPUT).getFirst();

        assertThat(answer.winner()).contains(a);
        assertThat(answer.overRunnerUp()).contains(new Interval(1.1, 1.1, 1.1));
        assertThat(answer.errorUnknown()).isTrue();
    }

    private static Point point(String server, double score, double error) {
        return new Point(Kind.THROUGHPUT, new Cell("http", "none", 64), server, java.util.Map.of(),
                new Score(score, error, "ops/s", List.of(List.of(score, score))), java.util.Map.of());
    }

    @Test
    void ratioIntervalsAreConservativeAndUnboundedOverZero() {
        Interval r = Interval.ratio(Interval.around(10, 1), Interval.around(5, 1));
        assertThat(r).isEqualTo(new Interval(2, 9.0 / 6, 11.0 / 4));

        Interval overZero = Interval.ratio(Interval.around(10, 1), Interval.around(1, 1));
        assertThat(overZero.high()).isInfinite();
        assertThat(overZero.low()).isEqualTo(4.5);
    }

    private static Answer answer(List<Answer> answers, String cell) {
        return answers.stream().filter(a -> a.cell().id().equals(cell)).findFirst().orElseThrow();
    }
}

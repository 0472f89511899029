package io.loombench.benchmarks.suite;

import io.loombench.benchmarks.ServerKind;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MatrixTest {

    @Test
    void everyServerIsOfferedTheSameRateAtAPoint() {
        for (String name : List.of("default", "full", "quick")) {
            Map<String, List<Integer>> ratesByPoint = Matrix.named(name).points().stream()
                    .filter(point -> point.kind() == BenchmarkKind.LATENCY)
                    .collect(Collectors.groupingBy(point -> point.point().protocol() + point.point().workload() + point.point().connections(),
                            Collectors.mapping(PlannedPoint::rate, Collectors.toList())));
            assertThat(ratesByPoint).as(name).isNotEmpty();
            ratesByPoint.forEach((point, rates) -> assertThat(new HashSet<>(rates)).as("%s %s", name, point).hasSize(1));
        }
    }

    @Test
    void idsAreUnique() {
        for (String name : List.of("default", "full", "quick")) {
            List<String> ids = Matrix.named(name).points().stream().map(PlannedPoint::id).toList();
            assertThat(new HashSet<>(ids)).as(name).hasSameSizeAs(ids);
        }
    }

    /** The budgets the README promises, by the planning estimate (a real run on a 2-core machine is quoted there). */
    @Test
    void defaultFitsTwentyMinutesAndQuickThree() {
        assertThat(Matrix.named("default").estimatedSeconds()).isLessThanOrEqualTo(20 * 60);
        assertThat(Matrix.named("quick").estimatedSeconds()).isLessThanOrEqualTo(3 * 60);
    }

    /** The minimum: wait and cpu at a low and a high count for every model; peers on plaintext and on wait at the high count. */
    @Test
    void defaultHasWaitAndCpuAtLowAndHighConnectionsForEveryModel() {
        Matrix matrix = Matrix.named("default");
        for (BenchmarkKind kind : List.of(BenchmarkKind.THROUGHPUT, BenchmarkKind.LATENCY)) {
            for (String workload : List.of("none", "wait", "cpu")) {
                for (int connections : List.of(Matrix.LOW, Matrix.HIGH)) {
                    for (ServerKind server : ServerKind.values()) {
                        boolean expected = server.isModel() || workload.equals("none") || (workload.equals("wait") && connections == Matrix.HIGH);
                        String id = kind.key() + "-http-" + workload + "-c" + connections + "-" + server.key();
                        assertThat(matrix.points().stream().anyMatch(point -> point.id().equals(id))).as(id).isEqualTo(expected);
                    }
                }
            }
        }
        assertThat(matrix.points()).filteredOn(point -> point.kind() == BenchmarkKind.CAPACITY)
                .extracting(PlannedPoint::id).contains("capacity-http-wait-c10000-virtual");
        assertThat(matrix.throughput().forks()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void includeKeepsMatchingPointsAndRejectsAFilterThatMatchesNone() {
        Matrix matrix = Matrix.named("default").including("^latency-.*-nio$");
        assertThat(matrix.points()).isNotEmpty().allMatch(point -> point.id().startsWith("latency-") && point.id().endsWith("-nio"));
        assertThat(Matrix.named("default").including("").points()).hasSameSizeAs(Matrix.named("default").points());
        assertThatThrownBy(() -> Matrix.named("default").including("no-such-point"))
                .hasMessageContaining("matches no point").hasMessageContaining("throughput-http-none-c64-virtual");
        assertThatThrownBy(() -> Matrix.named("huge")).hasMessageContaining("default, full or quick");
    }

    @Test
    void paramsAreWhatTheBenchmarksDeclare() {
        PlannedPoint capacity = Matrix.named("default").points().stream()
                .filter(point -> point.kind() == BenchmarkKind.CAPACITY).findFirst().orElseThrow();
        assertThat(capacity.params()).containsKeys("server", "protocol", "workload", "connections", "rate", "slo");
        assertThat(capacity.slo()).isEqualTo("p99<=20ms");
    }
}

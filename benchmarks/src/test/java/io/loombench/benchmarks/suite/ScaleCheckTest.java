package io.loombench.benchmarks.suite;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ScaleCheckTest {
    private static final RunEnvironment.Placement PINNED = new RunEnvironment.Placement("pinned", "1", "0");

    /**
     * A row whose live heap was not read at 1,000 connections (a dash) and read as 1,234.4 bytes
     * elsewhere; likewise its CPU steal, 0.4% of the server's CPUs and 32.46% of the loadgen's.
     */
    private static ScaleCheck.Row row(String server, int connections, double loadgenMiB, Double wrkMiB) {
        boolean read = connections != 1_000;
        return new ScaleCheck.Row(server, connections, connections, 80, 100, 2.0, read ? 1_234.4 : null, 17, connections, 3.0, 0, loadgenMiB, wrkMiB,
                read ? 0.004 : null, read ? 0.3246 : null);
    }

    /**
     * Each generator's growth is taken between rows of the same server, so its baseline cancels:
     * the loadgen from 90 to 100 MiB over 9,000 added connections is 10 x 1024 / 9,000 = 1.1 KiB
     * each; wrk from 5 to 45 MiB is 40 x 1024 / 9,000 = 4.6 KiB. A new server starts over.
     */
    @Test
    void showsWrkBesideTheLoadgenWhereItRan() {
        String table = ScaleCheck.table(List.of(
                row("nio", 1_000, 90, 5.0), row("nio", 10_000, 100, 45.0), row("netty", 1_000, 91, 5.2)), "http", 10, PINNED, "Serial", "loadgen/jvm.options");

        assertThat(table).startsWith("HTTP GET /plaintext, one request per second per connection, 10 s measured after 3 s;"
                        + " server on CPUs 1 (collector Serial), loadgen (its own process, loadgen/jvm.options) on CPUs 0 (pinned)."
                        + " RSS per connection = (peak RSS - idle RSS) / connections; live heap per connection from the second of two"
                        + " full collections 3 s apart, with the connections opened again after the run. CPU steal: the share of the"
                        + " server's CPUs' time the hypervisor took during the measured run, and of the loadgen's; above 5%, the p99"
                        + " holds the host's waits as well as the server's.")
                .contains("| errors | CPU steal server, loadgen | loadgen RSS MiB | loadgen KiB / added connection | wrk -t1 RSS MiB | wrk KiB / added connection |\n")
                .contains("| nio | 1,000 | 1,000 | 100 (80) | 2.0 | — | 17 | 1,000 | 3.00 | 0 | —, — | 90 | — | 5 | — |\n")
                .contains("| nio | 10,000 | 10,000 | 100 (80) | 2.0 | 1,234 | 17 | 10,000 | 3.00 | 0 | 0.4%, 32.5% | 100 | 1.1 | 45 | 4.6 |\n")
                .contains("| netty | 1,000 | 1,000 | 100 (80) | 2.0 | — | 17 | 1,000 | 3.00 | 0 | —, — | 91 | — | 5 | — |\n");
    }

    @Test
    void hasNoWrkColumnsWhereItDidNotRun() {
        String table = ScaleCheck.table(List.of(row("virtual", 1_000, 90, null), row("virtual", 5_000, 94, null)), "tcp", 10, PINNED, "G1", "loadgen/jvm.options");

        assertThat(table).doesNotContain("wrk")
                .contains("| errors | CPU steal server, loadgen | loadgen RSS MiB | loadgen KiB / added connection |\n|---|")
                .contains("| virtual | 5,000 | 5,000 | 100 (80) | 2.0 | 1,234 | 17 | 5,000 | 3.00 | 0 | 0.4%, 32.5% | 94 | 1.0 |\n");
    }
}

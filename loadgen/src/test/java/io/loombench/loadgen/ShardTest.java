package io.loombench.loadgen;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How a run is split: every connection in exactly one shard, shares within one, rates and counts adding up to the run's. */
class ShardTest {

    @Test
    void theShardsPartitionTheConnectionsWithSharesWithinOne() {
        for (int total : new int[] {1, 2, 7, 10, 1000, 19_001}) {
            for (int count = 1; count <= Math.min(total, 7); count++) {
                List<Integer> seen = new ArrayList<>();
                int smallest = Integer.MAX_VALUE;
                int largest = 0;
                for (int index = 0; index < count; index++) {
                    Shard shard = new Shard(index, count);
                    int mine = shard.connections(total);
                    smallest = Math.min(smallest, mine);
                    largest = Math.max(largest, mine);
                    for (int local = 0; local < mine; local++) {
                        seen.add(shard.globalIndex(local));
                    }
                }
                assertThat(seen).as("%d connections in %d shards", total, count)
                        .containsExactlyInAnyOrderElementsOf(IntStream.range(0, total).boxed().toList());
                assertThat(largest - smallest).isLessThanOrEqualTo(1);
            }
        }
    }

    @Test
    void sharesOfACountAddUpToIt() {
        for (long total : new long[] {0, 1, 5, 1_000_001}) {
            long sum = 0;
            for (int index = 0; index < 4; index++) {
                sum += new Shard(index, 4).share(total);
            }
            assertThat(sum).isEqualTo(total);
        }
    }

    @Test
    void theShardsRatesAddUpToTheRunsRate() {
        LoadSpec.Builder run = LoadSpec.builder(LoadProtocol.TCP_ECHO, new InetSocketAddress("127.0.0.1", 9)).connections(1000).rate(30_000);
        double sum = 0;
        for (int index = 0; index < 3; index++) {
            sum += run.shard(new Shard(index, 3)).build().localRate();
        }
        assertThat(sum).isEqualTo(30_000.0);
        assertThat(run.shard(new Shard(0, 3)).build().localRate()).isEqualTo(334 * 30.0);
    }

    @Test
    void shardZeroOfOneIsTheWholeRun() {
        assertThat(Shard.parse("0/1")).isEqualTo(Shard.WHOLE);
        assertThat(Shard.WHOLE.payloadSeed(42)).isEqualTo(42);
        assertThat(new Shard(1, 3).payloadSeed(42)).isNotEqualTo(42).isNotEqualTo(new Shard(2, 3).payloadSeed(42));
    }

    @Test
    void badShardsAreRefusedWithWhatAShardIs() {
        for (String text : new String[] {"3/3", "-1/3", "0/0", "1", "a/b", "1/3/4"}) {
            assertThatThrownBy(() -> Shard.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("I/N");
        }
        LoadSpec.Builder run = LoadSpec.builder(LoadProtocol.TCP_ECHO, new InetSocketAddress("127.0.0.1", 9)).connections(2);
        assertThatThrownBy(() -> run.shard(new Shard(2, 3)).build()).hasMessageContaining("would have none: split it into at most 2 shards");
        assertThatThrownBy(() -> run.connections(10).maxRequests(2).shard(new Shard(2, 3)).build())
                .hasMessageContaining("a run of 2 requests would have none");
    }
}

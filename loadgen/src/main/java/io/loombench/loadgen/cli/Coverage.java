package io.loombench.loadgen.cli;

import io.loombench.loadgen.Shard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Which shards of a run an output holds: one for a run (the whole run is shard 0 of 1), the ones
 * merged for a merge, with those missing from it.
 *
 * @param count   the run's number of shards
 * @param present the shards held, ascending
 */
record Coverage(int count, List<Integer> present) {

    Coverage {
        present = List.copyOf(present);
    }

    static Coverage of(Shard shard) {
        return new Coverage(shard.count(), List.of(shard.index()));
    }

    /** The shards of the run that this output does not hold. */
    List<Integer> missing() {
        return IntStream.range(0, count).filter(i -> !present.contains(i)).boxed().toList();
    }

    Map<String, Object> tree() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("count", count);
        map.put("present", present);
        map.put("missing", missing());
        return map;
    }
}

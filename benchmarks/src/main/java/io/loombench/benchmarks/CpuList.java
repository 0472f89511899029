package io.loombench.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** CPU numbers in the kernel's list syntax, as taskset and {@code Cpus_allowed_list} write them: {@code 0-3,6}. */
public final class CpuList {
    private CpuList() {
    }

    /** The CPU numbers of {@code list}, in order. */
    public static List<Integer> parse(String list) {
        List<Integer> cpus = new ArrayList<>();
        for (String part : list.strip().split(",")) {
            String range = part.strip();
            if (range.isEmpty()) {
                continue;
            }
            int dash = range.indexOf('-');
            try {
                int first = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
                int last = dash < 0 ? first : Integer.parseInt(range.substring(dash + 1));
                if (first < 0 || last < first) {
                    throw new IllegalArgumentException("bad CPU range '" + range + "' in '" + list + "'");
                }
                for (int cpu = first; cpu <= last; cpu++) {
                    cpus.add(cpu);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad CPU list '" + list + "': expected numbers and ranges like 0-3,6");
            }
        }
        if (cpus.isEmpty()) {
            throw new IllegalArgumentException("empty CPU list '" + list + "'");
        }
        return cpus;
    }

    /** The list syntax for {@code cpus}, each one written out ({@code 0,1,2}): taskset reads it. */
    public static String format(List<Integer> cpus) {
        return cpus.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}

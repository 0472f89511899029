package io.loombench.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Optional;

/**
 * A reading of how much time the hypervisor has taken from some of this machine's CPUs: the
 * {@code steal} column of Linux's {@code /proc/stat} (the {@code st} of {@code top} and
 * {@code vmstat}), time a virtual CPU had work but its host ran something else. Two readings
 * give the share of the interval between them that was stolen. On a virtual machine whose host
 * is busy it can reach tens of percent, and every latency measured on those CPUs then includes
 * waits that neither the generator nor the server caused; on bare metal it stays 0.
 *
 * <p>The CPUs read are those a process may run on (its {@code Cpus_allowed_list}), so a process
 * pinned with {@code taskset} is charged for its own CPUs only.
 *
 * @param cpus       the CPUs read, in {@code Cpus_allowed_list}'s form ("0", "0-1", "0,2-3")
 * @param stealTicks steal time of those CPUs since boot, in clock ticks (10 ms at the usual 100 Hz)
 * @param totalTicks all the time those CPUs accounted since boot (user, nice, system, idle, iowait,
 *                   irq, softirq, steal), in clock ticks; the share is taken of this, as top's is
 */
public record CpuSteal(String cpus, long stealTicks, long totalTicks) {
    /** Fields of a /proc/stat cpu line, counted from 1 after its name. */
    private static final int STEAL_FIELD = 8;

    /**
     * Reads the CPUs process {@code pid} may run on; empty where {@code /proc} cannot tell (not
     * Linux, a process gone, a kernel without the field).
     */
    public static Optional<CpuSteal> ofProcess(long pid) {
        try {
            String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.US_ASCII);
            String cpus = allowedCpus(status);
            if (cpus == null) {
                return Optional.empty();
            }
            return Optional.of(parse(Files.readString(Path.of("/proc/stat"), StandardCharsets.US_ASCII), cpus));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Reads the CPUs this process may run on; see {@link #ofProcess}. */
    public static Optional<CpuSteal> ofSelf() {
        return ofProcess(ProcessHandle.current().pid());
    }

    /**
     * The share of the time since {@code earlier} that was stolen; 0 if no tick passed in between.
     *
     * @throws IllegalArgumentException if the two readings are of different CPUs
     */
    public Share since(CpuSteal earlier) {
        if (!cpus.equals(earlier.cpus)) {
            throw new IllegalArgumentException("readings of CPUs " + earlier.cpus + " and " + cpus + " do not compare");
        }
        long total = totalTicks - earlier.totalTicks;
        return new Share(cpus, total <= 0 ? 0 : (double) (stealTicks - earlier.stealTicks) / total);
    }

    /**
     * The part of an interval the hypervisor took from some CPUs.
     *
     * @param cpus  the CPUs, in {@code Cpus_allowed_list}'s form
     * @param share stolen time over all their time in the interval, from 0 to 1
     */
    public record Share(String cpus, double share) {
        /** Above this share a run's latencies are the host's as much as the target's: worth a warning. */
        public static final double NOTABLE = 0.05;

        /** The share between two readings of the same CPUs; empty if either could not be taken. */
        public static Optional<Share> between(Optional<CpuSteal> start, Optional<CpuSteal> end) {
            return start.flatMap(from -> end.map(to -> to.since(from)));
        }

        /** "CPU 0" or "CPUs 0-1", for a sentence. */
        public String cpusNamed() {
            return (cpus.matches("\\d+") ? "CPU " : "CPUs ") + cpus;
        }
    }

    /**
     * Sums the lines of {@code procStat} (the text of {@code /proc/stat}) for the CPUs in
     * {@code cpus}, a list in {@code Cpus_allowed_list}'s form.
     *
     * @throws IllegalArgumentException if the list is malformed or names a CPU the text lacks
     */
    static CpuSteal parse(String procStat, String cpus) {
        BitSet wanted = cpuList(cpus);
        BitSet found = new BitSet();
        long steal = 0;
        long total = 0;
        for (String line : procStat.split("\n")) {
            if (!line.startsWith("cpu") || line.startsWith("cpu ")) {
                continue;
            }
            String[] fields = line.trim().split("\\s+");
            int cpu = Integer.parseInt(fields[0].substring(3));
            if (!wanted.get(cpu)) {
                continue;
            }
            found.set(cpu);
            // Kernels before 2.6.11 had no steal field: those CPUs were never stolen from.
            for (int field = 1; field <= Math.min(STEAL_FIELD, fields.length - 1); field++) {
                total += Long.parseLong(fields[field]);
            }
            if (fields.length > STEAL_FIELD) {
                steal += Long.parseLong(fields[STEAL_FIELD]);
            }
        }
        BitSet missing = (BitSet) wanted.clone();
        missing.andNot(found);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("/proc/stat has no line for CPU " + missing.nextSetBit(0) + " of " + cpus);
        }
        return new CpuSteal(cpus, steal, total);
    }

    /** The value of {@code Cpus_allowed_list} in a /proc/pid/status text, or null without one. */
    private static String allowedCpus(String status) {
        String name = "\nCpus_allowed_list:";
        int at = status.indexOf(name);
        if (at < 0) {
            return null;
        }
        int start = at + name.length();
        int end = status.indexOf('\n', start);
        return status.substring(start, end < 0 ? status.length() : end).strip();
    }

    /** The CPUs of a list such as "0-3,8": ranges and single numbers, comma-separated. */
    private static BitSet cpuList(String list) {
        BitSet cpus = new BitSet();
        for (String part : list.split(",")) {
            int dash = part.indexOf('-');
            int from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1));
            if (from > to) {
                throw new IllegalArgumentException("CPU list " + list + " has a range that runs backwards");
            }
            cpus.set(from, to + 1);
        }
        return cpus;
    }
}

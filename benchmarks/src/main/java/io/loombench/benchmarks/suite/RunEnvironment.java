package io.loombench.benchmarks.suite;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where and how a suite run measured: written as {@code env.json} beside JMH's JSON, read back by
 * the report and by the gate (which trusts absolute scores only between runs whose
 * {@link #sameMachineAs machines match}).
 *
 * @param startedAt        UTC instant the run started, ISO-8601
 * @param command          the command line that started the run, as the user would type it
 * @param matrix           which matrix ran: {@code default}, {@code full} or {@code quick}
 * @param include          the {@code -Dbench.include} filter, or empty for every point
 * @param harness          the JVM that ran JMH and the load generator
 * @param server           the JVM that ran the server children
 * @param cpuModel         {@code model name} from /proc/cpuinfo
 * @param cpuCount         CPUs this run could use (its affinity mask)
 * @param memoryBytes      {@code MemTotal} from /proc/meminfo
 * @param kernel           {@code uname -r}
 * @param os               operating system name and architecture
 * @param hostname         the machine's name
 * @param commit           git commit of the working tree, or "unknown"
 * @param dirty            true when the working tree had uncommitted changes
 * @param placement        where the server and the generator ran
 * @param jmh              JMH's settings, one entry per benchmark of the run
 */
public record RunEnvironment(String startedAt, String command, String matrix, String include,
                             Jvm harness, Jvm server, String cpuModel, int cpuCount, long memoryBytes,
                             String kernel, String os, String hostname, String commit, boolean dirty,
                             Placement placement, List<JmhSettings> jmh) {

    public RunEnvironment {
        include = include == null ? "" : include;
        jmh = List.copyOf(jmh);
    }

    /**
     * One JVM's identity.
     *
     * @param java      path of the {@code java} binary
     * @param version   {@code java.runtime.version}
     * @param vendor    {@code java.vendor}
     * @param vmName    {@code java.vm.name}
     * @param flags     flags given on its command line
     * @param effective what {@code -XX:+PrintCommandLineFlags} printed (the collector ergonomics chose, heap sizes)
     */
    public record Jvm(String java, String version, String vendor, String vmName, List<String> flags, String effective) {
        private static final Pattern COLLECTOR_FLAG = Pattern.compile("-XX:\\+Use(Serial|G1|Parallel|Z|Shenandoah|Epsilon)GC\\b");

        public Jvm {
            flags = flags == null ? List.of() : List.copyOf(flags);
        }

        /**
         * The garbage collector the JVM ran with, as its effective flags name it ({@code Serial}
         * for {@code -XX:+UseSerialGC}, {@code G1}, {@code Parallel}, {@code Z}...), or empty when
         * they name none. Worth a line of its own: ergonomics picks it from the CPUs and memory the
         * JVM sees, so a server pinned to one CPU runs Serial unless told otherwise.
         */
        public Optional<String> collector() {
            if (effective == null) {
                return Optional.empty();
            }
            Matcher flag = COLLECTOR_FLAG.matcher(effective);
            return flag.find() ? Optional.of(flag.group(1)) : Optional.empty();
        }

        /** The feature release, {@code 25} for {@code 25.0.1+8-LTS}. */
        public int feature() {
            int end = 0;
            while (end < version.length() && Character.isDigit(version.charAt(end))) {
                end++;
            }
            return end == 0 ? 0 : Integer.parseInt(version.substring(0, end));
        }
    }

    /**
     * CPU placement.
     *
     * @param mode          {@code pinned}: server and generator on disjoint CPU sets with taskset;
     *                      {@code shared}: both free to run anywhere ({@code -Dbench.cpus=shared})
     * @param serverCpus    CPU list of the server children (taskset syntax), or every CPU when shared
     * @param generatorCpus CPU list of the JMH forks that generate the load
     */
    public record Placement(String mode, String serverCpus, String generatorCpus) {
        public boolean pinned() {
            return "pinned".equals(mode);
        }
    }

    /**
     * JMH's settings for one benchmark, the same for every point of it in a run.
     *
     * @param benchmark              {@code throughput}, {@code latency} or {@code capacity}
     * @param forks                  forks per point
     * @param warmupIterations       warm-up iterations per fork
     * @param warmupSeconds          length of one warm-up iteration
     * @param measurementIterations  measured iterations per fork
     * @param measurementSeconds     length of one measured iteration
     */
    public record JmhSettings(String benchmark, int forks, int warmupIterations, double warmupSeconds,
                              int measurementIterations, double measurementSeconds) {
    }

    /**
     * True when absolute scores of the two runs may be compared: same CPU model and count, same
     * JDK feature releases, same placement (pinned or shared: the scheduler's choices change the
     * numbers as much as a new CPU does). Otherwise only ratios measured within each run compare.
     */
    public boolean sameMachineAs(RunEnvironment other) {
        return cpuModel.equals(other.cpuModel) && cpuCount == other.cpuCount
                && server.feature() == other.server.feature() && harness.feature() == other.harness.feature()
                && placement.mode().equals(other.placement.mode());
    }
}

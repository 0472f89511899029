package io.loombench.benchmarks.suite;

import io.loombench.benchmarks.CpuList;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where the server children and the load generator run. On a small machine a loopback write
 * wakes the reader on the writer's CPU, so an unpinned server and generator fight over cores and
 * the ranking of models changes from run to run; pinned apart, every model gets the same CPUs and
 * the JVM of each sees only its own share ({@link Runtime#availableProcessors()}).
 *
 * <p>The split: of the CPUs this process may use, the server gets the upper half (rounded down),
 * the generator the rest, so on 2 CPUs the server runs on CPU 1 and the generator on CPU 0, and
 * on 8 the server on 4-7. The generator never gets less than the server: it must not be the
 * bottleneck.
 */
final class Placement {
    private Placement() {
    }

    /** The CPUs this process may run on, from its affinity mask. */
    static List<Integer> allowedCpus() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Cpus_allowed_list:")) {
                return CpuList.parse(line.substring(line.indexOf(':') + 1));
            }
        }
        throw new IOException("no Cpus_allowed_list in /proc/self/status");
    }

    /**
     * Decides the placement.
     *
     * @param shared true for {@code -Dbench.cpus=shared}: both run on every allowed CPU
     * @return the placement; {@code shared} also when there is one CPU, or no taskset to pin with
     */
    static RunEnvironment.Placement decide(boolean shared, List<Integer> allowed, boolean tasksetInstalled) {
        String all = CpuList.format(allowed);
        if (shared || allowed.size() < 2 || !tasksetInstalled) {
            return new RunEnvironment.Placement("shared", all, all);
        }
        int serverCount = allowed.size() / 2;
        List<Integer> generator = allowed.subList(0, allowed.size() - serverCount);
        List<Integer> server = allowed.subList(allowed.size() - serverCount, allowed.size());
        return new RunEnvironment.Placement("pinned", CpuList.format(server), CpuList.format(generator));
    }

    static boolean tasksetInstalled() {
        try {
            Process process = new ProcessBuilder("taskset", "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Pins every thread of this JVM to the generator's CPUs; the JMH forks it starts inherit the
     * mask from their first instruction, and start their server children under taskset.
     */
    static void pinSelf(RunEnvironment.Placement placement) throws IOException, InterruptedException {
        if (!placement.pinned()) {
            return;
        }
        Process process = new ProcessBuilder("taskset", "-a", "-p", "-c", placement.generatorCpus(),
                Long.toString(ProcessHandle.current().pid())).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("taskset could not pin the generator to CPUs " + placement.generatorCpus() + ": " + output.strip());
        }
    }
}

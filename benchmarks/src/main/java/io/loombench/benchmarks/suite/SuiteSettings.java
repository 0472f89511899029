package io.loombench.benchmarks.suite;

import java.nio.file.Path;

/**
 * How a suite run was asked for: the {@code -Dbench.*} properties of {@code mvn verify -Pbench},
 * which the bench profile passes on to the runner.
 *
 * @param matrix       {@code bench.matrix}: default, full; or quick when {@code bench.quick} is set
 * @param include      {@code bench.include}: a regular expression over point ids; blank for all
 * @param serverJava   {@code bench.serverJava}: the {@code java} for server children; blank for the runner's own
 * @param serverJvmArgs {@code bench.serverJvmArgs}: flags for every server child
 * @param sharedCpus   {@code bench.cpus=shared}: no pinning
 * @param gate         {@code bench.gate}: compare with the baseline and fail on a regression (default true)
 * @param threshold    {@code bench.threshold}: the change the gate tolerates, as a share (default 0.10)
 * @param remeasure    {@code bench.remeasure}: at most this many points that regressed on their first
 *                     measurement are measured again before the gate judges (default 8; 0 for none)
 * @param resultsDir   {@code bench.results}: where runs are written (default results/)
 * @param baselineDir  {@code bench.baseline}: the baseline to gate against (default results/baseline)
 * @param serverJar    {@code bench.serverJar}: the server's runnable jar
 */
record SuiteSettings(String matrix, String include, String serverJava, String serverJvmArgs, boolean sharedCpus,
                     boolean gate, double threshold, int remeasure, Path resultsDir, Path baselineDir, Path serverJar) {

    /** How many regressed points a run measures again unless {@code bench.remeasure} says otherwise. */
    static final int DEFAULT_REMEASURE = 8;

    static SuiteSettings fromSystemProperties() {
        boolean quick = flag("bench.quick", false);
        String matrix = quick ? "quick" : System.getProperty("bench.matrix", "default").strip();
        String cpus = System.getProperty("bench.cpus", "pinned").strip();
        if (!cpus.equals("pinned") && !cpus.equals("shared")) {
            throw new IllegalArgumentException("bench.cpus must be pinned or shared, was '" + cpus + "'");
        }
        double threshold;
        try {
            threshold = Double.parseDouble(System.getProperty("bench.threshold", "0.10"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bench.threshold must be a share such as 0.10, was '" + System.getProperty("bench.threshold") + "'");
        }
        if (!(threshold > 0 && threshold < 10)) {
            throw new IllegalArgumentException("bench.threshold must be above 0, such as 0.10 for 10%, was " + threshold);
        }
        int remeasure = pointCount("bench.remeasure", DEFAULT_REMEASURE);
        Path results = fromWorkingDir(Path.of(System.getProperty("bench.results", "results")));
        return new SuiteSettings(matrix, System.getProperty("bench.include", "").strip(),
                System.getProperty("bench.serverJava", "").strip(), System.getProperty("bench.serverJvmArgs", "").strip(),
                cpus.equals("shared"), flag("bench.gate", true), threshold, remeasure, results,
                fromWorkingDir(Path.of(System.getProperty("bench.baseline", results.resolve("baseline").toString()))),
                fromWorkingDir(Path.of(System.getProperty("bench.serverJar", "server/target/server-0.1.0-SNAPSHOT-all.jar"))));
    }

    /**
     * A path as the run records and passes it on: relative to the working directory (the project,
     * where the bench profile starts the runner, and where every fork and server child starts too)
     * when it lies inside it, so that results name no checkout's location; absolute otherwise.
     */
    static Path fromWorkingDir(Path path) {
        Path workingDir = Path.of("").toAbsolutePath();
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(workingDir) ? workingDir.relativize(absolute) : absolute;
    }

    /** A count of points, 0 or more; an empty value (an unset profile property) means the default. */
    private static int pointCount(String name, int absent) {
        String value = System.getProperty(name, "").strip();
        if (value.isEmpty()) {
            return absent;
        }
        try {
            int count = Integer.parseInt(value);
            if (count >= 0) {
                return count;
            }
        } catch (NumberFormatException e) {
            // Said below, as for a negative count.
        }
        throw new IllegalArgumentException(name + " must be a count of points, 0 or more, was '" + value + "'");
    }

    /** A Maven flag: {@code -Dname} alone means true; an empty value (an unset profile property) means the default. */
    private static boolean flag(String name, boolean absent) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return absent;
        }
        return switch (value.strip().toLowerCase()) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false, was '" + value + "'");
        };
    }
}

package io.loombench.benchmarks.report;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loombench.benchmarks.suite.AgreementCheck;
import io.loombench.benchmarks.suite.RunEnvironment;
import io.loombench.benchmarks.suite.SuiteRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What one suite run left in its directory ({@code results/<UTC timestamp>/}, or
 * {@code results/baseline/}): JMH's JSON, the run's environment and the open-model points'
 * HdrHistogram interval logs.
 *
 * @param dir          the run directory
 * @param environment  {@code env.json}; empty when the run did not write one
 * @param points       every point of the suite's benchmarks in {@code jmh.json}, in its order
 * @param unknown      other benchmarks {@code jmh.json} holds, left out of the report
 * @param hlogs        {@code hlog/<point id>-<pid>.hlog} files by point id (one per JMH fork), sorted
 * @param notMeasured  points the run could not measure ({@code failures.json}), with why
 * @param agreement    the check against wrk and h2load ({@code agreement.json}), when it ran
 * @param remeasured   the first measurements of points the run measured twice ({@code remeasured.json});
 *                     {@code points} holds the second
 */
public record SuiteResults(Path dir, Optional<RunEnvironment> environment, List<Point> points,
                           SortedSet<String> unknown, Map<String, List<Path>> hlogs,
                           List<SuiteRunner.Failure> notMeasured, Optional<AgreementCheck.Agreement> agreement,
                           List<Remeasurement> remeasured) {

    public static final String JMH_JSON = "jmh.json";
    public static final String ENV_JSON = "env.json";
    public static final String HLOG_DIR = "hlog";

    private static final Pattern HLOG_NAME = Pattern.compile("(.+)-(\\d+)\\.hlog");
    // Lenient on unknown fields: a newer suite may record more than this report reads. NaN is how
    // the agreement check writes a CPU share it could not sample.
    private static final ObjectMapper ENV_MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS, true);

    public SuiteResults {
        points = List.copyOf(points);
        hlogs = Map.copyOf(hlogs);
        notMeasured = List.copyOf(notMeasured);
        remeasured = List.copyOf(remeasured);
    }

    /**
     * Reads a run directory.
     *
     * @throws java.nio.file.NoSuchFileException when it has no {@code jmh.json}
     * @throws IllegalArgumentException          when a file is not in the format the suite writes
     */
    public static SuiteResults read(Path dir) throws IOException {
        JmhJson.Contents jmh = JmhJson.read(dir.resolve(JMH_JSON));
        Path env = dir.resolve(ENV_JSON);
        Optional<RunEnvironment> environment = Files.exists(env)
                ? Optional.of(ENV_MAPPER.readValue(env.toFile(), RunEnvironment.class))
                : Optional.empty();
        Path failures = dir.resolve(SuiteRunner.Failure.FILE);
        List<SuiteRunner.Failure> notMeasured = Files.exists(failures)
                ? List.of(ENV_MAPPER.readValue(failures.toFile(), SuiteRunner.Failure[].class)) : List.of();
        Path agreement = dir.resolve(AgreementCheck.Agreement.FILE);
        Optional<AgreementCheck.Agreement> checked = Files.exists(agreement)
                ? Optional.of(ENV_MAPPER.readValue(agreement.toFile(), AgreementCheck.Agreement.class)) : Optional.empty();
        Path remeasured = dir.resolve(Remeasurement.FILE);
        List<Remeasurement> firsts = Files.exists(remeasured)
                ? List.of(ENV_MAPPER.readValue(remeasured.toFile(), Remeasurement[].class)) : List.of();
        return new SuiteResults(dir, environment, jmh.points(), jmh.unknown(), hlogs(dir.resolve(HLOG_DIR)), notMeasured, checked,
                firsts);
    }

    private static Map<String, List<Path>> hlogs(Path dir) throws IOException {
        Map<String, List<Path>> byPoint = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return byPoint;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                hlogPoint(file).ifPresent(point -> byPoint.computeIfAbsent(point, id -> new ArrayList<>()).add(file));
            }
        }
        return byPoint;
    }

    /** The id of the point an interval log is of, from its name {@code <point id>-<pid>.hlog}; empty for another file. */
    public static Optional<String> hlogPoint(Path file) {
        Matcher name = HLOG_NAME.matcher(file.getFileName().toString());
        return name.matches() ? Optional.of(name.group(1)) : Optional.empty();
    }

    public List<Point> points(Kind kind) {
        return points.stream().filter(p -> p.kind() == kind).toList();
    }

    public Optional<Point> point(String id) {
        return points.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /** The point's logs, every fork's intervals added; empty when the run kept none for it. */
    public Optional<LatencyLogs> latencyLogs(Point point) throws IOException {
        List<Path> files = hlogs.get(point.id());
        return files == null ? Optional.empty() : Optional.of(LatencyLogs.read(files));
    }

    /** The run's name: its directory's. */
    public String name() {
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return name == null ? dir.toString() : name.toString();
    }
}

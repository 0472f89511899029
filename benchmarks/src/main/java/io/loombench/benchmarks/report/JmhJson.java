package io.loombench.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads JMH's JSON result format (JMH's {@code JSONResultFormat}): an array with one object per
 * benchmark and parameter combination. JMH writes doubles that are not numbers as the strings
 * {@code "NaN"}, {@code "+INF"} and {@code "-INF"}, and every parameter value as a string.
 */
final class JmhJson {

    /**
     * @param points  the points of the suite's benchmarks, in the file's order
     * @param unknown benchmarks in the file that are none of {@link Kind}'s, left out
     */
    record Contents(List<Point> points, SortedSet<String> unknown) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JmhJson() {
    }

    static Contents read(Path file) throws IOException {
        JsonNode root;
        try (InputStream in = Files.newInputStream(file)) {
            root = MAPPER.readTree(in);
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException(file + ": not JMH's JSON (expected an array of results)");
        }
        List<Point> points = new ArrayList<>();
        SortedSet<String> unknown = new TreeSet<>();
        Set<String> ids = new HashSet<>();
        for (JsonNode result : root) {
            String benchmark = text(result, "benchmark", file);
            Kind kind = Kind.ofBenchmark(benchmark).orElse(null);
            if (kind == null) {
                unknown.add(benchmark);
                continue;
            }
            Point point = point(kind, result, file);
            // The id (and so the hlog file name) leaves out rate and SLO: one of each per cell.
            if (!ids.add(point.id())) {
                throw new IllegalArgumentException(file + ": two results share the point id " + point.id()
                        + " (a second rate or SLO for the same protocol, workload, connections and server?)");
            }
            points.add(point);
        }
        return new Contents(points, unknown);
    }

    private static Point point(Kind kind, JsonNode result, Path file) {
        String where = file + ": " + result.path("benchmark").asText();
        Map<String, String> params = new LinkedHashMap<>();
        result.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
        for (String required : List.of("server", "protocol", "workload", "connections")) {
            if (!params.containsKey(required)) {
                throw new IllegalArgumentException(where + " has no '" + required + "' parameter");
            }
        }
        int connections;
        try {
            connections = Integer.parseInt(params.get("connections"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": connections '" + params.get("connections") + "' is not an integer");
        }
        Cell cell = new Cell(params.get("protocol"), params.get("workload"), connections);
        Map<String, Score> secondaries = new TreeMap<>();
        result.path("secondaryMetrics").properties()
                .forEach(e -> secondaries.put(e.getKey(), score(e.getValue(), where + " " + e.getKey())));
        return new Point(kind, cell, params.get("server"), params,
                score(required(result, "primaryMetric", where), where + " primaryMetric"), secondaries);
    }

    private static Score score(JsonNode metric, String where) {
        List<List<Double>> raw = new ArrayList<>();
        for (JsonNode fork : metric.path("rawData")) {
            List<Double> iterations = new ArrayList<>();
            fork.forEach(v -> iterations.add(number(v, where + " rawData")));
            raw.add(iterations);
        }
        return new Score(number(required(metric, "score", where), where + " score"),
                number(required(metric, "scoreError", where), where + " scoreError"),
                metric.path("scoreUnit").asText(""), raw);
    }

    private static double number(JsonNode node, String where) {
        if (node.isNumber()) {
            return node.doubleValue();
        }
        return switch (node.asText()) {
            case "NaN" -> Double.NaN;
            case "+INF" -> Double.POSITIVE_INFINITY;
            case "-INF" -> Double.NEGATIVE_INFINITY;
            default -> throw new IllegalArgumentException(where + ": '" + node.asText() + "' is not a number");
        };
    }

    private static JsonNode required(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException(where + " has no '" + field + "'");
        }
        return value;
    }

    private static String text(JsonNode node, String field, Path file) {
        return required(node, field, file.toString()).asText();
    }
}

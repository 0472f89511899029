package io.loombench.loadgen.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loombench.common.Cli;
import io.loombench.common.CpuSteal;
import io.loombench.common.Environment;
import io.loombench.loadgen.EncodedHistograms;
import io.loombench.loadgen.LoadError;
import io.loombench.loadgen.LatencyHistograms;
import io.loombench.loadgen.LoadResult;
import io.loombench.loadgen.LoadSpec;
import io.loombench.loadgen.Phase;
import io.loombench.loadgen.Shard;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code --json} output read back, for {@code loadgen merge}: the shards it holds, its spec's
 * hash, and its result, whose spec is the whole run's ({@link JsonReport} writes the format).
 *
 * @param path        where it was read from
 * @param specHash    the hash of the run's spec; equal for the shards of one run
 * @param coverage    the shards it holds
 * @param hostname    the host it ran on (a merge: the host that merged)
 * @param threads     its worker threads
 * @param exitCode    the exit code its command gave
 * @param interrupted true when a signal cut it short
 * @param result      what it measured, with the whole run's spec
 */
record RunFile(Path path, String specHash, Coverage coverage, String hostname, int threads, int exitCode, boolean interrupted,
               LoadResult result) {

    /**
     * Reads {@code path}.
     *
     * @throws Cli.InputFailure in one line naming the file and what is wrong with it
     */
    static RunFile read(Path path) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(path));
        } catch (JsonProcessingException e) {
            throw new Cli.InputFailure(path + " is not a loadgen --json output: it is not JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new Cli.InputFailure("cannot read " + path + ": " + Cli.describe(e));
        }
        try {
            return parse(path, root);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new Cli.InputFailure(path + " is not a loadgen --json output: " + e.getMessage());
        }
    }

    private static RunFile parse(Path path, JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("it is not a JSON object");
        }
        String format = root.path("format").asText("");
        if (!format.equals(JsonReport.FORMAT)) {
            throw new IllegalArgumentException("its format is '" + format + "', not " + JsonReport.FORMAT
                    + (format.isEmpty() ? "" : " (written by another version, or by --find-capacity, whose steps are not shards)"));
        }
        JsonNode shards = field(root, "shards");
        List<Integer> present = new ArrayList<>();
        field(shards, "present").forEach(index -> present.add(index.asInt()));
        Coverage coverage = new Coverage(field(shards, "count").asInt(), present);
        JsonNode environment = field(root, "environment");
        int threads = field(field(root, "spec"), "threads").asInt();
        LoadSpec spec = SpecJson.read(field(root, "spec"), Shard.WHOLE, threads);
        return new RunFile(path, field(root, "specHash").asText(), coverage, environment.path("hostname").asText("unknown"), threads,
                field(root, "exitCode").asInt(), root.path("interrupted").asBoolean(), result(root, spec, environment(environment)));
    }

    private static LoadResult result(JsonNode root, LoadSpec spec, Environment environment) {
        Map<LoadError, Long> errors = new EnumMap<>(LoadError.class);
        for (LoadError kind : LoadError.values()) {
            errors.put(kind, field(root, "errors").path(kind.name().toLowerCase(Locale.ROOT)).asLong(0));
        }
        Map<String, Long> statusClasses = new LinkedHashMap<>();
        field(root, "statusClasses").fields().forEachRemaining(e -> statusClasses.put(e.getKey(), e.getValue().asLong()));
        List<LoadResult.IntervalSummary> intervals = new ArrayList<>();
        field(root, "intervals").forEach(interval -> intervals.add(interval(interval)));
        List<String> warnings = new ArrayList<>();
        field(root, "warnings").forEach(warning -> warnings.add(warning.asText()));
        JsonNode latency = field(root, "latency");
        return new LoadResult(spec, environment, instant(root, "startedAt"), instant(root, "measuredStart"),
                field(root, "lateSeconds").asDouble(), field(root, "openingSeconds").asDouble(), field(root, "measuredSeconds").asDouble(),
                field(root, "requested").asLong(), field(root, "sent").asLong(), field(root, "completed").asLong(),
                field(root, "unsent").asLong(), errors, statusClasses, field(root, "bytesSent").asLong(),
                field(root, "bytesReceived").asLong(), field(root, "peakConnections").asLong(), field(root, "connects").asLong(),
                field(root, "stalledConnects").asLong(), field(root, "reordered").asLong(), field(root, "late").asLong(),
                histogram(latency, "response"), histogram(latency, "service"), histogram(latency, "sendLag"), intervals,
                field(root, "stoppedEarly").asBoolean(), cpuSteal(root.path("cpuSteal")), warnings);
    }

    /** Absent from the files of runs that could not read it, and from those of older versions. */
    private static Optional<CpuSteal.Share> cpuSteal(JsonNode steal) {
        if (!steal.isObject()) {
            return Optional.empty();
        }
        return Optional.of(new CpuSteal.Share(field(steal, "cpus").asText(), field(steal, "share").asDouble()));
    }

    private static LoadResult.IntervalSummary interval(JsonNode interval) {
        JsonNode histograms = interval.path("histograms");
        EncodedHistograms encoded = histograms.isMissingNode() ? EncodedHistograms.EMPTY
                : new EncodedHistograms(bytes(histograms, "response"), bytes(histograms, "service"), bytes(histograms, "sendLag"));
        return new LoadResult.IntervalSummary(field(interval, "start").asLong(), field(interval, "end").asLong(),
                field(interval, "elapsedSeconds").asDouble(), Phase.valueOf(field(interval, "phase").asText().toUpperCase(Locale.ROOT)),
                field(interval, "rate").asDouble(), field(interval, "completed").asLong(), field(interval, "errors").asLong(),
                field(interval, "peakConnections").asLong(), field(interval, "p50").asLong(), field(interval, "p99").asLong(),
                field(interval, "max").asLong(), encoded);
    }

    private static byte[] bytes(JsonNode node, String name) {
        byte[] bytes = Base64.getDecoder().decode(field(node, name).asText());
        LatencyHistograms.decode(bytes);
        return bytes;
    }

    private static Histogram histogram(JsonNode latency, String name) {
        return LatencyHistograms.fromBase64(field(field(latency, name), "histogram").asText());
    }

    private static Environment environment(JsonNode node) {
        List<String> arguments = new ArrayList<>();
        node.path("jvmArguments").forEach(argument -> arguments.add(argument.asText()));
        return new Environment(node.path("javaVersion").asText(), node.path("javaVendor").asText(), node.path("vmName").asText(),
                arguments, node.path("processors").asInt(), node.path("maxHeapBytes").asLong(), node.path("os").asText(),
                node.path("hostname").asText("unknown"), node.path("commit").asText("unknown"), instant(node, "capturedAt"));
    }

    private static Instant instant(JsonNode node, String name) {
        return Instant.parse(field(node, name).asText());
    }

    private static JsonNode field(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("it has no '" + name + "'");
        }
        return value;
    }
}

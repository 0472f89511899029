package io.loombench.loadgen.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.loombench.common.CpuSteal;
import io.loombench.common.Environment;
import io.loombench.loadgen.EncodedHistograms;
import io.loombench.loadgen.LatencyHistograms;
import io.loombench.loadgen.LoadResult;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code --json} summary: the spec and its hash, the shards it covers, the environment, the
 * counts and, for each of the three latency kinds, its percentiles and the whole histogram
 * (compressed, base64, as HdrHistogram encodes it), and the same histograms for every interval,
 * so that the shards of a run can be merged later without loss ({@link RunFile} reads it back).
 */
final class JsonReport {
    static final String FORMAT = "loombench-loadgen/2";

    private JsonReport() {
    }

    /**
     * @param exitCode the command's exit status (128 + the signal's number when one interrupted the run)
     * @param signal   the signal that interrupted the run, such as {@code SIGINT}; empty when none did
     */
    static void write(LoadResult result, String commandLine, int exitCode, Optional<String> signal, OutputStream out) throws IOException {
        write(tree(result, commandLine, exitCode, signal), out);
    }

    /** Writes a {@link #tree}, indented. */
    static void write(Map<String, Object> tree, OutputStream out) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out, tree);
    }

    static Map<String, Object> tree(LoadResult result, String commandLine, int exitCode, Optional<String> signal) {
        return tree(result, commandLine, exitCode, signal, Coverage.of(result.spec().shard()));
    }

    /** @param coverage the shards the result holds: one for a run, those merged for a merge */
    static Map<String, Object> tree(LoadResult result, String commandLine, int exitCode, Optional<String> signal, Coverage coverage) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("command", commandLine);
        root.put("exitCode", exitCode);
        root.put("interrupted", signal.isPresent());
        root.put("signal", signal.orElse(null));
        Map<String, Object> spec = SpecJson.write(result.spec());
        root.put("spec", spec);
        root.put("specHash", SpecJson.hash(spec));
        root.put("shards", coverage.tree());
        root.put("environment", environment(result.environment()));
        root.putAll(measurements(result));
        return root;
    }

    /** What one run measured: its counts, latencies, intervals and warnings, without the spec or the environment. */
    static Map<String, Object> measurements(LoadResult result) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("startedAt", result.startedAt().toString());
        root.put("measuredStart", result.measuredStart().toString());
        root.put("lateSeconds", result.lateSeconds());
        root.put("startedLate", result.startedLate());
        root.put("openingSeconds", result.openingSeconds());
        root.put("measuredSeconds", result.measuredSeconds());
        root.put("stoppedEarly", result.stoppedEarly());
        root.put("requested", result.requested());
        root.put("sent", result.sent());
        root.put("completed", result.completed());
        root.put("unsent", result.unsent());
        root.put("achievedRate", result.achievedRate());
        Map<String, Long> errors = new LinkedHashMap<>();
        result.errors().forEach((kind, count) -> errors.put(kind.name().toLowerCase(), count));
        root.put("errors", errors);
        root.put("statusClasses", result.statusClasses());
        root.put("bytesSent", result.bytesSent());
        root.put("bytesReceived", result.bytesReceived());
        root.put("peakConnections", result.peakConnections());
        root.put("connects", result.connects());
        root.put("stalledConnects", result.stalledConnects());
        root.put("reordered", result.reordered());
        root.put("late", result.late());
        root.put("cpuSteal", result.cpuSteal().map(JsonReport::steal).orElse(null));
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("unit", "microseconds");
        latency.put("response", histogram(result.response()));
        latency.put("service", histogram(result.service()));
        latency.put("sendLag", histogram(result.sendLag()));
        root.put("latency", latency);
        root.put("intervals", result.intervals().stream().map(JsonReport::interval).toList());
        root.put("warnings", result.warnings());
        return root;
    }

    private static Map<String, Object> steal(CpuSteal.Share steal) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("cpus", steal.cpus());
        map.put("share", steal.share());
        return map;
    }

    static Map<String, Object> environment(Environment environment) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("javaVersion", environment.javaVersion());
        map.put("javaVendor", environment.javaVendor());
        map.put("vmName", environment.vmName());
        map.put("jvmArguments", environment.jvmArguments());
        map.put("processors", environment.processors());
        map.put("maxHeapBytes", environment.maxHeapBytes());
        map.put("os", environment.os());
        map.put("hostname", environment.hostname());
        map.put("commit", environment.commit());
        map.put("capturedAt", environment.capturedAt().toString());
        return map;
    }

    private static Map<String, Object> histogram(Histogram histogram) {
        Map<String, Object> map = new LinkedHashMap<>();
        long count = histogram.getTotalCount();
        map.put("count", count);
        if (count > 0) {
            map.put("min", histogram.getMinValue());
            map.put("mean", histogram.getMean());
            map.put("stddev", histogram.getStdDeviation());
            map.put("max", histogram.getMaxValue());
            Map<String, Long> percentiles = new LinkedHashMap<>();
            for (double percentile : Summary.PERCENTILES) {
                percentiles.put(trim(percentile), histogram.getValueAtPercentile(percentile));
            }
            percentiles.put("99.999", histogram.getValueAtPercentile(99.999));
            map.put("percentiles", percentiles);
        }
        map.put("histogram", LatencyHistograms.base64(histogram));
        return map;
    }

    private static Map<String, Object> interval(LoadResult.IntervalSummary interval) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("start", interval.startMillis());
        map.put("end", interval.endMillis());
        map.put("elapsedSeconds", interval.elapsedSeconds());
        map.put("phase", interval.phase().name().toLowerCase());
        map.put("rate", interval.rate());
        map.put("completed", interval.completed());
        map.put("errors", interval.errors());
        map.put("peakConnections", interval.peakConnections());
        map.put("p50", interval.p50Micros());
        map.put("p99", interval.p99Micros());
        map.put("max", interval.maxMicros());
        EncodedHistograms histograms = interval.histograms();
        if (!histograms.empty()) {
            Base64.Encoder base64 = Base64.getEncoder();
            map.put("histograms", Map.of("response", base64.encodeToString(histograms.response()),
                    "service", base64.encodeToString(histograms.service()), "sendLag", base64.encodeToString(histograms.sendLag())));
        }
        return map;
    }

    private static String trim(double percentile) {
        return percentile == Math.rint(percentile) ? Long.toString((long) percentile) : Double.toString(percentile);
    }
}

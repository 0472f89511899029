package io.loombench.loadgen.cli;

import io.loombench.loadgen.LoadError;
import io.loombench.loadgen.LoadProtocol;
import io.loombench.loadgen.LoadResult;
import io.loombench.loadgen.LoadSpec;
import io.loombench.loadgen.Start;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Map;
import java.util.stream.Collectors;

/** The human-readable end-of-run report. */
final class Summary {
    static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};

    private Summary() {
    }

    /** @param signal the signal that interrupted the run, such as {@code SIGINT}; empty when none did */
    static String format(LoadResult result, String title, Optional<String> signal) {
        LoadSpec spec = result.spec();
        StringBuilder text = new StringBuilder();
        text.append(title).append('\n');
        if (signal.isPresent()) {
            text.append(String.format(Locale.ROOT, "  INTERRUPTED by %s after %.1f s: the figures cover only the part that ran%n",
                    signal.get(), Duration.between(result.startedAt(), Instant.now()).toMillis() / 1000.0));
        }
        text.append("  ").append(describeLoad(spec)).append('\n');
        if (!spec.shard().whole()) {
            text.append(String.format(Locale.ROOT, "  shard %s: %,d of the run's %,d connections%s%n", spec.shard(), spec.localConnections(),
                    spec.connections(), spec.closedModel() ? "" : String.format(Locale.ROOT, ", %,.1f of its %,.1f req/s", spec.localRate(), spec.rate())));
        }
        if (spec.start() instanceof Start.At at) {
            text.append(String.format(Locale.ROOT, "  warm-up from --start-at %s, measured from %s; %s%n", at.instant(), result.measuredStart(),
                    result.startedLate() ? String.format(Locale.ROOT, "LATE: the last connection opened %.3f s after the start", result.lateSeconds())
                            : "every connection was open in time"));
        }
        double scheduledSeconds = spec.duration().toMillis() / 1000.0;
        boolean overran = result.measuredSeconds() > scheduledSeconds + 0.05;
        String overrun = overran
                ? String.format(Locale.ROOT, ", then %.1f s more to send the requests it left waiting", result.measuredSeconds() - scheduledSeconds)
                : "";
        text.append(String.format(Locale.ROOT, "  %.1f s measured after %.1f s warm-up%s; %s %.1f s%n",
                Math.min(result.measuredSeconds(), scheduledSeconds), spec.warmup().toMillis() / 1000.0, overrun,
                spec.start() instanceof Start.At ? "from launch to --start-at" : "connections opened over", result.openingSeconds()));
        text.append('\n');
        line(text, "requests", String.format(Locale.ROOT, "%,d measured and answered, %,d sent in all phases%s", result.completed(), result.sent(),
                spec.closedModel() ? "" : String.format(Locale.ROOT, ", %,d requested, %,d due but never sent", result.requested(), result.unsent())));
        String throughput = String.format(Locale.ROOT, "%,.1f req/s", result.achievedRate());
        if (!spec.closedModel()) {
            throughput += String.format(Locale.ROOT, " (%.2f%% of the %,.1f requested)", 100 * result.achievedRate() / spec.localRate(), spec.localRate());
        }
        if (overran) {
            throughput += String.format(Locale.ROOT, ", over those %.1f s", result.measuredSeconds());
        }
        line(text, "throughput", throughput);
        line(text, "transfer", "all phases: sent " + bytes(result.bytesSent()) + ", received " + bytes(result.bytesReceived()));
        line(text, "errors", result.failed() ? "all phases: " + errors(result.errors()) : "none");
        if (spec.protocol() == LoadProtocol.HTTP) {
            line(text, "status", result.statusClasses().isEmpty() ? "none" : "all phases: " + result.statusClasses().entrySet().stream()
                    .map(e -> String.format(Locale.ROOT, "%s %,d", e.getKey(), e.getValue()))
                    .collect(Collectors.joining(", ")));
        }
        if (spec.protocol() == LoadProtocol.UDP_ECHO) {
            line(text, "datagrams", String.format(Locale.ROOT, "lost %,d, duplicated %,d, reordered %,d, late %,d",
                    result.errors(LoadError.LOST), result.errors(LoadError.DUPLICATE), result.reordered(), result.late()));
        }
        line(text, "connections", String.format(Locale.ROOT, "%,d open at peak of %,d asked, %,d connects%s",
                result.peakConnections(), spec.localConnections(), result.connects(), result.stalledConnects() == 0 ? ""
                        : String.format(Locale.ROOT, " (%,d more attempts stalled, the target's listen queue full, and were made again)",
                        result.stalledConnects())));
        result.cpuSteal().ifPresent(steal -> line(text, "cpu steal", String.format(Locale.ROOT,
                "%.1f%% of the generator's %s in the measured period, taken by the hypervisor", 100 * steal.share(), steal.cpusNamed())));
        text.append('\n');
        text.append(String.format(Locale.ROOT, "  %-14s%10s%10s%10s%10s%10s%10s%12s%n", "latency (ms)", "p50", "p90", "p99", "p99.9", "p99.99", "max", "count"));
        latencyRow(text, spec.closedModel() ? "response" : "response*", result.response(), null);
        latencyRow(text, "service", result.service(), null);
        latencyRow(text, "send lag", result.sendLag(), spec.closedModel() ? "n/a in the closed model" : null);
        if (!spec.closedModel()) {
            text.append("  * from each request's intended send time, so a stall shows in every request it delayed\n");
        } else if (spec.pipeline() == 1) {
            text.append("  closed model: a request is sent when the previous answer arrives, so response = service time\n");
        } else {
            text.append(String.format(Locale.ROOT, "  closed model: each connection keeps up to %d requests in flight, sending the next as soon as"
                    + " an answer frees a slot; latency counts from the actual send, so response = service time%n", spec.pipeline()));
        }
        for (String warning : result.warnings()) {
            text.append("WARNING: ").append(warning).append('\n');
        }
        return text.toString();
    }

    static String describeLoad(LoadSpec spec) {
        int threads = Math.min(spec.threads(), spec.localConnections());
        String connections = String.format(Locale.ROOT, "%,d connection%s, %d thread%s, pipeline %d",
                spec.localConnections(), spec.localConnections() == 1 ? "" : "s", threads, threads == 1 ? "" : "s", spec.pipeline());
        if (spec.closedModel()) {
            return "closed model (flat out), " + connections;
        }
        return String.format(Locale.ROOT, "open model at %,.1f req/s (%s arrivals), %s",
                spec.localRate(), spec.arrivals().name().toLowerCase(Locale.ROOT), connections);
    }

    private static void line(StringBuilder text, String label, String value) {
        text.append(String.format(Locale.ROOT, "  %-14s%s%n", label, value));
    }

    private static void latencyRow(StringBuilder text, String label, Histogram histogram, String instead) {
        text.append(String.format(Locale.ROOT, "  %-14s", label));
        if (instead != null) {
            text.append(instead).append('\n');
            return;
        }
        if (histogram.getTotalCount() == 0) {
            text.append("no measured answers\n");
            return;
        }
        for (double percentile : PERCENTILES) {
            text.append(String.format(Locale.ROOT, "%10.3f", histogram.getValueAtPercentile(percentile) / 1000.0));
        }
        text.append(String.format(Locale.ROOT, "%10.3f%12d%n", histogram.getMaxValue() / 1000.0, histogram.getTotalCount()));
    }

    static String errors(Map<LoadError, Long> errors) {
        String listed = errors.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .map(e -> String.format(Locale.ROOT, "%s %,d", e.getKey().name().toLowerCase(Locale.ROOT), e.getValue()))
                .collect(Collectors.joining(", "));
        return listed.isEmpty() ? "none" : listed;
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = n;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}

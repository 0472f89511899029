package io.loombench.loadgen.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loombench.loadgen.Arrivals;
import io.loombench.loadgen.HttpRequestSpec;
import io.loombench.loadgen.LoadProtocol;
import io.loombench.loadgen.LoadSpec;
import io.loombench.loadgen.Shard;
import io.loombench.loadgen.Start;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A {@link LoadSpec} as the {@code "spec"} object of the JSON output, read back the same way, and
 * its hash: what identifies a run split into shards.
 */
final class SpecJson {
    /**
     * What may differ between the shards of one run: which shard, the local addresses, the worker
     * threads (each host its own), and the values derived from the shard. Everything else is the
     * run's, and is hashed. The shard count is left out too, so that a merge of some shards hashes
     * as they do; a merge compares the counts on their own.
     */
    private static final Set<String> PER_SHARD = Set.of("shard", "shardCount", "threads", "bind", "shardConnections", "shardRate",
            "shardMaxRequests");

    private SpecJson() {
    }

    static Map<String, Object> write(LoadSpec spec) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("protocol", spec.protocol().name().toLowerCase(Locale.ROOT));
        map.put("target", spec.target().getAddress().getHostAddress() + ":" + spec.target().getPort());
        if (spec.http() != null) {
            map.put("method", spec.http().method());
            map.put("path", spec.http().target());
            map.put("hostHeader", spec.http().hostHeader());
            map.put("headers", spec.http().headers());
            map.put("bodyBytes", spec.http().body().length);
            map.put("body", Base64.getEncoder().encodeToString(spec.http().body()));
        }
        map.put("connections", spec.connections());
        map.put("threads", Math.min(spec.threads(), spec.localConnections()));
        map.put("model", spec.closedModel() ? "closed" : "open");
        map.put("rate", spec.rate());
        map.put("arrivals", spec.arrivals().name().toLowerCase(Locale.ROOT));
        map.put("seed", spec.seed());
        map.put("durationSeconds", spec.duration().toNanos() / 1e9);
        map.put("warmupSeconds", spec.warmup().toNanos() / 1e9);
        map.put("rampUpSeconds", spec.rampUp().toNanos() / 1e9);
        map.put("maxRequests", spec.maxRequests());
        map.put("payloadBytes", spec.payloadBytes());
        map.put("pipeline", spec.pipeline());
        map.put("timeoutSeconds", spec.timeout().toNanos() / 1e9);
        map.put("connectTimeoutSeconds", spec.connectTimeout().toNanos() / 1e9);
        map.put("connectRate", spec.connectRate());
        map.put("bind", spec.bindAddresses().stream().map(InetAddress::getHostAddress).toList());
        map.put("failFast", spec.failFast());
        map.put("shard", spec.shard().toString());
        map.put("shardCount", spec.shard().count());
        map.put("shardConnections", spec.localConnections());
        map.put("shardRate", spec.localRate());
        map.put("shardMaxRequests", spec.localMaxRequests());
        map.put("startAt", spec.start() instanceof Start.At at ? at.instant().toString() : null);
        return map;
    }

    /**
     * The first 16 hex digits of the SHA-256 of the spec's run-wide values, in {@link #write}'s
     * order: equal for the shards of one run, different when any value of the run differs.
     */
    static String hash(Map<String, Object> written) {
        Map<String, Object> runWide = new LinkedHashMap<>(written);
        runWide.keySet().removeAll(PER_SHARD);
        try {
            byte[] canonical = new ObjectMapper().writeValueAsBytes(runWide);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical), 0, 8);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash a spec", e);
        }
    }

    /**
     * The whole run's spec, from a shard's {@code "spec"} object: the shard's own values (which
     * shard, its threads, its local addresses) are replaced by {@code shard} and {@code threads}.
     * The target is not checked for loopback: nothing will be sent to it.
     *
     * @throws IllegalArgumentException naming the field that is missing or not valid
     */
    static LoadSpec read(JsonNode spec, Shard shard, int threads) {
        LoadProtocol protocol = switch (text(spec, "protocol")) {
            case "http" -> LoadProtocol.HTTP;
            case "tcp_echo" -> LoadProtocol.TCP_ECHO;
            case "udp_echo" -> LoadProtocol.UDP_ECHO;
            default -> throw new IllegalArgumentException("spec.protocol '" + text(spec, "protocol") + "' is not http, tcp_echo or udp_echo");
        };
        LoadSpec.Builder builder = LoadSpec.builder(protocol, target(text(spec, "target")));
        if (protocol == LoadProtocol.HTTP) {
            List<String> headers = new ArrayList<>();
            field(spec, "headers").forEach(header -> headers.add(header.asText()));
            byte[] body = Base64.getDecoder().decode(text(spec, "body"));
            builder.http(new HttpRequestSpec(text(spec, "method"), text(spec, "path"), text(spec, "hostHeader"), headers, body));
        }
        String startAt = field(spec, "startAt").isNull() ? null : text(spec, "startAt");
        try {
            return builder.connections(number(spec, "connections").intValue()).threads(threads)
                    .rate(number(spec, "rate").doubleValue())
                    .arrivals(Arrivals.valueOf(text(spec, "arrivals").toUpperCase(Locale.ROOT)))
                    .seed(number(spec, "seed").longValue())
                    .duration(seconds(spec, "durationSeconds")).warmup(seconds(spec, "warmupSeconds"))
                    .rampUp(seconds(spec, "rampUpSeconds")).maxRequests(number(spec, "maxRequests").longValue())
                    .payloadBytes(number(spec, "payloadBytes").intValue()).pipeline(number(spec, "pipeline").intValue())
                    .timeout(seconds(spec, "timeoutSeconds")).connectTimeout(seconds(spec, "connectTimeoutSeconds"))
                    .connectRate(number(spec, "connectRate").intValue()).failFast(field(spec, "failFast").asBoolean())
                    .allowNonLoopback(true).shard(shard)
                    .start(startAt == null ? Start.WHEN_OPEN : new Start.At(Instant.parse(startAt)))
                    .build();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("spec.startAt '" + startAt + "' is not an instant");
        }
    }

    private static JsonNode field(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null) {
            throw new IllegalArgumentException("spec." + name + " is missing");
        }
        return value;
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = field(node, name);
        if (!value.isTextual()) {
            throw new IllegalArgumentException("spec." + name + " is not text");
        }
        return value.asText();
    }

    private static Number number(JsonNode node, String name) {
        JsonNode value = field(node, name);
        if (!value.isNumber()) {
            throw new IllegalArgumentException("spec." + name + " is not a number");
        }
        return value.numberValue();
    }

    private static Duration seconds(JsonNode node, String name) {
        return Duration.ofNanos(Math.round(number(node, name).doubleValue() * 1e9));
    }

    private static InetSocketAddress target(String text) {
        int colon = text.lastIndexOf(':');
        try {
            return new InetSocketAddress(InetAddress.getByName(text.substring(0, colon)), Integer.parseInt(text.substring(colon + 1)));
        } catch (UnknownHostException | RuntimeException e) {
            throw new IllegalArgumentException("spec.target '" + text + "' is not an address and a port");
        }
    }
}

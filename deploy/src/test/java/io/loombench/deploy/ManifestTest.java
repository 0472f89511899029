package io.loombench.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.loombench.common.Cli;
import io.loombench.loadgen.Shard;
import io.loombench.loadgen.cli.LoadgenMain;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kubernetes manifests under {@code deploy/k8s}, checked for what the shards rely on, since no
 * cluster is reachable from the build: an Indexed Job whose pods take their shard from
 * {@code JOB_COMPLETION_INDEX}, as many shards as completions and parallelism, one per node, one
 * {@code --start-at} for all, an output file per shard on the shared volume, and a merge of
 * exactly those files.
 */
class ManifestTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode manifest(String name) throws IOException {
        try (InputStream in = ManifestTest.class.getResourceAsStream("/k8s/" + name)) {
            assertThat(in).as(name + " on the class path").isNotNull();
            return YAML.readTree(in);
        }
    }

    private static List<String> args(JsonNode job) {
        List<String> args = new ArrayList<>();
        job.at("/spec/template/spec/containers/0/args").forEach(arg -> args.add(arg.asText()));
        return args;
    }

    /** The value after {@code option} in {@code args}. */
    private static String after(List<String> args, String option) {
        int at = args.indexOf(option);
        assertThat(at).as("%s in %s", option, args).isNotNegative();
        return args.get(at + 1);
    }

    private static String env(JsonNode job, String name) {
        for (JsonNode variable : job.at("/spec/template/spec/containers/0/env")) {
            if (variable.get("name").asText().equals(name)) {
                return variable.get("value").asText();
            }
        }
        throw new AssertionError("no env " + name);
    }

    @Test
    void theLoadIsAnIndexedJobOfOneShardPerPod() throws IOException {
        JsonNode job = manifest("loadgen-job.yaml");
        assertThat(job.get("kind").asText()).isEqualTo("Job");
        assertThat(job.at("/spec/completionMode").asText()).isEqualTo("Indexed");
        int shards = Integer.parseInt(env(job, "SHARDS"));
        assertThat(job.at("/spec/completions").asInt()).isEqualTo(shards);
        assertThat(job.at("/spec/parallelism").asInt()).as("every shard at once").isEqualTo(shards);
        assertThat(job.at("/spec/template/spec/restartPolicy").asText()).isEqualTo("Never");
        assertThat(job.at("/spec/backoffLimit").asInt()).as("a failed shard is not rerun into a different timeline").isZero();

        List<String> args = args(job);
        assertThat(after(args, "--shard")).isEqualTo("$(JOB_COMPLETION_INDEX)/$(SHARDS)");
        assertThat(after(args, "--start-at")).isEqualTo("$(START_AT)");
        assertThat(after(args, "--json")).startsWith("/results/").contains("$(JOB_COMPLETION_INDEX)");
        assertThat(after(args, "--hlog")).startsWith("/results/").contains("$(JOB_COMPLETION_INDEX)");
        assertThat(args).contains("--allow-non-loopback");
        assertThat(job.at("/spec/template/spec/containers/0/image").asText()).startsWith("loombench/loadgen:");
        assertThat(job.at("/spec/template/spec/containers/0/volumeMounts/0/mountPath").asText()).isEqualTo("/results");
    }

    @Test
    void shardsSpreadOverNodes() throws IOException {
        JsonNode job = manifest("loadgen-job.yaml");
        JsonNode term = job.at("/spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/0");
        assertThat(term.get("topologyKey").asText()).isEqualTo("kubernetes.io/hostname");
        assertThat(term.at("/labelSelector/matchLabels")).isEqualTo(job.at("/spec/template/metadata/labels"));
    }

    @Test
    void theMergeReadsEveryShardsOutputFromTheSameVolume() throws IOException {
        JsonNode load = manifest("loadgen-job.yaml");
        JsonNode merge = manifest("merge-job.yaml");
        int shards = Integer.parseInt(env(load, "SHARDS"));
        List<String> args = args(merge);
        assertThat(args.get(0)).isEqualTo("merge");
        List<String> expected = new ArrayList<>();
        for (int shard = 0; shard < shards; shard++) {
            expected.add(after(args(load), "--json").replace("$(JOB_COMPLETION_INDEX)", Integer.toString(shard)));
        }
        assertThat(args).containsAll(expected);
        assertThat(merge.at("/spec/template/spec/volumes/0/persistentVolumeClaim/claimName"))
                .isEqualTo(load.at("/spec/template/spec/volumes/0/persistentVolumeClaim/claimName"));
        assertThat(manifest("results-pvc.yaml").at("/metadata/name").asText())
                .isEqualTo(load.at("/spec/template/spec/volumes/0/persistentVolumeClaim/claimName").asText());
    }

    /**
     * The pods' arguments, with the values Kubernetes puts in for {@code $(NAME)}, are what the
     * loadgen CLI accepts: the shard, the start and the outputs parse, and the shard is the pod's.
     */
    @Test
    void theArgumentsAreWhatTheCliAccepts() throws IOException {
        JsonNode load = manifest("loadgen-job.yaml");
        List<String> args = new ArrayList<>();
        for (String arg : args(load)) {
            args.add(arg.replace("$(JOB_COMPLETION_INDEX)", "2").replace("$(SHARDS)", env(load, "SHARDS"))
                    .replace("$(TARGET)", env(load, "TARGET")).replace("$(START_AT)", "2026-12-01T18:30:00Z"));
        }
        CommandLine.ParseResult shard = Cli.commandLine(new LoadgenMain()).parseArgs(args.toArray(String[]::new)).subcommand();
        assertThat(shard.commandSpec().name()).isEqualTo("http");
        assertThat(shard.<Shard>matchedOptionValue("--shard", null)).isEqualTo(new Shard(2, Integer.parseInt(env(load, "SHARDS"))));
        assertThat(shard.<Instant>matchedOptionValue("--start-at", null)).isEqualTo(Instant.parse("2026-12-01T18:30:00Z"));

        CommandLine.ParseResult merge = Cli.commandLine(new LoadgenMain()).parseArgs(args(manifest("merge-job.yaml")).toArray(String[]::new))
                .subcommand();
        assertThat(merge.commandSpec().name()).isEqualTo("merge");
        assertThat(merge.matchedPositionals()).isNotEmpty();
    }
}

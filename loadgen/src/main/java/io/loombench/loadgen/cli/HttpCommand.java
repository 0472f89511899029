package io.loombench.loadgen.cli;

import io.loombench.common.Cli;
import io.loombench.loadgen.HttpRequestSpec;
import io.loombench.loadgen.LoadProtocol;
import io.loombench.loadgen.LoadSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

@Command(name = "http", sortOptions = false, usageHelpAutoWidth = true, abbreviateSynopsis = true, mixinStandardHelpOptions = true, version = LoadgenMain.VERSION,
        description = "HTTP/1.1 load with keep-alive: the same request on every connection; responses framed, validated and counted by status class.")
final class HttpCommand extends LoadCommand {
    @Parameters(index = "0", paramLabel = "URL", description = "http://host[:port]/path[?query]")
    String url;

    @Option(names = {"-m", "--method"}, defaultValue = "GET", description = "Request method. Default: ${DEFAULT-VALUE}.")
    String method;

    @Option(names = {"-H", "--header"}, paramLabel = "'Name: value'", description = "An extra request header; repeatable.")
    List<String> headers = new ArrayList<>();

    @Option(names = "--body", paramLabel = "TEXT", description = "Request body (sent with Content-Length).")
    String body;

    @Option(names = "--body-file", paramLabel = "FILE", description = "Request body read from a file.")
    Path bodyFile;

    @Override
    LoadSpec spec() {
        Targets.HttpTarget target = Targets.url(url);
        HttpRequestSpec request = new HttpRequestSpec(method, target.requestTarget(), target.hostHeader(), headers, body());
        return options.applyTo(LoadSpec.builder(LoadProtocol.HTTP, target.address())).http(request).build();
    }

    private byte[] body() {
        if (body != null && bodyFile != null) {
            throw new IllegalArgumentException("give --body or --body-file, not both");
        }
        if (bodyFile != null) {
            try {
                return Files.readAllBytes(bodyFile);
            } catch (IOException e) {
                throw new Cli.InputFailure("cannot read --body-file " + bodyFile + ": " + Cli.describe(e));
            }
        }
        return body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    String targetText() {
        return url;
    }
}

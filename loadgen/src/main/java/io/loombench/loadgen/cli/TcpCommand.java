package io.loombench.loadgen.cli;

import io.loombench.common.SizeConverter;
import io.loombench.loadgen.LoadProtocol;
import io.loombench.loadgen.LoadSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tcp", sortOptions = false, usageHelpAutoWidth = true, abbreviateSynopsis = true, mixinStandardHelpOptions = true,
        description = "TCP echo load: each request is a payload the server must send back unchanged; every byte is checked.")
final class TcpCommand extends LoadCommand {
    @Parameters(index = "0", paramLabel = "HOST:PORT", description = "The echo server, e.g. 127.0.0.1:9000 or [::1]:9000.")
    String target;

    @Option(names = "--payload", defaultValue = "64", converter = SizeConverter.class,
            description = "Bytes per request: 64, 1k, 1m. Default: ${DEFAULT-VALUE}.")
    int payload;

    @Override
    LoadSpec spec() {
        return options.applyTo(LoadSpec.builder(LoadProtocol.TCP_ECHO, Targets.hostPort(target))).payloadBytes(payload).build();
    }

    @Override
    String targetText() {
        return target;
    }
}

package io.loombench.loadgen.cli;

import io.loombench.common.SizeConverter;
import io.loombench.loadgen.LoadProtocol;
import io.loombench.loadgen.LoadSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What the TCP and UDP echo commands share: a {@code host:port} target and a payload size. */
abstract class EchoCommand extends LoadCommand {
    @Parameters(index = "0", paramLabel = "HOST:PORT", description = "The echo server, e.g. 127.0.0.1:9000 or [::1]:9000.")
    String target;

    @Option(names = "--payload", defaultValue = "64", converter = SizeConverter.class,
            description = "Bytes per request: 64, 1k, 1m (UDP: 8..65507, the first 8 being the sequence number). Default: ${DEFAULT-VALUE}.")
    int payload;

    abstract LoadProtocol protocol();

    @Override
    LoadSpec spec() {
        return options.applyTo(LoadSpec.builder(protocol(), Targets.hostPort(target))).payloadBytes(payload).build();
    }

    @Override
    String targetText() {
        return target;
    }
}

package io.loombench.loadgen.cli;

import io.loombench.common.SizeConverter;
import io.loombench.loadgen.LoadProtocol;
import io.loombench.loadgen.LoadSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "udp", sortOptions = false, usageHelpAutoWidth = true, abbreviateSynopsis = true, mixinStandardHelpOptions = true,
        description = "UDP echo load: datagrams carry a sequence number, so loss, duplicates, reordering and corruption are counted.")
final class UdpCommand extends LoadCommand {
    @Parameters(index = "0", paramLabel = "HOST:PORT", description = "The echo server, e.g. 127.0.0.1:9001.")
    String target;

    @Option(names = "--payload", defaultValue = "64", converter = SizeConverter.class,
            description = "Bytes per datagram, 8..65507 (the first 8 are the sequence number). Default: ${DEFAULT-VALUE}.")
    int payload;

    @Override
    LoadSpec spec() {
        return options.applyTo(LoadSpec.builder(LoadProtocol.UDP_ECHO, Targets.hostPort(target))).payloadBytes(payload).build();
    }

    @Override
    String targetText() {
        return target;
    }
}

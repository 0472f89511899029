package io.loombench.loadgen.cli;

import io.loombench.loadgen.LoadProtocol;
import picocli.CommandLine.Command;

@Command(name = "udp", sortOptions = false, usageHelpAutoWidth = true, abbreviateSynopsis = true, mixinStandardHelpOptions = true, version = LoadgenMain.VERSION,
        description = "UDP echo load: datagrams carry a sequence number, so loss, duplicates, reordering and corruption are counted.")
final class UdpCommand extends EchoCommand {
    @Override
    LoadProtocol protocol() {
        return LoadProtocol.UDP_ECHO;
    }
}

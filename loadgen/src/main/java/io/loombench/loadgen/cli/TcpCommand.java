package io.loombench.loadgen.cli;

import io.loombench.loadgen.LoadProtocol;
import picocli.CommandLine.Command;

@Command(name = "tcp", sortOptions = false, usageHelpAutoWidth = true, abbreviateSynopsis = true, mixinStandardHelpOptions = true, version = LoadgenMain.VERSION,
        description = "TCP echo load: each request is a payload the server must send back unchanged; every byte is checked.")
final class TcpCommand extends EchoCommand {
    @Override
    LoadProtocol protocol() {
        return LoadProtocol.TCP_ECHO;
    }
}

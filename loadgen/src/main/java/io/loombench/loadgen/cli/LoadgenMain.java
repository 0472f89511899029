package io.loombench.loadgen.cli;

import io.loombench.common.Cli;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

/** The {@code loadgen} command: one subcommand per protocol. */
@Command(name = "loadgen", mixinStandardHelpOptions = true, version = LoadgenMain.VERSION,
        subcommands = {HttpCommand.class, TcpCommand.class, UdpCommand.class, MergeCommand.class},
        description = {
                "Opens many TCP, UDP or HTTP clients and measures latency without coordinated omission, as wrk2 does.",
                "With --rate (open model) each request has an intended send time, and latency counts from it;",
                "without (closed model) each connection sends as soon as its previous answer arrives.",
                ""
        },
        footer = {
                "",
                "Examples:",
                "  loadgen http http://127.0.0.1:8080/plaintext -c 1000 -R 50000 -d 30s",
                "  loadgen tcp 127.0.0.1:9000 -c 10000 -R 20000 -d 20s --payload 64",
                "  loadgen udp 127.0.0.1:9001 -c 100 -R 10000 -d 10s",
                "  loadgen http http://127.0.0.1:8080/delay?ms=10 -c 20 -d 5s --find-capacity 'p99<=20ms'",
                "  loadgen http http://10.0.0.5:8080/plaintext --allow-non-loopback -c 3000 -R 30000 --shard 0/3 --start-at 2026-12-01T18:30:00Z --json shard-0.json",
                "  loadgen merge shard-0.json shard-1.json shard-2.json --json merged.json",
                "",
                "Exit codes: 0 all requests succeeded; 1 some failed (or --strict and the run fell short, or loadgen itself failed);",
                "2 bad input, more connections than the open-file limit allows, or an unreachable target;",
                "130 or 143 stopped by SIGINT or SIGTERM, after printing what it had measured.",
                "With --find-capacity: 0 a rate met the SLO; 1 none did (or --strict and the answer is only a bound); 2 as above."
        })
public final class LoadgenMain implements Callable<Integer> {
    /** What {@code --version} prints, on the command and on each subcommand. */
    static final String VERSION = "loombench loadgen 0.1.0";

    @Spec
    CommandSpec command;

    public static void main(String[] args) {
        int code = Cli.run(new LoadgenMain(), args);
        System.exit(code);
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(command.commandLine(), "choose a protocol (http, tcp or udp) or merge");
    }
}

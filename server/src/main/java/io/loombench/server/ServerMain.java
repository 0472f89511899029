package io.loombench.server;

import io.loombench.common.Cli;
import io.loombench.common.DurationConverter;
import io.loombench.common.Protocol;
import io.loombench.common.SizeConverter;
import io.loombench.common.Transport;
import io.loombench.server.http.HttpLimits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code server} command: starts a server, prints one ready line, serves until SIGTERM or
 * Ctrl-C, then shuts down gracefully and prints its counters once.
 *
 * <p>The shutdown runs in a JVM shutdown hook, so the process ends with the JVM's exit status for
 * the signal (143 for SIGTERM, 130 for Ctrl-C), not 0: the JVM has chosen it before the hook runs.
 * A script tells a clean stop by the {@code stopped:} line.
 */
@Command(name = "server", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true, abbreviateSynopsis = true,
        version = "loombench server 0.1.0",
        description = {
                "A TCP/UDP echo and HTTP/1.1 server whose concurrency model is a switch.",
                "Prints 'listening on <transport>://<host>:<port> ...' when ready; SIGTERM or Ctrl-C shuts down gracefully.",
                ""
        },
        footer = {
                "",
                "HTTP endpoints: GET /plaintext, GET /json, POST /echo, GET /delay?ms=N, GET /cpu?work=N.",
                "Exit codes: 1 if the server could not start, 2 on bad options; after SIGTERM or Ctrl-C and the graceful shutdown, the JVM's 143 or 130 (128 + signal); 0 after --help or --version."
        })
public final class ServerMain implements Callable<Integer> {
    @Spec
    CommandSpec command;


    @Option(names = "--transport", defaultValue = "tcp", paramLabel = "tcp|udp",
            description = "Socket type. Default: ${DEFAULT-VALUE}.")
    Transport transport;

    @Option(names = "--model", defaultValue = "virtual", paramLabel = "virtual|pool|nio",
            description = "Concurrency model: a virtual thread per connection, a fixed platform-thread pool, or NIO event loops. Default: ${DEFAULT-VALUE}.")
    Model model;

    @Option(names = "--protocol", defaultValue = "http", paramLabel = "echo|http",
            description = "Protocol; UDP serves only echo. Default: ${DEFAULT-VALUE}.")
    Protocol protocol;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Port to bind; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--pool-threads", description = "Platform threads of the pool model. Default: ${DEFAULT-VALUE}.")
    int poolThreads = ModelOptions.Pool.DEFAULT_THREADS;

    @Option(names = "--loops", description = "Selector threads of the nio model. Default: available processors (${DEFAULT-VALUE}).")
    int eventLoops = Runtime.getRuntime().availableProcessors();

    @Option(names = "--max-connections",
            description = "Connections open at once; more are closed at once and counted as rejected (UDP: datagrams in flight). "
                    + "Default: the open-file limit less " + SystemLimits.DESCRIPTOR_MARGIN + " (${DEFAULT-VALUE}).")
    int maxConnections = ServerConfig.DEFAULT_MAX_CONNECTIONS;

    @Option(names = "--idle-timeout", defaultValue = "30s", converter = DurationConverter.class,
            description = "Close a connection idle this long between requests. Default: ${DEFAULT-VALUE}.")
    Duration idleTimeout;

    @Option(names = "--read-timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "HTTP: a request's line and headers must arrive this soon after its first byte, else 408 and close. Default: ${DEFAULT-VALUE}.")
    Duration readTimeout;

    @Option(names = "--body-timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "HTTP: a request body that stalls this long (no byte arrives) gets 408 and close. Default: ${DEFAULT-VALUE}.")
    Duration bodyTimeout;

    @Option(names = "--write-timeout", defaultValue = "30s", converter = DurationConverter.class,
            description = "Close a connection whose client takes none of its output for this long (a write with no progress). Default: ${DEFAULT-VALUE}.")
    Duration writeTimeout;

    @Option(names = "--think-ms", defaultValue = "0",
            description = "Echo: simulated downstream wait per read (TCP) or per datagram (UDP), in ms; slept in virtual/pool, a timer in nio. Default: ${DEFAULT-VALUE}.")
    long thinkMillis;

    @Option(names = "--max-request-line", defaultValue = "8k", converter = SizeConverter.class,
            description = "HTTP: longest request line; 414 beyond. Default: ${DEFAULT-VALUE}.")
    int maxRequestLine;

    @Option(names = "--max-header-size", defaultValue = "16k", converter = SizeConverter.class,
            description = "HTTP: longest header section (and trailer section); 431 beyond. Default: ${DEFAULT-VALUE}.")
    int maxHeaderSize;

    @Option(names = "--max-field-size", defaultValue = "8k", converter = SizeConverter.class,
            description = "HTTP: longest single header or trailer field line; 431 beyond. Default: ${DEFAULT-VALUE}.")
    int maxFieldSize;

    @Option(names = "--max-header-count", defaultValue = "100",
            description = "HTTP: most header fields in a request (and trailer fields); 431 beyond. Default: ${DEFAULT-VALUE}.")
    int maxHeaderCount;

    @Option(names = "--max-body", defaultValue = "1m", converter = SizeConverter.class,
            description = "HTTP: longest request body; 413 beyond. Default: ${DEFAULT-VALUE}.")
    int maxBody;

    @Option(names = "--max-datagram", defaultValue = "65507",
            description = "UDP: longest datagram payload answered, in bytes (at most " + ServerConfig.MAX_DATAGRAM_LIMIT
                    + "); a longer one is counted as datagram_truncated and not answered. Default: ${DEFAULT-VALUE}.")
    int maxDatagram;

    @Option(names = "--buffer-size", defaultValue = "16k", converter = SizeConverter.class,
            description = "The read buffer and the write buffer a connection works in, in every model (an idle one holds none, or a small one). Default: ${DEFAULT-VALUE}.")
    int bufferSize;

    @Option(names = "--backlog",
            description = "TCP listen backlog; the kernel caps it at net.core.somaxconn, and the ready line says so. Default: the default of --max-connections (${DEFAULT-VALUE}).")
    int backlog = ServerConfig.DEFAULT_MAX_CONNECTIONS;

    @Option(names = "--shutdown-grace", defaultValue = "5s", converter = DurationConverter.class,
            description = "On shutdown, how long requests in flight may take to finish. Default: ${DEFAULT-VALUE}.")
    Duration shutdownGrace;

    public static void main(String[] args) {
        int code = Cli.run(new ServerMain(), args);
        if (code != Cli.OK) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        ServerConfig config = ServerConfig.builder()
                .transport(transport).model(model).protocol(protocol).host(host).port(port)
                .poolThreads(poolThreads).eventLoops(eventLoops).maxConnections(maxConnections)
                .idleTimeout(idleTimeout).readTimeout(readTimeout).bodyTimeout(bodyTimeout).writeTimeout(writeTimeout).think(Duration.ofMillis(thinkMillis))
                .httpLimits(new HttpLimits(maxRequestLine, maxHeaderSize, maxFieldSize, maxHeaderCount, maxBody))
                .maxDatagram(maxDatagram).bufferSize(bufferSize).backlog(backlog).shutdownGrace(shutdownGrace)
                .build();
        noteIgnoredOptions(config);
        Server server;
        try {
            server = Server.start(config);
        } catch (IOException e) {
            System.err.println("server: cannot listen on " + host + ":" + port + ": " + Cli.describe(e));
            return Cli.FAILED;
        }
        PrintStream out = System.out;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            out.println("stopped: " + server.stats().line(config.transport()));
            out.flush();
            stopped.countDown();
        }, "loombench-shutdown"));
        out.println(readyLine(server));
        out.flush();
        stopped.await();
        return Cli.OK;
    }

    /**
     * Says on stderr which of the options given belong to another model or protocol and so do
     * nothing here, without failing: a script may pass the same options to every model.
     */
    private void noteIgnoredOptions(ServerConfig config) {
        ParseResult given = command.commandLine().getParseResult();
        List<String> notes = new ArrayList<>();
        if (given.hasMatchedOption("--loops") && config.model() != Model.NIO) {
            notes.add("--loops applies to --model nio only");
        } else if (given.hasMatchedOption("--loops") && config.transport() == Transport.UDP) {
            notes.add("--loops applies to --transport tcp only (UDP answers on the loop that receives)");
        }
        if (given.hasMatchedOption("--backlog") && config.transport() == Transport.UDP) {
            notes.add("--backlog applies to --transport tcp only");
        }
        if (given.hasMatchedOption("--max-datagram") && config.transport() != Transport.UDP) {
            notes.add("--max-datagram applies to --transport udp only");
        }
        if (given.hasMatchedOption("--pool-threads") && config.model() != Model.POOL) {
            notes.add("--pool-threads applies to --model pool only");
        }
        if (given.hasMatchedOption("--think-ms") && config.protocol() != Protocol.ECHO) {
            notes.add("--think-ms applies to --protocol echo only");
        }
        for (String option : List.of("--read-timeout", "--body-timeout", "--max-request-line", "--max-header-size", "--max-field-size", "--max-header-count", "--max-body")) {
            if (given.hasMatchedOption(option) && config.protocol() != Protocol.HTTP) {
                notes.add(option + " applies to --protocol http only");
            }
        }
        for (String note : notes) {
            System.err.println("server: note: " + note + "; ignored");
        }
        OptionalLong openFiles = SystemLimits.openFileLimit();
        if (config.transport() == Transport.TCP && openFiles.isPresent()
                && config.maxConnections() > SystemLimits.maxConnections(openFiles.getAsLong())) {
            System.err.println("server: note: --max-connections " + config.maxConnections() + " is above the "
                    + SystemLimits.maxConnections(openFiles.getAsLong()) + " connections the open-file limit ("
                    + openFiles.getAsLong() + ") leaves room for; accepts fail once it is reached (ulimit -n raises it)");
        }
    }

    /**
     * The line scripts and benchmarks wait for; its address part is {@code transport://host:port}.
     * Then the model and its threads, and over TCP the connection limit and the listen backlog the
     * kernel granted, saying so when it capped the one asked for.
     */
    static String readyLine(Server server) {
        ServerConfig config = server.config();
        InetSocketAddress address = server.address();
        String host = address.getAddress().getHostAddress();
        String hostPort = (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
        String threads = switch (config.modelOptions()) {
            case ModelOptions.Virtual virtual -> "";
            case ModelOptions.Pool pool -> " pool-threads=" + pool.threads();
            case ModelOptions.Nio nio -> config.transport() == Transport.TCP ? " loops=" + nio.loops() : "";
        };
        String limits = "";
        if (config.transport() == Transport.TCP) {
            limits = " max-connections=" + config.maxConnections() + " backlog=" + server.listenBacklog()
                    + (server.listenBacklog() < config.backlog() ? " (capped by net.core.somaxconn; asked " + config.backlog() + ")" : "");
        }
        return "listening on " + config.transport().name().toLowerCase() + "://" + hostPort
                + " model=" + config.model().name().toLowerCase()
                + " protocol=" + config.protocol().name().toLowerCase() + threads + limits;
    }
}

package io.loombench.benchmarks.peers;

import io.loombench.common.Cli;
import io.loombench.common.Protocol;
import io.loombench.server.protocol.CpuWork;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * What both peers share with each other and with loombench's own server, so that a difference in
 * the numbers comes from the server, not from what it was asked: the endpoints' answers, the
 * parameter rules, the command-line options, and the ready and stopped lines.
 */
final class PeerSupport {
    /** loombench's default listen backlog ({@code bin/server --backlog}). */
    static final int DEFAULT_BACKLOG = 1024;
    /** loombench's default {@code --shutdown-grace}: how long requests in flight may take to finish on shutdown. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    static final byte[] PLAINTEXT = ascii("Hello, World!");
    static final byte[] JSON = ascii("{\"message\":\"Hello, World!\"}");

    /** loombench's {@code /delay} range, in ms. */
    static final long MAX_DELAY_MS = 60_000;
    /** loombench's {@code /cpu} range, in units. */
    static final long MAX_WORK = CpuWork.MAX_UNITS;

    static final String NOT_FOUND = "404 Not Found: no such resource; try /plaintext, /json, /delay?ms=N or /cpu?work=N\n";
    static final String METHOD_NOT_ALLOWED = "405 Method Not Allowed: use GET\n";
    static final String BAD_DELAY = "400 Bad Request: query parameter ms=0.." + MAX_DELAY_MS + " required\n";
    static final String BAD_WORK = "400 Bad Request: query parameter work=0.." + MAX_WORK + " required\n";

    private PeerSupport() {
    }

    /**
     * The value of the first {@code name=value} pair of a raw query as loombench reads it: plain
     * decimal digits (no sign, no percent-decoding), at most {@code max}; -1 if the pair is missing
     * or its value is not such a number. A pair with an empty value does not count.
     */
    static long parameter(String query, String name, long max) {
        if (query == null) {
            return -1;
        }
        for (int pair = 0; pair < query.length(); ) {
            int end = query.indexOf('&', pair);
            if (end < 0) {
                end = query.length();
            }
            int value = pair + name.length() + 1;
            if (end > value && query.startsWith(name, pair) && query.charAt(value - 1) == '=') {
                return decimal(query, value, end, max);
            }
            pair = end + 1;
        }
        return -1;
    }

    private static long decimal(String text, int from, int to, long max) {
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9 || value > (max - digit) / 10) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /**
     * The {@code /cpu?work=N} answer: {@link CpuWork#compute} with the sign bit cleared, exactly as
     * loombench's server prints it, so every server gives the same body for the same N.
     */
    static String cpu(long work) {
        return Long.toString(CpuWork.compute(work) & Long.MAX_VALUE);
    }

    /** {@code listening on tcp://host:port model=... protocol=...} followed by {@code extra}. */
    static String readyLine(InetSocketAddress address, String model, Protocol protocol, String extra) {
        String host = address.getAddress().getHostAddress();
        String hostPort = (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
        return "listening on tcp://" + hostPort + " model=" + model + " protocol=" + protocol.name().toLowerCase() + extra;
    }

    /** Checks what both peers' {@code start} methods take; an {@link IllegalArgumentException} is a usage error (exit 2). */
    static void checkAddress(String host, int port, int backlog) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be positive, was " + backlog);
        }
    }

    static Protocol protocol(String name) {
        for (Protocol protocol : Protocol.values()) {
            if (protocol.name().equalsIgnoreCase(name)) {
                return protocol;
            }
        }
        throw new IllegalArgumentException("protocol must be http or echo, was " + name);
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** The options every peer's command line takes, with loombench's names and defaults (a picocli mixin). */
    static final class Options {
        @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind. Default: ${DEFAULT-VALUE}.")
        String host;

        @Option(names = "--port", defaultValue = "8080", description = "Port to bind; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
        int port;

        @Option(names = "--protocol", defaultValue = "http", paramLabel = "http|echo",
                description = "Protocol: HTTP/1.1, or TCP echo (every byte back). Default: ${DEFAULT-VALUE}.")
        Protocol protocol;

        @Option(names = "--backlog", defaultValue = "" + DEFAULT_BACKLOG, description = "TCP listen backlog. Default: ${DEFAULT-VALUE}.")
        int backlog;
    }

    /** Starts a peer; may throw {@link IllegalArgumentException} for bad options, anything else for a failed start. */
    @FunctionalInterface
    interface Starter {
        PeerServer start() throws Exception;
    }

    /**
     * Runs a peer as loombench's {@code ServerMain} runs the server: one ready line on stdout,
     * serve until SIGTERM or Ctrl-C, then a graceful stop in a shutdown hook and one
     * {@code stopped: requests=N} line. The JVM then exits with 143 or 130, as for the server.
     *
     * @return {@link Cli#FAILED} if the peer could not start; otherwise it never returns before the JVM exits
     */
    static int serve(String command, Options options, Starter starter) throws InterruptedException {
        checkAddress(options.host, options.port, options.backlog);
        PeerServer server;
        try {
            server = starter.start();
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception | LinkageError e) {
            // LinkageError: a native transport that cannot load says so here, in one line.
            System.err.println(command + ": cannot listen on " + options.host + ":" + options.port + ": " + Cli.describe(e));
            return Cli.FAILED;
        }
        PrintStream out = System.out;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            out.println("stopped: requests=" + server.requests());
            out.flush();
            stopped.countDown();
        }, command + "-shutdown"));
        out.println(server.readyLine());
        out.flush();
        stopped.await();
        return Cli.OK;
    }
}

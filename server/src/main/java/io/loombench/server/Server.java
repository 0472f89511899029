package io.loombench.server;

import io.loombench.common.Transport;
import io.loombench.server.http.HttpDate;
import io.loombench.server.http.HttpSession;
import io.loombench.server.http.HttpTimers;
import io.loombench.server.http.Router;
import io.loombench.server.model.ConcurrencyModel;
import io.loombench.server.model.ModelContext;
import io.loombench.server.protocol.EchoSession;
import io.loombench.server.protocol.SessionFactory;
import io.loombench.server.protocol.ShutdownSignal;
import io.loombench.server.udp.DatagramReceiver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running server: {@link #start} binds and serves, {@link #address()} says where, {@link #stats()}
 * reads the counters, {@link #close()} shuts down gracefully.
 *
 * <pre>{@code
 * try (Server server = Server.start(ServerConfig.builder().model(Model.NIO).port(0).build())) {
 *     int port = server.address().getPort();
 *     ...
 * }
 * }</pre>
 *
 * <p>Over TCP an {@link Acceptor} hands connections to the model's {@link ConcurrencyModel}; over
 * UDP a {@link DatagramReceiver} takes datagrams in and the model only says who answers them.
 */
public final class Server implements AutoCloseable {
    private final ServerConfig config;
    private final ServerCounters counters;
    private final ShutdownSignal shutdown;
    private final Serving serving;
    private final InetSocketAddress address;
    private final int listenBacklog;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Server(ServerConfig config, ServerCounters counters, ShutdownSignal shutdown, Serving serving,
                   InetSocketAddress address, int listenBacklog) {
        this.config = config;
        this.counters = counters;
        this.shutdown = shutdown;
        this.serving = serving;
        this.address = address;
        this.listenBacklog = listenBacklog;
    }

    /** Binds the configured address and starts serving; returns once the socket is bound. */
    public static Server start(ServerConfig config) throws IOException {
        ServerCounters counters = new ServerCounters();
        ShutdownSignal shutdown = new ShutdownSignal();
        SessionFactory sessions = sessions(config, counters, shutdown);
        InetSocketAddress bindAddress = new InetSocketAddress(config.host(), config.port());
        if (bindAddress.isUnresolved()) {
            throw new IOException("cannot resolve host " + config.host());
        }
        return config.transport() == Transport.UDP
                ? startUdp(config, counters, shutdown, sessions, bindAddress)
                : startTcp(config, counters, shutdown, sessions, bindAddress);
    }

    /**
     * The per-connection session maker for TCP connections under this configuration: every model
     * serves the protocol with these same sessions.
     */
    private static SessionFactory sessions(ServerConfig config, ServerCounters counters, ShutdownSignal shutdown) {
        long idleNanos = config.idleTimeout().toNanos();
        long thinkMillis = config.think().toMillis();
        return switch (config.protocol()) {
            case ECHO -> () -> new EchoSession(thinkMillis, idleNanos, counters);
            case HTTP -> {
                HttpDate date = new HttpDate();
                Router router = new Router();
                HttpTimers timers = new HttpTimers(idleNanos, config.readTimeout().toNanos(), config.bodyTimeout().toNanos());
                yield () -> new HttpSession(config.httpLimits(), router, timers, date, counters, shutdown);
            }
        };
    }

    private static Server startTcp(ServerConfig config, ServerCounters counters, ShutdownSignal shutdown,
                                   SessionFactory sessions, InetSocketAddress bindAddress) throws IOException {
        ConcurrencyModel model = config.modelOptions().connections(new ModelContext(config, sessions, counters, shutdown));
        try {
            ServerSocketChannel listener = ServerSocketChannel.open();
            try {
                listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                listener.bind(bindAddress, config.backlog());
            } catch (IOException e) {
                listener.close();
                throw e;
            }
            Acceptor acceptor = new Acceptor(listener, model, counters, config.maxConnections());
            acceptor.start();
            int granted = SystemLimits.somaxconn().orElse(Integer.MAX_VALUE);
            return new Server(config, counters, shutdown, new Tcp(acceptor, model),
                    (InetSocketAddress) listener.getLocalAddress(), Math.min(config.backlog(), granted));
        } catch (IOException | RuntimeException e) {
            try {
                model.close();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
    }

    private static Server startUdp(ServerConfig config, ServerCounters counters, ShutdownSignal shutdown,
                                   SessionFactory sessions, InetSocketAddress bindAddress) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        try {
            channel.bind(bindAddress);
            InetSocketAddress bound = (InetSocketAddress) channel.getLocalAddress();
            DatagramReceiver receiver = new DatagramReceiver(channel, sessions, counters, config.maxConnections(),
                    config.maxDatagram(), config.modelOptions().datagrams());
            receiver.start();
            return new Server(config, counters, shutdown, new Udp(receiver), bound, 0);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The bound address, with the real port when port 0 was asked for. */
    public InetSocketAddress address() {
        return address;
    }

    /**
     * The listen backlog the kernel granted: {@link ServerConfig#backlog()}, capped at
     * {@code net.core.somaxconn} where that can be read. 0 for UDP.
     */
    public int listenBacklog() {
        return listenBacklog;
    }

    public ServerConfig config() {
        return config;
    }

    public ServerStats stats() {
        return counters.snapshot();
    }

    /**
     * Graceful shutdown: stop accepting (new connects are refused), close idle connections, let
     * requests in flight finish for up to {@code shutdownGrace}, then close whatever is left and
     * wait for every thread the server started. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        boolean interrupted = false;
        try {
            serving.stopTaking();
            shutdown.drain();
            serving.drain();
            if (!counters.awaitNoneActive(config.shutdownGrace().toNanos())) {
                // Idle connections closed at the drain; what is still open is in the middle of a request.
                counters.error(ServerError.SHUTDOWN_CUT, counters.active());
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            interrupted |= !closeQuietly(serving);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Returns false if interrupted while waiting for the threads to end. */
    private static boolean closeQuietly(Serving serving) {
        try {
            serving.close();
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** What takes requests in, stopped in the same steps over either transport. */
    private sealed interface Serving {
        /** Stop taking new connections or datagrams. */
        void stopTaking() throws InterruptedException;

        /** After the shutdown signal: close what is idle now, let the rest finish. */
        void drain();

        /** Close everything left and wait for the threads. */
        void close() throws InterruptedException;
    }

    private record Tcp(Acceptor acceptor, ConcurrencyModel model) implements Serving {
        @Override
        public void stopTaking() throws InterruptedException {
            acceptor.stop();
        }

        @Override
        public void drain() {
            model.drain();
        }

        @Override
        public void close() throws InterruptedException {
            model.close();
        }
    }

    private record Udp(DatagramReceiver receiver) implements Serving {
        @Override
        public void stopTaking() {
            receiver.stopReceiving();
        }

        @Override
        public void drain() {
            // Every datagram in flight is a request to finish; nothing is idle.
        }

        @Override
        public void close() throws InterruptedException {
            receiver.close();
        }
    }
}

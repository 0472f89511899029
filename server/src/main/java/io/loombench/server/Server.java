package io.loombench.server;

import io.loombench.server.model.ConcurrencyModel;
import io.loombench.server.model.ModelContext;
import io.loombench.server.protocol.ShutdownSignal;

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
 */
public final class Server implements AutoCloseable {
    private final ServerConfig config;
    private final ServerCounters counters;
    private final ShutdownSignal shutdown;
    private final ConcurrencyModel model;
    private final InetSocketAddress address;
    private final Acceptor acceptor;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Server(ServerConfig config, ServerCounters counters, ShutdownSignal shutdown, ConcurrencyModel model,
                   InetSocketAddress address, Acceptor acceptor) {
        this.config = config;
        this.counters = counters;
        this.shutdown = shutdown;
        this.model = model;
        this.address = address;
        this.acceptor = acceptor;
    }

    /** Binds the configured address and starts serving; returns once the socket is bound. */
    public static Server start(ServerConfig config) throws IOException {
        ServerCounters counters = new ServerCounters();
        ShutdownSignal shutdown = new ShutdownSignal();
        ModelContext context = new ModelContext(config, config.protocol().sessions(config, counters, shutdown), counters, shutdown);
        InetSocketAddress bindAddress = new InetSocketAddress(config.host(), config.port());
        if (bindAddress.isUnresolved()) {
            throw new IOException("cannot resolve host " + config.host());
        }
        ConcurrencyModel model = config.model().create(context);
        try {
            if (config.transport() == Transport.UDP) {
                DatagramChannel channel = DatagramChannel.open();
                try {
                    channel.bind(bindAddress);
                } catch (IOException e) {
                    channel.close();
                    throw e;
                }
                model.serve(channel);
                return new Server(config, counters, shutdown, model, (InetSocketAddress) channel.getLocalAddress(), null);
            }
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
            return new Server(config, counters, shutdown, model, (InetSocketAddress) listener.getLocalAddress(), acceptor);
        } catch (IOException | RuntimeException e) {
            closeModel(model);
            throw e;
        }
    }

    /** The bound address, with the real port when port 0 was asked for. */
    public InetSocketAddress address() {
        return address;
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
            if (acceptor != null) {
                acceptor.stop();
            }
            shutdown.drain();
            model.drain();
            if (!counters.awaitNoneActive(config.shutdownGrace().toNanos())) {
                // Idle connections closed at the drain; what is still open is in the middle of a request.
                counters.error(ErrorKind.SHUTDOWN_CUT, counters.active());
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            interrupted |= !closeModel(model);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Returns false if interrupted while waiting for the model's threads. */
    private static boolean closeModel(ConcurrencyModel model) {
        try {
            model.close();
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }
}

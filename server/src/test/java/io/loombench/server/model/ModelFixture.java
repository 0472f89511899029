package io.loombench.server.model;

import io.loombench.server.ServerConfig;
import io.loombench.server.ServerCounters;
import io.loombench.server.http.HttpDate;
import io.loombench.server.http.HttpLimits;
import io.loombench.server.http.HttpSession;
import io.loombench.server.http.HttpTimers;
import io.loombench.server.http.Router;
import io.loombench.server.protocol.EchoSession;
import io.loombench.server.protocol.SessionFactory;
import io.loombench.server.protocol.ShutdownSignal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.fail;

/**
 * A model under test without the rest of the server, so a test can read what only the model
 * knows (the buffers its connections hold): a listening socket on 127.0.0.1, and each client
 * connection's accepted channel handed to the model as the acceptor would.
 */
final class ModelFixture implements AutoCloseable {
    static final Duration IO_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration WAIT_TIMEOUT = Duration.ofSeconds(10);

    enum Kind { ECHO, HTTP }

    final ServerConfig config = ServerConfig.builder().port(0).build();
    final ServerCounters counters = new ServerCounters();
    final ShutdownSignal shutdown = new ShutdownSignal();
    private final ServerSocketChannel listener;
    private final List<Socket> clients = new ArrayList<>();
    private final ConcurrencyModel model;

    <M extends ConcurrencyModel> ModelFixture(Kind kind, Function<ModelContext, M> model) throws IOException {
        this(fixture -> fixture.sessions(kind), model);
    }

    /**
     * A model whose connections get their sessions from {@code sessions}, given this fixture (its
     * config, counters and shutdown signal): how a test injects a protocol of its own, a faulty one say.
     */
    <M extends ConcurrencyModel> ModelFixture(Function<ModelFixture, SessionFactory> sessions, Function<ModelContext, M> model)
            throws IOException {
        this.model = model.apply(new ModelContext(config, sessions.apply(this), counters, shutdown));
        this.listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    }

    /** The server's own session factory for {@code kind}, under this fixture's config. */
    SessionFactory sessions(Kind kind) {
        long idle = config.idleTimeout().toNanos();
        return switch (kind) {
            case ECHO -> () -> new EchoSession(0, idle, counters);
            case HTTP -> {
                HttpDate date = new HttpDate();
                Router router = new Router();
                HttpTimers timers = new HttpTimers(idle, config.readTimeout().toNanos(), config.bodyTimeout().toNanos());
                yield () -> new HttpSession(HttpLimits.DEFAULTS, router, timers, date, counters, shutdown);
            }
        };
    }

    @SuppressWarnings("unchecked")
    <M extends ConcurrencyModel> M model() {
        return (M) model;
    }

    /** A client connected to the model, with a bounded read timeout. */
    Socket connect() throws IOException {
        return connect(0);
    }

    /** As {@link #connect()}, with the client's receive buffer set first (0: the system's). */
    Socket connect(int receiveBufferBytes) throws IOException {
        Socket client = new Socket();
        if (receiveBufferBytes > 0) {
            client.setReceiveBufferSize(receiveBufferBytes);
        }
        client.setTcpNoDelay(true);
        client.setSoTimeout((int) IO_TIMEOUT.toMillis());
        client.connect(listener.getLocalAddress(), (int) IO_TIMEOUT.toMillis());
        clients.add(client);
        SocketChannel accepted = listener.accept();
        counters.accepted();
        model.serve(accepted);
        return client;
    }

    /** Polls until {@code condition} holds; fails after a bounded wait, saying what was seen last. */
    static void await(String what, BooleanSupplier condition, Supplier<Object> seen) {
        long deadline = System.nanoTime() + WAIT_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + WAIT_TIMEOUT.toSeconds() + " s waiting for " + what + "; last seen: " + seen.get());
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    @Override
    public void close() throws Exception {
        for (Socket client : clients) {
            client.close();
        }
        shutdown.drain();
        model.drain();
        model.close();
        listener.close();
    }
}

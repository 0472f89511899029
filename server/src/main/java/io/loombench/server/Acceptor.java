package io.loombench.server;

import io.loombench.server.model.ConcurrencyModel;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Accepts TCP connections on one platform thread, the same for every model, and hands each to the
 * model with the same socket options. Enforces the connection limit: a connection beyond it is
 * closed at once and counted, and the server goes on serving the others.
 */
final class Acceptor implements Runnable {
    /** Pause after a failed accept (out of file descriptors, say) so the loop does not spin. */
    private static final long ACCEPT_FAILURE_BACKOFF_MILLIS = 10;

    private final ServerSocketChannel listener;
    private final ConcurrencyModel model;
    private final ServerCounters counters;
    private final int maxConnections;
    private final Thread thread;

    Acceptor(ServerSocketChannel listener, ConcurrencyModel model, ServerCounters counters, int maxConnections) {
        this.listener = listener;
        this.model = model;
        this.counters = counters;
        this.maxConnections = maxConnections;
        this.thread = new Thread(this, "loombench-acceptor");
    }

    void start() {
        thread.start();
    }

    /** Stops accepting: closes the listening socket, so new connects are refused, and waits for the thread. */
    void stop() throws InterruptedException {
        try {
            listener.close();
        } catch (IOException ignored) {
            // The thread ends on the close either way.
        }
        thread.join();
    }

    @Override
    public void run() {
        while (listener.isOpen()) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                counters.error(ServerError.IO);
                try {
                    Thread.sleep(ACCEPT_FAILURE_BACKOFF_MILLIS);
                } catch (InterruptedException interrupted) {
                    return;
                }
                continue;
            }
            hand(channel);
        }
    }

    private void hand(SocketChannel channel) {
        if (counters.active() >= maxConnections) {
            counters.rejected();
            closeQuietly(channel);
            return;
        }
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
            counters.error(ServerError.IO);
            closeQuietly(channel);
            return;
        }
        counters.accepted();
        try {
            model.serve(channel);
        } catch (RuntimeException e) {
            // A bug in the model: loud, and the end of this connection only. Left to escape, it
            // would end this thread, and with it every accept after.
            counters.handlerBug("loombench-acceptor, handing a connection to the model", e);
            closeQuietly(channel);
            counters.finished();
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // A socket we are throwing away.
        }
    }
}

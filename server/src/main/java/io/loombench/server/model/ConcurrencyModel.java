package io.loombench.server.model;

import java.nio.channels.SocketChannel;

/**
 * How the server's threads wait: the only thing that differs between the models under
 * comparison. A model takes accepted connections and drives each connection's
 * {@link io.loombench.server.protocol.ProtocolSession}; everything else (accepting, limits, the
 * protocols, the counters, receiving UDP) is shared.
 *
 * <p>A new model is one new class implementing this interface, plus its record in
 * {@link io.loombench.server.ModelOptions} (its settings; it makes the model, and names the
 * {@link io.loombench.server.udp.DatagramHandling} that answers its datagrams) and its constant in
 * {@link io.loombench.server.Model}. It can reuse the building blocks here:
 * {@link BlockingConnection} runs a connection on a thread of its own with buffers from a
 * {@link BufferPool}, {@link EventLoop} is a selector thread with timers, and
 * {@link NioConnection} drives a connection from one through the loop's {@link IoBuffers}.
 *
 * <p>Lifecycle: {@code serve} calls, then {@link #drain()} once, then {@link #close()} once.
 */
public interface ConcurrencyModel {

    /**
     * Takes ownership of an accepted, connected, blocking-mode channel. Called from the acceptor
     * thread; must not block. The model calls {@code counters.finished()} when the connection closes.
     */
    void serve(SocketChannel channel);

    /**
     * Starts a graceful shutdown (the shutdown signal is already raised): close idle connections
     * now, let busy ones close after their current response. Must not block.
     */
    void drain();

    /** Closes every connection left, stops all threads and waits until they have ended. */
    void close() throws InterruptedException;
}

package io.loombench.server.udp;

import java.util.concurrent.ExecutorService;

/**
 * Who answers the datagrams a {@link DatagramReceiver} takes in: the one thing about UDP a
 * concurrency model decides. Either way the answer comes from the protocol's session, and a
 * session's simulated wait is spent the way the model spends any wait.
 */
public sealed interface DatagramHandling {

    /**
     * The receiving event loop answers on its own thread, at once, or from a loop timer after
     * the session's wait: what an NIO server does.
     */
    record OnReceivingLoop() implements DatagramHandling {
    }

    /**
     * A thread of the executor answers each datagram, sleeping through the session's wait: a new
     * virtual thread, or a pool thread (datagrams queue while every thread is busy). The receiver
     * owns the executor from now on and shuts it down when it closes.
     */
    record OnExecutor(ExecutorService executor) implements DatagramHandling {
    }
}

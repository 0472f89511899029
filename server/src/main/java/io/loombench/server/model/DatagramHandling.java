package io.loombench.server.model;

import java.nio.ByteBuffer;
import java.net.SocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Who answers a datagram that {@link UdpEcho} received: the model's choice for UDP.
 */
public sealed interface DatagramHandling {

    /**
     * Answers {@code datagram} (read mode; valid only during this call) to {@code sender}, after
     * the think time, through {@link UdpEcho#reply}. Called on the receiving loop's thread.
     */
    void handle(UdpEcho echo, ByteBuffer datagram, SocketAddress sender, long thinkMillis);

    /** The event loop answers on its own thread: at once, or from a loop timer after a think time. */
    record Inline() implements DatagramHandling {
        @Override
        public void handle(UdpEcho echo, ByteBuffer datagram, SocketAddress sender, long thinkMillis) {
            if (thinkMillis == 0) {
                echo.reply(datagram, sender);
            } else {
                ByteBuffer copy = copyOf(datagram);
                echo.loop().schedule(TimeUnit.MILLISECONDS.toNanos(thinkMillis), () -> echo.reply(copy, sender));
            }
        }
    }

    /** A thread of the executor answers, sleeping through the think time. */
    record OnExecutor(Executor executor) implements DatagramHandling {
        @Override
        public void handle(UdpEcho echo, ByteBuffer datagram, SocketAddress sender, long thinkMillis) {
            ByteBuffer copy = copyOf(datagram);
            try {
                executor.execute(() -> {
                    try {
                        if (thinkMillis > 0) {
                            Thread.sleep(thinkMillis);
                        }
                        echo.reply(copy, sender);
                    } catch (InterruptedException e) {
                        echo.abandon();
                    }
                });
            } catch (RejectedExecutionException e) {
                echo.abandon();
            }
        }
    }

    private static ByteBuffer copyOf(ByteBuffer datagram) {
        return ByteBuffer.allocate(datagram.remaining()).put(datagram).flip();
    }
}

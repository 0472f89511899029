package io.loombench.server.model;

import io.loombench.server.ErrorKind;
import io.loombench.server.ServerCounters;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;

/**
 * UDP echo: each datagram (up to 65,507 bytes of payload) goes back to its sender, with the
 * configured think time. Every model receives the same way, on one event loop reading one
 * non-blocking socket; they differ in who answers, as {@link DatagramHandling} says.
 *
 * <p>A datagram in flight (received, not yet answered) counts as active; beyond
 * {@code maxConnections} in flight, new datagrams are dropped and counted, as a real service
 * would shed load rather than queue without bound.
 */
public final class UdpEcho implements EventLoop.Handler {
    /** The largest UDP payload over IPv4: 65,535 minus the IP and UDP headers. */
    public static final int MAX_DATAGRAM_BYTES = 65_507;

    private final DatagramChannel channel;
    private final EventLoop loop;
    private final ServerCounters counters;
    private final DatagramHandling handling;
    private final long thinkMillis;
    private final int maxInFlight;
    /** Large enough for any datagram, IPv4 or IPv6. */
    private final ByteBuffer receiveBuffer = ByteBuffer.allocate(65_536);
    private SelectionKey key;

    public UdpEcho(DatagramChannel channel, EventLoop loop, ModelContext context, DatagramHandling handling) {
        this.channel = channel;
        this.loop = loop;
        this.counters = context.counters();
        this.handling = handling;
        this.thinkMillis = context.config().think().toMillis();
        this.maxInFlight = context.config().maxConnections();
    }

    EventLoop loop() {
        return loop;
    }

    public void start() {
        loop.execute(() -> {
            try {
                channel.configureBlocking(false);
                key = channel.register(loop.selector(), SelectionKey.OP_READ, this);
            } catch (IOException e) {
                counters.error(ErrorKind.IO);
            }
        });
    }

    @Override
    public void onReady(SelectionKey readyKey) {
        try {
            SocketAddress sender;
            while ((sender = channel.receive(receiveBuffer.clear())) != null) {
                receiveBuffer.flip();
                counters.bytesRead(receiveBuffer.remaining());
                if (counters.active() >= maxInFlight) {
                    counters.error(ErrorKind.DATAGRAM_DROPPED);
                    continue;
                }
                counters.accepted();
                handling.handle(this, receiveBuffer, sender, thinkMillis);
            }
        } catch (IOException e) {
            counters.error(ErrorKind.IO);
        }
    }

    /** Sends the answer and ends the datagram's flight; callable from any thread. */
    public void reply(ByteBuffer datagram, SocketAddress to) {
        try {
            int sent = channel.send(datagram, to);
            if (sent == 0) {
                counters.error(ErrorKind.DATAGRAM_DROPPED);
            } else {
                counters.bytesWritten(sent);
                counters.request();
            }
        } catch (IOException e) {
            counters.error(ErrorKind.IO);
        } finally {
            counters.finished();
        }
    }

    /** Ends a datagram's flight without an answer (its handler was stopped). */
    public void abandon() {
        counters.error(ErrorKind.DATAGRAM_DROPPED);
        counters.finished();
    }

    /** Stops taking new datagrams; those in flight are still answered. */
    public void stopReceiving() {
        loop.execute(() -> {
            if (key != null) {
                key.interestOps(0);
            }
        });
    }

    /**
     * Closes the socket; call once nothing is in flight, or to abandon what is. The close runs on
     * the loop thread, after the tasks already queued there ({@link #stopReceiving} among them),
     * since closing cancels the selection key those tasks use; it is done once the loop is stopped
     * and joined.
     */
    public void close() {
        loop.execute(() -> {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing a datagram socket has nothing to report.
            }
        });
    }
}

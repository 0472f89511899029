package io.loombench.loadgen;

import io.loombench.common.Transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * Checks, before a run, that its target answers at all, so a typo in a port is one clear error
 * and not a run full of connect failures.
 */
public final class TargetProbe {
    private TargetProbe() {
    }

    /**
     * TCP: one connection opens within {@code timeout}. UDP: one datagram is echoed within
     * {@code timeout}.
     *
     * @throws IOException saying what failed
     */
    public static void check(LoadProtocol protocol, InetSocketAddress target, Duration timeout) throws IOException {
        if (protocol.transport() == Transport.UDP) {
            checkUdp(target, timeout);
        } else {
            checkTcp(target, timeout);
        }
    }

    private static void checkTcp(InetSocketAddress target, Duration timeout) throws IOException {
        try (SocketChannel channel = SocketChannel.open()) {
            channel.socket().connect(target, (int) Math.max(1, timeout.toMillis()));
        }
    }

    private static void checkUdp(InetSocketAddress target, Duration timeout) throws IOException {
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.connect(target);
            channel.write(ByteBuffer.wrap(new byte[]{'p', 'r', 'o', 'b', 'e'}));
            channel.socket().setSoTimeout((int) Math.max(1, timeout.toMillis()));
            try {
                channel.socket().receive(new java.net.DatagramPacket(new byte[64], 64));
            } catch (PortUnreachableException e) {
                throw new IOException("port unreachable (nothing listens there)", e);
            } catch (SocketTimeoutException e) {
                throw new IOException("no echo within " + timeout.toMillis() + " ms", e);
            }
        }
    }
}

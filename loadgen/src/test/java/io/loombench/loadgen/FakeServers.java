package io.loombench.loadgen;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Small misbehaving servers on loopback, each doing one thing wrong on purpose, so tests can show
 * the generator notices. Blocking sockets and a thread per connection: simple beats fast here.
 */
final class FakeServers {
    private FakeServers() {
    }

    /** A TCP server running {@code handler(input, output)} on a thread per connection. */
    static final class Tcp implements AutoCloseable {
        private final ServerSocket listener;
        private final List<Socket> sockets = new ArrayList<>();
        private final Set<InetAddress> peers = ConcurrentHashMap.newKeySet();
        private final Thread acceptor;

        Tcp(ConnectionHandler handler) throws IOException {
            this((SocketHandler) socket -> handler.handle(socket.getInputStream(), socket.getOutputStream()));
        }

        /** A server whose handler gets the socket itself, to reset it, say. */
        Tcp(SocketHandler handler) throws IOException {
            listener = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
            acceptor = new Thread(() -> {
                while (!listener.isClosed()) {
                    try {
                        Socket socket = listener.accept();
                        socket.setTcpNoDelay(true);
                        peers.add(socket.getInetAddress());
                        synchronized (sockets) {
                            sockets.add(socket);
                        }
                        Thread.ofPlatform().daemon().start(() -> {
                            try (socket) {
                                handler.handle(socket);
                            } catch (IOException | InterruptedException ignored) {
                                // The client went away or the test ended.
                            }
                        });
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "fake-tcp-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        }

        /** The addresses clients connected from. */
        Set<InetAddress> peers() {
            return peers;
        }

        @Override
        public void close() throws IOException {
            listener.close();
            synchronized (sockets) {
                for (Socket socket : sockets) {
                    socket.close();
                }
            }
        }

        /** Dies like a killed process: no more connects, every connection reset. */
        void kill() throws IOException {
            listener.close();
            synchronized (sockets) {
                for (Socket socket : sockets) {
                    if (!socket.isClosed()) {
                        socket.setSoLinger(true, 0);
                        socket.close();
                    }
                }
            }
        }
    }

    @FunctionalInterface
    interface ConnectionHandler {
        void handle(InputStream in, OutputStream out) throws IOException, InterruptedException;
    }

    @FunctionalInterface
    interface SocketHandler {
        void handle(Socket socket) throws IOException, InterruptedException;
    }

    /** Reads the first bytes of each connection, then resets it (RST, not FIN), as a crashing server would. */
    static SocketHandler resetting() {
        return socket -> {
            socket.getInputStream().read();
            socket.setSoLinger(true, 0);
        };
    }

    /** Reads everything, answers nothing: a server stalled after accepting. */
    static ConnectionHandler silent() {
        return (in, out) -> {
            byte[] buffer = new byte[8192];
            while (in.read(buffer) >= 0) {
                // Swallowed.
            }
        };
    }

    /**
     * Echo that, once, holds its answers for {@code stallMillis}: the first read arriving at
     * least {@code stallAfterMillis} after the first byte ever received is answered only after the
     * stall. Serves one connection, like wrk2's reasoning about a single stalled request.
     */
    static ConnectionHandler stallingEcho(long stallAfterMillis, long stallMillis, AtomicLong stalledAtNanos) {
        return (in, out) -> {
            byte[] buffer = new byte[8192];
            long firstByteNanos = 0;
            boolean stalled = false;
            int n;
            while ((n = in.read(buffer)) > 0) {
                long now = System.nanoTime();
                if (firstByteNanos == 0) {
                    firstByteNanos = now;
                }
                if (!stalled && now - firstByteNanos >= stallAfterMillis * 1_000_000) {
                    stalled = true;
                    stalledAtNanos.set(now);
                    Thread.sleep(stallMillis);
                }
                out.write(buffer, 0, n);
            }
        };
    }

    /**
     * Echo that flips one bit of the byte at stream offset {@code corruptAt} of its first
     * connection only (the client reconnects after the mismatch); a negative offset never corrupts.
     */
    static ConnectionHandler corruptingEcho(long corruptAt) {
        AtomicBoolean corrupted = new AtomicBoolean(corruptAt < 0);
        return (in, out) -> {
            byte[] buffer = new byte[8192];
            long offset = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (corruptAt >= offset && corruptAt < offset + n && corrupted.compareAndSet(false, true)) {
                    buffer[(int) (corruptAt - offset)] ^= 0x01;
                }
                offset += n;
                out.write(buffer, 0, n);
            }
        };
    }

    /** HTTP: answers each request (read up to its blank line) with {@code response}. */
    static ConnectionHandler http(String response) {
        return http(response, () -> { });
    }

    /** HTTP as above, calling {@code afterEachAnswer} once each answer is out. */
    static ConnectionHandler http(String response, Runnable afterEachAnswer) {
        byte[] bytes = response.getBytes(StandardCharsets.ISO_8859_1);
        return (in, out) -> {
            int matched = 0;
            int b;
            while ((b = in.read()) >= 0) {
                matched = switch (matched) {
                    case 0, 2 -> b == '\r' ? matched + 1 : 0;
                    case 1 -> b == '\n' ? 2 : (b == '\r' ? 1 : 0);
                    case 3 -> b == '\n' ? 4 : (b == '\r' ? 1 : 0);
                    default -> 0;
                };
                if (matched == 4) {
                    out.write(bytes);
                    out.flush();
                    matched = 0;
                    afterEachAnswer.run();
                }
            }
        };
    }

    /** A UDP echo whose answer to each datagram is decided by {@code answer(sequence, send)}. */
    static final class Udp implements AutoCloseable {
        private final DatagramSocket socket;
        private final Thread thread;

        /** @param answer given the datagram's sequence number and a sender to call 0..n times */
        Udp(BiConsumer<Long, Runnable> answer) throws SocketException {
            socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                byte[] buffer = new byte[65_536];
                while (!socket.isClosed()) {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    try {
                        socket.receive(packet);
                        long sequence = packet.getLength() >= 8
                                ? ByteBuffer.wrap(packet.getData(), 0, 8).getLong() : -1;
                        DatagramPacket reply = new DatagramPacket(packet.getData().clone(), packet.getLength(), packet.getSocketAddress());
                        answer.accept(sequence, () -> {
                            try {
                                socket.send(reply);
                            } catch (IOException ignored) {
                                // Closed while answering: the test is over.
                            }
                        });
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "fake-udp");
            thread.setDaemon(true);
            thread.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}

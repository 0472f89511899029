package io.loombench.server.udp;

import io.loombench.server.ErrorKind;
import io.loombench.server.ServerCounters;
import io.loombench.server.model.EventLoop;
import io.loombench.server.protocol.ProtocolSession;
import io.loombench.server.protocol.SessionFactory;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A UDP server: receives on one non-blocking socket from one event loop, the same in every
 * model, and runs each datagram (up to {@value #MAX_DATAGRAM_BYTES} bytes of payload) through a
 * new session of the protocol, whose answer goes back to the sender. The model's
 * {@link DatagramHandling} says who runs the session.
 *
 * <p>A datagram in flight (received, not yet answered) counts as active; beyond
 * {@code maxInFlight} in flight, new datagrams are dropped and counted, as a real service would
 * shed load rather than queue without bound.
 *
 * <p>Lifecycle: {@link #start()}, then {@link #stopReceiving()} once a shutdown begins, then
 * {@link #close()}.
 */
public final class DatagramReceiver implements EventLoop.Handler {
    /** The largest UDP payload over IPv4: 65,535 minus the IP and UDP headers. */
    public static final int MAX_DATAGRAM_BYTES = 65_507;
    /** Large enough for any datagram, IPv4 or IPv6. */
    private static final int BUFFER_BYTES = 65_536;

    private final DatagramChannel channel;
    private final SessionFactory sessions;
    private final ServerCounters counters;
    private final int maxInFlight;
    private final DatagramHandling handling;
    private final EventLoop loop;
    /** Direct, so the JDK receives into it and sends from it without a copy of its own. */
    private final ByteBuffer received = ByteBuffer.allocateDirect(BUFFER_BYTES);
    /** The answers made on the loop, one at a time; empty between them. */
    private final ByteBuffer answers = ByteBuffer.allocateDirect(BUFFER_BYTES);
    private SelectionKey key;
    /** Exchanges waiting on a loop timer; loop thread only. */
    private int waitingOnLoop;
    /** Set on the loop thread when the socket closes; timers that fire after it do nothing. */
    private boolean closed;

    /**
     * @param channel     bound; the receiver owns it from now on
     * @param maxInFlight datagrams in flight beyond which new ones are dropped
     */
    public DatagramReceiver(DatagramChannel channel, SessionFactory sessions, ServerCounters counters, int maxInFlight,
                            DatagramHandling handling) {
        this.channel = channel;
        this.sessions = sessions;
        this.counters = counters;
        this.maxInFlight = maxInFlight;
        this.handling = handling;
        this.loop = new EventLoop("loombench-udp", TimeUnit.SECONDS.toNanos(1), now -> { }, counters::handlerBug);
    }

    /** Starts receiving. */
    public void start() throws IOException {
        channel.configureBlocking(false);
        loop.start();
        loop.execute(() -> {
            try {
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
            while ((sender = channel.receive(received.clear())) != null) {
                received.flip();
                counters.bytesRead(received.remaining());
                if (counters.active() >= maxInFlight) {
                    counters.error(ErrorKind.DATAGRAM_DROPPED);
                    continue;
                }
                counters.accepted();
                ProtocolSession session;
                try {
                    session = sessions.newSession();
                } catch (RuntimeException e) {
                    failed(e);
                    continue;
                }
                DatagramExchange exchange = new DatagramExchange(this, session, received, sender);
                switch (handling) {
                    case DatagramHandling.OnReceivingLoop() -> answerHere(exchange);
                    case DatagramHandling.OnExecutor(ExecutorService executor) -> handOver(exchange, executor);
                }
            }
        } catch (IOException e) {
            counters.error(ErrorKind.IO);
        }
    }

    /** Answers on the loop thread, now or from a timer once the session's wait is over. */
    private void answerHere(DatagramExchange exchange) {
        if (!exchange.advance(answers.clear(), loop.now())) {
            exchange.keepDatagram();
            waitOnLoop(exchange);
        }
    }

    private void waitOnLoop(DatagramExchange exchange) {
        waitingOnLoop++;
        loop.schedule(TimeUnit.MILLISECONDS.toNanos(exchange.waitMillis()), () -> {
            if (closed) {
                return;
            }
            waitingOnLoop--;
            if (!exchange.advance(answers.clear(), loop.now())) {
                waitOnLoop(exchange);
            }
        });
    }

    private void handOver(DatagramExchange exchange, ExecutorService executor) {
        exchange.keepDatagram();
        try {
            executor.execute(exchange);
        } catch (RejectedExecutionException e) {
            drop();
        }
    }

    /** Sends an answer (read mode) and ends its datagram's flight; callable from any thread. */
    void send(ByteBuffer answer, SocketAddress to) {
        try {
            int length = answer.remaining();
            int sent = channel.send(answer, to);
            if (sent == 0 && length > 0) {
                counters.error(ErrorKind.DATAGRAM_DROPPED);
            } else {
                counters.bytesWritten(sent);
            }
        } catch (IOException e) {
            counters.error(ErrorKind.IO);
        } finally {
            counters.finished();
        }
    }

    /** Ends a datagram's flight without an answer, counted as dropped. */
    void drop() {
        counters.error(ErrorKind.DATAGRAM_DROPPED);
        counters.finished();
    }

    /** Ends a datagram's flight whose session threw: counted as a bug, not answered. */
    void failed(RuntimeException e) {
        counters.handlerBug("the session of a datagram", e);
        counters.finished();
    }

    /** Ends a datagram's flight cut by the shutdown, which counted it when its grace ran out. */
    void abandon() {
        counters.finished();
    }

    /** Stops taking new datagrams; those in flight are still answered. */
    public void stopReceiving() {
        loop.execute(() -> {
            if (key != null && key.isValid()) {
                key.interestOps(0);
            }
        });
    }

    /**
     * Abandons what is still in flight, stops every thread the receiver and its handling started,
     * closes the socket, and waits until the threads have ended.
     */
    public void close() throws InterruptedException {
        try {
            if (handling instanceof DatagramHandling.OnExecutor(ExecutorService executor)) {
                for (Runnable neverStarted : executor.shutdownNow()) {
                    if (neverStarted instanceof DatagramExchange exchange) {
                        exchange.abandon();
                    }
                }
                if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("datagram threads still running 10 s after they were interrupted");
                }
            }
        } finally {
            // On the loop thread, after the tasks already queued there (stopReceiving among them),
            // since closing the socket cancels the key they use.
            loop.execute(this::closeOnLoop);
            loop.stop();
            loop.join();
        }
    }

    private void closeOnLoop() {
        closed = true;
        for (; waitingOnLoop > 0; waitingOnLoop--) {
            abandon();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a datagram socket has nothing to report.
        }
    }
}

package io.loombench.server.udp;

import io.loombench.server.ServerError;
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
 * model, and runs each datagram (up to {@code maxDatagram} bytes of payload) through a new session
 * of the protocol, whose answer goes back to the sender. The model's {@link DatagramHandling}
 * says who runs the session.
 *
 * <p>A datagram is received into {@code maxDatagram + 1} bytes: the kernel cuts a longer one to
 * the buffer and says nothing, so a datagram that fills the buffer is known to be too long. It is
 * counted as {@link ServerError#DATAGRAM_TRUNCATED} and not answered, since an echo of its first
 * part would look like a whole answer. A zero-byte datagram is valid, and answered with one.
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

    private final DatagramChannel channel;
    private final SessionFactory sessions;
    private final ServerCounters counters;
    private final int maxInFlight;
    private final int maxDatagram;
    private final DatagramHandling handling;
    private final EventLoop loop;
    /**
     * {@code maxDatagram + 1} bytes, so a datagram too long fills it. Direct, so the JDK receives
     * into it and sends from it without a copy of its own.
     */
    private final ByteBuffer received;
    /** The answers made on the loop, one at a time; empty between them. */
    private final ByteBuffer answers;
    private SelectionKey key;
    /** Exchanges waiting on a loop timer; loop thread only. */
    private int waitingOnLoop;
    /** Set on the loop thread when the socket closes; timers that fire after it do nothing. */
    private boolean closed;

    /**
     * @param channel     bound; the receiver owns it from now on
     * @param maxInFlight datagrams in flight beyond which new ones are dropped
     * @param maxDatagram the longest payload answered, in bytes; longer ones are counted as truncated
     */
    public DatagramReceiver(DatagramChannel channel, SessionFactory sessions, ServerCounters counters, int maxInFlight,
                            int maxDatagram, DatagramHandling handling) {
        this.channel = channel;
        this.sessions = sessions;
        this.counters = counters;
        this.maxInFlight = maxInFlight;
        this.handling = handling;
        this.maxDatagram = maxDatagram;
        this.received = ByteBuffer.allocateDirect(maxDatagram + 1);
        this.answers = ByteBuffer.allocateDirect(maxDatagram);
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
                counters.error(ServerError.IO);
            }
        });
    }

    @Override
    public void onReady(SelectionKey readyKey) {
        try {
            SocketAddress sender;
            while ((sender = channel.receive(received.clear())) != null) {
                received.flip();
                if (received.remaining() > maxDatagram) {
                    // Its length is unknown, only that it is too long: no bytes counted as read.
                    counters.error(ServerError.DATAGRAM_TRUNCATED);
                    continue;
                }
                counters.bytesRead(received.remaining());
                if (counters.active() >= maxInFlight) {
                    counters.error(ServerError.DATAGRAM_DROPPED);
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
            counters.error(ServerError.IO);
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

    /**
     * Sends an answer (read mode) and ends its datagram's flight; callable from any thread.
     *
     * @param ofEmptyDatagram the answer to a zero-byte datagram: the session had no bytes to
     *                        answer and counted no request, so it is counted here once sent
     */
    void send(ByteBuffer answer, SocketAddress to, boolean ofEmptyDatagram) {
        try {
            int length = answer.remaining();
            int sent = channel.send(answer, to);
            if (sent == 0 && length > 0) {
                counters.error(ServerError.DATAGRAM_DROPPED);
            } else {
                counters.bytesWritten(sent);
                if (ofEmptyDatagram) {
                    counters.request();
                }
            }
        } catch (IOException e) {
            counters.error(ServerError.IO);
        } finally {
            counters.finished();
        }
    }

    /** Ends a datagram's flight without an answer, counted as dropped. */
    void drop() {
        counters.error(ServerError.DATAGRAM_DROPPED);
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

package io.loombench.server.udp;

import io.loombench.server.protocol.Next;
import io.loombench.server.protocol.ProtocolSession;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * One datagram's trip through the protocol: the datagram is the session's whole input, and what
 * the session writes out by the time it has consumed it is the answer, sent as one datagram to
 * the sender. One datagram in, at most one out: a session that asks to flush (its answer would
 * not fit) or to close gets no answer sent, and the datagram counts as dropped.
 */
final class DatagramExchange implements Runnable {
    private final DatagramReceiver receiver;
    private final ProtocolSession session;
    private final SocketAddress sender;
    /** The datagram, read mode; the receiver's buffer until {@link #keepDatagram()} copies it. */
    private ByteBuffer datagram;

    DatagramExchange(DatagramReceiver receiver, ProtocolSession session, ByteBuffer datagram, SocketAddress sender) {
        this.receiver = receiver;
        this.session = session;
        this.datagram = datagram;
        this.sender = sender;
    }

    /** Copies the datagram out of the buffer it was received into, which is about to be reused. */
    void keepDatagram() {
        datagram = ByteBuffer.allocate(datagram.remaining()).put(datagram).flip();
    }

    /**
     * Runs the session on the datagram and sends its answer.
     *
     * @param answer   where the answer is written: empty, write mode, room for the whole answer
     * @return false if the session asked to wait first: call again after {@link #waitMillis()};
     *         true once the datagram is answered, dropped, or failed (its session threw: a bug,
     *         counted, and no answer)
     */
    boolean advance(ByteBuffer answer, long nowNanos) {
        boolean empty = !datagram.hasRemaining();
        Next next;
        try {
            next = session.process(datagram, answer, nowNanos);
        } catch (RuntimeException e) {
            receiver.failed(e);
            return true;
        }
        switch (next) {
            case WAIT -> {
                return false;
            }
            case NEED_INPUT -> receiver.send(answer.flip(), sender, empty);
            case FLUSH, CLOSE -> receiver.drop();
        }
        return true;
    }

    long waitMillis() {
        return session.waitMillis();
    }

    /**
     * On an executor thread: answers into a buffer as long as the datagram (echo answers in kind),
     * sleeping the thread through the session's waits.
     */
    @Override
    public void run() {
        ByteBuffer answer = ByteBuffer.allocate(datagram.remaining());
        try {
            while (!advance(answer, System.nanoTime())) {
                Thread.sleep(session.waitMillis());
            }
        } catch (InterruptedException e) {
            // Shut down while waiting: the grace is over and the shutdown has counted this one.
            receiver.abandon();
        }
    }

    /** Never ran: its executor was shut down with it still queued. */
    void abandon() {
        receiver.abandon();
    }
}

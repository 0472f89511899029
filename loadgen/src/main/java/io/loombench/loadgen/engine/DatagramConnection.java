package io.loombench.loadgen.engine;

import io.loombench.loadgen.LoadError;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;

/**
 * A UDP client socket, connected to the target so it receives only the target's datagrams. Each
 * datagram carries an 8-byte sequence number followed by {@link Payload} bytes; answers are
 * matched by sequence, checked byte for byte, and classified as first, duplicate, late or never
 * sent, with reordering counted. Datagrams are built in, and read into, the worker's shared
 * buffers, so a socket holds no buffer of its own.
 */
final class DatagramConnection extends Connection {
    private final InetSocketAddress target;
    private final InetSocketAddress bindAddress;
    private final Payload payload;
    private final int size;
    private final DatagramWindow window;
    private DatagramChannel channel;
    private SelectionKey key;
    /** Sequence of the datagram enqueued but not yet sent, or -1. */
    private long pendingSequence = -1;

    /** @param bindAddress the local address to send from (port 0), or null for any */
    DatagramConnection(Context context, int index, Schedule schedule, InetSocketAddress target, InetSocketAddress bindAddress,
                       Payload payload, int size, int pipeline) {
        super(context, index, schedule);
        this.target = target;
        this.bindAddress = bindAddress;
        this.payload = payload;
        this.size = size;
        this.window = new DatagramWindow(pipeline);
    }

    @Override
    protected void open(long now) {
        window.clear();
        try {
            channel = DatagramChannel.open();
        } catch (IOException e) {
            // Creating a socket fails when the process has no file descriptor left.
            attemptFailed(LoadError.FILE_LIMIT, now);
            return;
        }
        try {
            channel.configureBlocking(false);
            if (bindAddress != null) {
                channel.bind(bindAddress);
            }
            channel.connect(target);
            key = channel.register(context.selector(), SelectionKey.OP_READ, this);
        } catch (IOException e) {
            attemptFailed(connectFailure(e), now);
            return;
        }
        opened(now);
    }

    @Override
    int outstanding() {
        return window.inFlight();
    }

    @Override
    protected boolean hasRoom() {
        return pendingSequence < 0 && window.hasRoom();
    }

    @Override
    protected boolean waitingForAnswers() {
        return !window.hasRoom();
    }

    /** Sends the datagram at once; a full socket buffer leaves it pending until OP_WRITE. */
    @Override
    protected void enqueue(long intendedNanos, long sendNanos, boolean measured) throws IOException {
        pendingSequence = window.send(intendedNanos, sendNanos, measured);
        transmit();
    }

    @Override
    protected void transmit() throws IOException {
        if (pendingSequence < 0) {
            return;
        }
        ByteBuffer out = context.buffers().out();
        out.clear();
        out.putLong(pendingSequence);
        payload.put(out, pendingSequence, Long.BYTES, size - Long.BYTES);
        out.flip();
        int n = channel.write(out);
        if (n == 0) {
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            return;
        }
        stats.add(Counter.BYTES_SENT, n);
        pendingSequence = -1;
        if (key.interestOps() != SelectionKey.OP_READ) {
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    @Override
    void onReady(SelectionKey readyKey) {
        long now = System.nanoTime();
        try {
            if (readyKey.isWritable()) {
                transmit();
                issue(now);
            }
            if (state == State.OPEN && readyKey.isReadable()) {
                read(now);
            }
        } catch (IOException e) {
            fail(LoadError.RESET, now);
        }
    }

    private void read(long now) throws IOException {
        ByteBuffer in = context.buffers().in();
        int n;
        while ((n = channel.read(in.clear())) > 0) {
            stats.add(Counter.BYTES_RECEIVED, n);
            in.flip();
            if (n < Long.BYTES) {
                context.host().failed(LoadError.PROTOCOL, 1);
                continue;
            }
            long sequence = in.getLong();
            DatagramWindow.Answer answer = window.answer(sequence);
            switch (answer) {
                case FIRST -> {
                    if (n != size || !payload.check(in, sequence, Long.BYTES, size - Long.BYTES)) {
                        abandoned(LoadError.MISMATCH, 1);
                    } else {
                        if (window.lastAnswerReordered()) {
                            stats.increment(Counter.REORDERED);
                        }
                        answered(window.intendedOf(sequence), window.sentOf(sequence), window.measuredOf(sequence), now);
                    }
                }
                case DUPLICATE -> context.host().failed(LoadError.DUPLICATE, 1);
                case LATE -> stats.increment(Counter.LATE);
                case NEVER_SENT -> context.host().failed(LoadError.PROTOCOL, 1);
            }
        }
        issue(now);
    }

    /** Counts datagrams unanswered for longer than the timeout as lost, freeing their places. */
    @Override
    void expire(long now) {
        int lost = window.expire(now - context.timeoutNanos());
        if (lost > 0) {
            abandoned(LoadError.LOST, lost);
            issue(now);
        }
    }

    @Override
    protected void closeChannel() {
        window.clear();
        pendingSequence = -1;
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing a datagram socket has nothing useful to report.
            }
            channel = null;
            key = null;
        }
    }
}

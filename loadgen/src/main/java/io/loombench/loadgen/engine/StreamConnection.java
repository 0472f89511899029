package io.loombench.loadgen.engine;

import io.loombench.loadgen.LoadError;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * A TCP client connection: non-blocking connect, requests written from the {@link StreamCodec}
 * as the socket takes them, answers parsed as they arrive, in order.
 *
 * <p>It owns no buffer. Requests are written through the worker's shared output buffer, filled
 * from the codec at the connection's write position each time, so a request the socket took only
 * part of is simply derived again from where it stopped. Answers are read into the worker's
 * shared input buffer; the rare bytes a read leaves unparsed (an incomplete HTTP line) are
 * {@link CarriedInput carried} to the next.
 */
final class StreamConnection extends Connection {
    private final InetSocketAddress target;
    private final InetSocketAddress bindAddress;
    private final StreamCodec codec;
    private final Outstanding outstanding;
    private final boolean countStatus;
    private final CarriedInput carried = new CarriedInput();
    private SocketChannel channel;
    private SelectionKey key;
    /** Requests enqueued but not wholly written, and where the writing of the first one stands. */
    private int unwritten;
    private long writeSequence;
    private int writeOffset;

    /** @param bindAddress the local address to connect from (port 0), or null for any */
    StreamConnection(Context context, int index, Schedule schedule, InetSocketAddress target, InetSocketAddress bindAddress,
                     StreamCodec codec, int pipeline) {
        super(context, index, schedule);
        this.target = target;
        this.bindAddress = bindAddress;
        this.codec = codec;
        this.outstanding = new Outstanding(pipeline);
        this.countStatus = codec instanceof HttpResponseReader;
    }

    @Override
    protected void open(long now) {
        codec.reset();
        outstanding.clear();
        unwritten = 0;
        writeSequence = 0;
        writeOffset = 0;
        try {
            channel = SocketChannel.open();
        } catch (IOException e) {
            // Creating a socket fails when the process has no file descriptor left.
            attemptFailed(LoadError.FILE_LIMIT, now);
            return;
        }
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (bindAddress != null) {
                channel.bind(bindAddress);
            }
            boolean connected = channel.connect(target);
            key = channel.register(context.selector(), connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, this);
            if (connected) {
                opened(now);
            }
        } catch (IOException e) {
            attemptFailed(connectFailure(e), now);
        }
    }

    @Override
    void onReady(SelectionKey readyKey) {
        long now = System.nanoTime();
        try {
            if (state == State.CONNECTING) {
                if (channel.finishConnect()) {
                    key.interestOps(SelectionKey.OP_READ);
                    opened(now);
                }
                return;
            }
            if (readyKey.isWritable()) {
                transmit();
            }
            if (state == State.OPEN && readyKey.isReadable()) {
                read(now);
            }
        } catch (IOException e) {
            if (state == State.CONNECTING) {
                attemptFailed(connectFailure(e), now);
            } else {
                fail(LoadError.RESET, now);
            }
        }
    }

    @Override
    int outstanding() {
        return outstanding.size();
    }

    @Override
    protected boolean hasRoom() {
        return !outstanding.full();
    }

    @Override
    protected boolean waitingForAnswers() {
        return outstanding.full();
    }

    @Override
    protected void enqueue(long intendedNanos, long sendNanos, boolean measured) {
        outstanding.add(intendedNanos, sendNanos, measured);
        unwritten++;
    }

    /** Writes as much of the unwritten requests as the socket takes; waits for OP_WRITE for the rest. */
    @Override
    protected void transmit() throws IOException {
        ByteBuffer out = context.buffers().out();
        while (unwritten > 0) {
            out.clear();
            fill(out);
            out.flip();
            int n = channel.write(out);
            stats.add(Counter.BYTES_SENT, n);
            advance(n);
            if (out.hasRemaining()) {
                break;
            }
        }
        int ops = unwritten > 0 ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    /** Puts the unwritten requests into {@code out}, from the write position on, as far as they fit. */
    private void fill(ByteBuffer out) {
        int requestBytes = codec.requestBytes();
        long sequence = writeSequence;
        int offset = writeOffset;
        int left = unwritten;
        while (left > 0 && out.hasRemaining()) {
            int n = Math.min(out.remaining(), requestBytes - offset);
            codec.putRequest(out, sequence, offset, n);
            offset += n;
            if (offset == requestBytes) {
                offset = 0;
                sequence++;
                left--;
            }
        }
    }

    /** Moves the write position past {@code written} bytes that the socket took. */
    private void advance(int written) {
        int requestBytes = codec.requestBytes();
        long total = writeOffset + (long) written;
        long whole = total / requestBytes;
        writeSequence += whole;
        unwritten -= (int) whole;
        writeOffset = (int) (total % requestBytes);
    }

    private void read(long now) throws IOException {
        ByteBuffer in = context.buffers().in();
        in.clear();
        carried.restoreInto(in);
        int n = channel.read(in);
        in.flip();
        if (n < 0) {
            endOfInput(now);
            return;
        }
        stats.add(Counter.BYTES_RECEIVED, n);
        while (in.hasRemaining()) {
            if (outstanding.size() == 0) {
                fail(LoadError.PROTOCOL, now);
                return;
            }
            StreamCodec.Read read = codec.read(in);
            if (read == StreamCodec.Read.INCOMPLETE) {
                carried.carry(in);
                break;
            }
            if (read == StreamCodec.Read.INVALID) {
                fail(codec.failure(), now);
                return;
            }
            answer(codec.status(), now);
            if (codec.closeAfter()) {
                endAfterAnswer(now);
                return;
            }
        }
        issue(now);
    }

    private void endOfInput(long now) {
        if (codec.endOfInput() && outstanding.size() > 0) {
            answer(codec.status(), now);
        }
        endAfterAnswer(now);
    }

    /** The server closed, or announced it closes after this answer: requests still outstanding fail. */
    private void endAfterAnswer(long now) {
        if (outstanding.size() > 0) {
            fail(LoadError.RESET, now);
        } else {
            closedByPeer(now);
        }
    }

    private void answer(int status, long now) {
        long intended = outstanding.oldestIntended();
        long sent = outstanding.oldestSent();
        boolean measured = outstanding.oldestMeasured();
        outstanding.removeOldest();
        answered(intended, sent, measured, now);
        if (countStatus) {
            stats.status(status);
            if (status >= 400) {
                context.host().failed(LoadError.STATUS, 1);
            }
        }
    }

    @Override
    void expire(long now) {
        if (state == State.OPEN && outstanding.size() > 0 && now - outstanding.oldestSent() - context.timeoutNanos() > 0) {
            fail(LoadError.TIMEOUT, now);
        }
    }

    @Override
    protected void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing a client socket has nothing useful to report.
            }
            channel = null;
            key = null;
        }
        outstanding.clear();
        carried.clear();
    }
}

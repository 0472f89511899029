package io.loombench.loadgen.engine;

import io.loombench.loadgen.ErrorKind;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * A TCP client connection: non-blocking connect, requests written from the {@link StreamCodec}
 * as the socket takes them, answers parsed as they arrive, in order. Buffers are direct, so the
 * kernel copies straight into them, and allocated once per connection.
 */
final class StreamConnection extends Connection {
    /** Room for many pipelined answers per read; an HTTP header line must fit in it. */
    private static final int READ_BUFFER_BYTES = 16 * 1024;
    private static final int WRITE_BUFFER_BYTES = 8 * 1024;

    private final InetSocketAddress target;
    private final InetAddress bindAddress;
    private final StreamCodec codec;
    private final Outstanding outstanding;
    private final boolean countStatus;
    private ByteBuffer in;
    private ByteBuffer out;
    private SocketChannel channel;
    private SelectionKey key;
    /** Requests enqueued but not wholly written, and where the writing of the first one stands. */
    private int unwritten;
    private long writeSequence;
    private int writeOffset;

    StreamConnection(Worker worker, int index, Schedule schedule, InetSocketAddress target, InetAddress bindAddress,
                     StreamCodec codec, int pipeline) {
        super(worker, index, schedule);
        this.target = target;
        this.bindAddress = bindAddress;
        this.codec = codec;
        this.outstanding = new Outstanding(pipeline);
        this.countStatus = codec instanceof HttpResponseReader;
    }

    @Override
    protected void open(long now) throws IOException {
        if (in == null) {
            in = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
            out = ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES);
        }
        in.clear().flip();
        out.clear();
        codec.reset();
        outstanding.clear();
        unwritten = 0;
        writeSequence = 0;
        writeOffset = 0;
        channel = SocketChannel.open();
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (bindAddress != null) {
                channel.bind(new InetSocketAddress(bindAddress, 0));
            }
            boolean connected = channel.connect(target);
            key = channel.register(worker.selector(), connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, this);
            if (connected) {
                opened(now);
            }
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public void onReady(SelectionKey readyKey) {
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
                connectFailed(now);
            } else {
                fail(ErrorKind.RESET, now);
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
    protected void enqueue(long intendedNanos, long sendNanos) {
        outstanding.add(intendedNanos, sendNanos);
        unwritten++;
    }

    /** Writes as much of the unwritten requests as the socket takes; waits for OP_WRITE for the rest. */
    @Override
    protected void transmit() throws IOException {
        while (true) {
            fillOut();
            if (out.position() == 0) {
                break;
            }
            out.flip();
            int n = channel.write(out);
            out.compact();
            stats.add(Counter.BYTES_SENT, n);
            if (n == 0) {
                break;
            }
        }
        int ops = out.position() > 0 || unwritten > 0 ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    private void fillOut() {
        int requestBytes = codec.requestBytes();
        while (unwritten > 0 && out.hasRemaining()) {
            int n = Math.min(out.remaining(), requestBytes - writeOffset);
            codec.putRequest(out, writeSequence, writeOffset, n);
            writeOffset += n;
            if (writeOffset == requestBytes) {
                writeOffset = 0;
                writeSequence++;
                unwritten--;
            }
        }
    }

    private void read(long now) throws IOException {
        in.compact();
        int n = channel.read(in);
        in.flip();
        if (n < 0) {
            endOfInput(now);
            return;
        }
        stats.add(Counter.BYTES_RECEIVED, n);
        while (in.hasRemaining()) {
            if (outstanding.size() == 0) {
                fail(ErrorKind.PROTOCOL, now);
                return;
            }
            int status = codec.read(in);
            if (status == StreamCodec.INCOMPLETE) {
                break;
            }
            if (status == StreamCodec.FAILED) {
                fail(codec.failure(), now);
                return;
            }
            answer(status, now);
            if (codec.closeAfter()) {
                endAfterAnswer(now);
                return;
            }
        }
        issue(now);
    }

    private void endOfInput(long now) {
        int status = codec.endOfInput();
        if (status != StreamCodec.INCOMPLETE && outstanding.size() > 0) {
            answer(status, now);
        }
        if (outstanding.size() > 0) {
            fail(ErrorKind.RESET, now);
        } else {
            closedByPeer(now);
        }
    }

    /** The server announced it closes after this answer; requests pipelined behind it fail. */
    private void endAfterAnswer(long now) {
        if (outstanding.size() > 0) {
            fail(ErrorKind.RESET, now);
        } else {
            closedByPeer(now);
        }
    }

    private void answer(int status, long now) {
        long intended = outstanding.oldestIntended();
        long sent = outstanding.oldestSent();
        outstanding.removeOldest();
        answered(intended, sent, now);
        if (countStatus) {
            stats.status(status);
            if (status >= 400) {
                stats.error(ErrorKind.STATUS, 1);
                worker.errorHappened();
            }
        }
    }

    @Override
    void expire(long now) {
        if (state == State.OPEN && outstanding.size() > 0 && now - outstanding.oldestSent() - worker.timeoutNanos() > 0) {
            fail(ErrorKind.TIMEOUT, now);
        }
    }

    @Override
    protected void closeChannel() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a client socket has nothing useful to report.
        }
        outstanding.clear();
    }
}

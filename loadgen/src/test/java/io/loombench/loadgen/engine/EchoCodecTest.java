package io.loombench.loadgen.engine;

import io.loombench.loadgen.LoadError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EchoCodec} and {@link Payload}: requests written piecewise as the connection writes them,
 * echoed back and read through {@link StreamFeed} at any cuts, are all accepted in order; any
 * corruption, reordering or loss is a {@link LoadError#MISMATCH}.
 */
class EchoCodecTest {
    private static final int BUFFER = 16 * 1024;

    /** The bytes of requests {@code [0, count)} as the connection writes them, in pieces of random size. */
    private static byte[] requests(EchoCodec codec, int count, SplittableRandom random) {
        int size = codec.requestBytes();
        ByteBuffer out = ByteBuffer.allocate(size * count);
        for (int sequence = 0; sequence < count; sequence++) {
            int offset = 0;
            while (offset < size) {
                int n = 1 + random.nextInt(size - offset);
                codec.putRequest(out, sequence, offset, n);
                offset += n;
            }
        }
        assertThat(out.hasRemaining()).isFalse();
        return out.array();
    }

    private static String[] ok(int count) {
        return Collections.nCopies(count, "200").toArray(String[]::new);
    }

    @ParameterizedTest(name = "size {0}")
    @ValueSource(ints = {1, 2, 7, 64, 1000, 7919, 65_536, 65_537, 200_000})
    void roundTripAtAnyCut(int size) {
        Payload payload = new Payload(size);
        EchoCodec codec = new EchoCodec(payload, size);
        int count = Math.max(3, Math.min(200, 400_000 / size));
        byte[] stream = requests(codec, count, new SplittableRandom(size));
        SplittableRandom random = new SplittableRandom(-size);
        for (int r = 0; r < 40; r++) {
            int cut1 = random.nextInt(stream.length + 1);
            int cut2 = cut1 + random.nextInt(stream.length - cut1 + 1);
            StreamFeed.Outcome outcome = StreamFeed.feed(codec, BUFFER, stream, new int[] {cut1, cut2}, true);
            assertThat(outcome.events()).as("cuts %d %d", cut1, cut2).containsExactly(ok(count));
            assertThat(outcome.leftover()).isZero();
        }
    }

    @Test
    void roundTripOfSmallRequestsAtEveryCutAndByteByByte() {
        for (int size = 1; size <= 40; size += 13) {
            EchoCodec codec = new EchoCodec(new Payload(3), size);
            byte[] stream = requests(codec, 5, new SplittableRandom(size));
            for (StreamFeed.Cutting cutting : StreamFeed.cuttings(stream.length, size)) {
                StreamFeed.Outcome outcome = StreamFeed.feed(codec, 16, stream, cutting.cuts(), true);
                assertThat(outcome.events()).as(cutting.name()).containsExactly(ok(5));
                assertThat(outcome.leftover()).isZero();
            }
        }
    }

    @Test
    void manySequencesCrossThePatternsEnd() {
        // 10^5 requests of 13 bytes start at 10^5 places in the 64 KiB pattern; some cross its end.
        int size = 13;
        EchoCodec codec = new EchoCodec(new Payload(11), size);
        int count = 100_000;
        byte[] stream = requests(codec, count, new SplittableRandom(5));
        StreamFeed.Outcome outcome = StreamFeed.feed(codec, 4096, stream, new int[] {stream.length / 3}, true);
        assertThat(outcome.events()).hasSize(count).containsOnly("200");
        assertThat(outcome.leftover()).isZero();
    }

    @Test
    void putAndByteAtAgree() {
        Payload payload = new Payload(1);
        for (long sequence : new long[] {0, 1, 8, 9_999, Long.MAX_VALUE / 7919, Long.MAX_VALUE}) {
            ByteBuffer out = ByteBuffer.allocate(70_000);
            payload.put(out, sequence, 3, 70_000);
            for (int i = 0; i < 70_000; i++) {
                assertThat(out.get(i)).isEqualTo(payload.byteAt(sequence, 3 + i));
            }
        }
    }

    @Test
    void consecutiveRequestsDiffer() {
        Payload payload = new Payload(1);
        int differ = 0;
        for (int i = 0; i < 64; i++) {
            if (payload.byteAt(0, i) != payload.byteAt(1, i)) {
                differ++;
            }
        }
        assertThat(differ).isGreaterThan(48);
    }

    /** Flipping any bit pattern of any one byte fails exactly the request holding it, after all earlier ones. */
    @ParameterizedTest(name = "size {0}")
    @ValueSource(ints = {1, 5, 64})
    void everyFlippedByteIsDetected(int size) {
        EchoCodec codec = new EchoCodec(new Payload(size), size);
        int count = 4;
        byte[] stream = requests(codec, count, new SplittableRandom(size));
        SplittableRandom random = new SplittableRandom(size);
        for (int at = 0; at < stream.length; at++) {
            for (int flip : new int[] {0x01, 0x80, 0xFF, 1 + random.nextInt(255)}) {
                byte[] corrupt = stream.clone();
                corrupt[at] ^= (byte) flip;
                List<String> expected = new ArrayList<>(Collections.nCopies(at / size, "200"));
                expected.add("FAILED MISMATCH");
                for (StreamFeed.Cutting cutting : List.of(new StreamFeed.Cutting("whole", new int[0]),
                        new StreamFeed.Cutting("at the flip", new int[] {at}),
                        new StreamFeed.Cutting("after the flip", new int[] {at + 1}))) {
                    StreamFeed.Outcome outcome = StreamFeed.feed(codec, 32, corrupt, cutting.cuts(), true);
                    assertThat(outcome.events()).as("byte %d ^ %02x, %s", at, flip, cutting.name()).isEqualTo(expected);
                    assertThat(codec.failure()).isEqualTo(LoadError.MISMATCH);
                }
            }
        }
    }

    @Test
    void aFlippedByteInALargeRequestIsDetected() {
        int size = 100_000;
        EchoCodec codec = new EchoCodec(new Payload(9), size);
        byte[] stream = requests(codec, 2, new SplittableRandom(1));
        SplittableRandom random = new SplittableRandom(2);
        for (int r = 0; r < 50; r++) {
            int at = random.nextInt(stream.length);
            byte[] corrupt = stream.clone();
            corrupt[at] ^= (byte) (1 + random.nextInt(255));
            List<String> expected = new ArrayList<>(Collections.nCopies(at / size, "200"));
            expected.add("FAILED MISMATCH");
            StreamFeed.Outcome outcome = StreamFeed.feed(codec, BUFFER, corrupt, new int[] {random.nextInt(stream.length)}, true);
            assertThat(outcome.events()).as("byte %d", at).isEqualTo(expected);
        }
    }

    @Test
    void swappedOrLostRequestsAreDetected() {
        int size = 32;
        EchoCodec codec = new EchoCodec(new Payload(4), size);
        byte[] stream = requests(codec, 3, new SplittableRandom(1));
        byte[] swapped = new byte[stream.length];
        System.arraycopy(stream, size, swapped, 0, size);
        System.arraycopy(stream, 0, swapped, size, size);
        System.arraycopy(stream, 2 * size, swapped, 2 * size, size);
        assertThat(StreamFeed.feed(codec, BUFFER, swapped, new int[0], true).events()).containsExactly("FAILED MISMATCH");

        byte[] lost = new byte[2 * size];
        System.arraycopy(stream, 0, lost, 0, size);
        System.arraycopy(stream, 2 * size, lost, size, size);
        assertThat(StreamFeed.feed(codec, BUFFER, lost, new int[0], true).events()).containsExactly("200", "FAILED MISMATCH");

        byte[] shifted = new byte[stream.length - 1];
        System.arraycopy(stream, 1, shifted, 0, shifted.length);
        assertThat(StreamFeed.feed(codec, BUFFER, shifted, new int[0], true).events()).containsExactly("FAILED MISMATCH");
    }

    @Test
    void echoNeverClosesAndResetRestartsAtSequenceZero() {
        EchoCodec codec = new EchoCodec(new Payload(8), 10);
        byte[] stream = requests(codec, 2, new SplittableRandom(3));
        ByteBuffer in = ByteBuffer.allocateDirect(64).put(stream, 0, 15).flip();
        assertThat(codec.read(in)).isEqualTo(StreamCodec.Read.ANSWER);
        assertThat(codec.status()).isEqualTo(200);
        assertThat(codec.closeAfter()).isFalse();
        assertThat(codec.read(in)).isEqualTo(StreamCodec.Read.INCOMPLETE);
        assertThat(in.hasRemaining()).as("an echo is consumed as it comes, never carried").isFalse();
        assertThat(codec.endOfInput()).isFalse();
        codec.reset();
        in.clear().put(stream, 0, 10).flip();
        assertThat(codec.read(in)).isEqualTo(StreamCodec.Read.ANSWER);
        assertThat(in.hasRemaining()).isFalse();
    }
}

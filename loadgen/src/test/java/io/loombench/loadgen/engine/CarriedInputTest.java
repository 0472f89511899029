package io.loombench.loadgen.engine;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link CarriedInput}: what one read leaves unparsed comes back, once, in front of the next. */
class CarriedInputTest {

    @Test
    void carriedBytesComeBackInFrontOfTheNextRead() {
        CarriedInput carried = new CarriedInput();
        ByteBuffer shared = ByteBuffer.allocateDirect(64);
        shared.put(bytes("HTTP/1.1 200 OK\r\nContent-Le")).flip();
        shared.position(17);

        carried.carry(shared);
        assertThat(shared.hasRemaining()).isFalse();
        shared.clear();
        carried.restoreInto(shared);
        shared.put(bytes("ngth: 0\r\n")).flip();

        assertThat(text(shared)).isEqualTo("Content-Length: 0\r\n");
        shared.clear();
        carried.restoreInto(shared);
        assertThat(shared.position()).as("restored once only").isZero();
    }

    @Test
    void nothingCarriedRestoresNothing() {
        CarriedInput carried = new CarriedInput();
        ByteBuffer shared = ByteBuffer.allocateDirect(16).flip();
        carried.carry(shared);
        shared.clear();
        carried.restoreInto(shared);
        assertThat(shared.position()).isZero();
    }

    @Test
    void aLongLineIsCarriedWholeAndClearForgetsIt() {
        CarriedInput carried = new CarriedInput();
        String line = "X-Long: " + "v".repeat(10_000);
        ByteBuffer shared = ByteBuffer.allocateDirect(16_384).put(bytes(line)).flip();

        carried.carry(shared);
        shared.clear();
        carried.restoreInto(shared);
        shared.flip();
        assertThat(text(shared)).isEqualTo(line);

        shared.clear().put(bytes("abc")).flip();
        carried.carry(shared);
        carried.clear();
        shared.clear();
        carried.restoreInto(shared);
        assertThat(shared.position()).isZero();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}

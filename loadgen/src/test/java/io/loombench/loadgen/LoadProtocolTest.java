package io.loombench.loadgen;

import io.loombench.common.Protocol;
import io.loombench.common.Transport;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LoadProtocol} is the set of (transport, protocol) pairs the generator drives, in the
 * server's words: exactly the pairs {@link Protocol#runsOver} allows, each once.
 */
class LoadProtocolTest {

    @Test
    void thePairsAreTheOnesThatRunEachOnce() {
        for (LoadProtocol pair : LoadProtocol.values()) {
            assertThat(pair.protocol().runsOver(pair.transport())).as("%s", pair).isTrue();
        }
        long runnable = Arrays.stream(Transport.values())
                .mapToLong(transport -> Arrays.stream(Protocol.values()).filter(protocol -> protocol.runsOver(transport)).count())
                .sum();
        assertThat(Arrays.stream(LoadProtocol.values()).map(pair -> pair.transport() + "/" + pair.protocol()).distinct())
                .hasSize((int) runnable);
    }

    @Test
    void httpNeedsTcp() {
        assertThat(Protocol.HTTP.runsOver(Transport.UDP)).isFalse();
        assertThat(Protocol.HTTP.runsOver(Transport.TCP)).isTrue();
        assertThat(Protocol.ECHO.runsOver(Transport.UDP)).isTrue();
    }

    @Test
    void theNamesSayThePairs() {
        assertThat(LoadProtocol.TCP_ECHO.transport()).isEqualTo(Transport.TCP);
        assertThat(LoadProtocol.TCP_ECHO.protocol()).isEqualTo(Protocol.ECHO);
        assertThat(LoadProtocol.HTTP.transport()).isEqualTo(Transport.TCP);
        assertThat(LoadProtocol.HTTP.protocol()).isEqualTo(Protocol.HTTP);
        assertThat(LoadProtocol.UDP_ECHO.transport()).isEqualTo(Transport.UDP);
        assertThat(LoadProtocol.UDP_ECHO.protocol()).isEqualTo(Protocol.ECHO);
    }
}

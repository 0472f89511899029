package io.loombench.server.http;

import io.loombench.common.wire.WireCase;
import io.loombench.server.http.SessionDriver.Exchange;
import io.loombench.server.http.SessionDriver.Setup;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wire tables ({@link ServerWireCases}) against one session, without sockets: each case is
 * followed by a valid request. Every input runs whole, split at every byte, byte by byte
 * and at random, with a roomy and a small output buffer, and every run must answer alike.
 */
class WireTableTest {
    private static final Setup ROOMY = new Setup(ServerWireCases.LIMITS, SessionDriver.DEFAULT_BUFFER, SessionDriver.DEFAULT_BUFFER);

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.loombench.server.http.ServerWireCases#all")
    void sessionAnswersAsTheTableSays(WireCase wire) {
        Exchange exchange = SessionDriver.runEverywhere(Responses.concat(wire.request(), Responses.bytes(ServerWireCases.NEXT)),
                ROOMY, ROOMY.withOut(SessionDriver.SMALL_BUFFER));
        String context = wire.where() + " " + wire.name() + ": " + WireCase.visible(wire.request()) + "\nanswered:\n"
                + Responses.visible(exchange.normalized());
        List<Responses.Response> answers = exchange.responses().stream().filter(response -> response.status() >= 200).toList();
        assertThat(answers).as(context).isNotEmpty();
        Responses.Response first = answers.get(0);
        assertThat(first.status()).as(context).isEqualTo(wire.status());
        assertThat("close".equals(first.field("Connection"))).as("Connection: close in " + context).isEqualTo(wire.closes());
        if (wire.echo() != null) {
            assertThat(first.body()).as("echo in " + context).isEqualTo(wire.echo());
        }
        if (wire.closes()) {
            assertThat(answers).as("nothing after a close, in " + context).hasSize(1);
            assertThat(exchange.closed()).as("closed or lingering, in " + context).isTrue();
        } else {
            assertThat(answers).as("the next request answered, in " + context).hasSize(2);
            assertThat(answers.get(1).bodyText()).as(context).isEqualTo("Hello, World!");
            assertThat(exchange.closed()).as("still open, in " + context).isFalse();
        }
    }
}

package io.loombench.server.http;

import io.loombench.server.ServerError;
import io.loombench.server.ServerStats;
import io.loombench.server.protocol.Next;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static io.loombench.server.http.Responses.CONTINUE;
import static io.loombench.server.http.Responses.error;
import static io.loombench.server.http.Responses.get;
import static io.loombench.server.http.Responses.plaintext;
import static io.loombench.server.http.SessionDriver.BODY_NANOS;
import static io.loombench.server.http.SessionDriver.IDLE_NANOS;
import static io.loombench.server.http.SessionDriver.READ_NANOS;
import static io.loombench.server.http.SessionDriver.START_NANOS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The three timers on a fake clock: the idle deadline runs from the end of the last response, the
 * header deadline from the first byte of a request and is not pushed back by later bytes, the
 * body's inactivity timer from the last body byte to arrive; a timeout answers 408 only for a
 * request that started and whose response has not, and counts the timer that expired.
 */
class HttpSessionTimeoutTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final String TIMEOUT_DETAIL = "request head not received within 10000 ms";
    private static final String BODY_TIMEOUT_DETAIL = "no body byte for 5000 ms";

    private static String text(SessionDriver driver) {
        return Responses.normalizeDates(Responses.text(driver.takeOutput()));
    }

    private static long errors(SessionDriver driver, ServerError kind) {
        return driver.counters.snapshot().errors(kind);
    }

    @Test
    void aNewConnectionHasTheIdleDeadline() {
        SessionDriver driver = new SessionDriver();
        assertThat(driver.last()).isEqualTo(Next.NEED_INPUT);
        assertThat(driver.session.idle()).isTrue();
        assertThat(driver.session.deadlineNanos()).isEqualTo(START_NANOS + IDLE_NANOS);
    }

    @Test
    void theReadDeadlineRunsFromTheFirstByteAndLaterBytesDoNotExtendIt() {
        SessionDriver driver = new SessionDriver();
        driver.advanceNanos(5 * SECOND).feed("GET /pl");
        long firstByte = START_NANOS + 5 * SECOND;
        assertThat(driver.session.idle()).isFalse();
        assertThat(driver.session.deadlineNanos()).isEqualTo(firstByte + READ_NANOS);

        driver.advanceNanos(3 * SECOND).feed("aintext HTTP/1.1\r\nHost: h\r\n");
        assertThat(driver.session.deadlineNanos()).isEqualTo(firstByte + READ_NANOS);

        driver.advanceNanos(SECOND).feed("\r\n");
        assertThat(text(driver)).isEqualTo(plaintext());
        assertThat(driver.session.idle()).isTrue();
        assertThat(driver.session.deadlineNanos()).isEqualTo(firstByte + 4 * SECOND + IDLE_NANOS);
    }

    @Test
    void theBodyTimerRunsFromTheEndOfTheHeadAndEachBodyByteRestartsIt() {
        SessionDriver driver = new SessionDriver();
        driver.feed("POST /nope HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n");
        assertThat(driver.session.deadlineNanos()).isEqualTo(START_NANOS + BODY_NANOS);
        // Later than the header deadline would allow: the body is on its own timer.
        for (int i = 1; i <= 3; i++) {
            driver.advanceNanos(4 * SECOND).feed("abc");
            assertThat(driver.session.idle()).isFalse();
            assertThat(driver.session.deadlineNanos()).isEqualTo(START_NANOS + 4 * i * SECOND + BODY_NANOS);
        }
        driver.advanceNanos(4 * SECOND).feed("d");
        assertThat(Responses.parse(driver.takeOutput())).hasSize(1);
        assertThat(errors(driver, ServerError.BODY_TIMEOUT) + errors(driver, ServerError.READ_TIMEOUT)).isZero();
    }

    /** The chunked decoder keeps a partial chunk-size line unconsumed; its bytes arriving are progress all the same. */
    @Test
    void aChunkSizeLineSentByteByByteRestartsTheBodyTimer() {
        SessionDriver driver = new SessionDriver();
        driver.feed("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (char c : "00000003\r".toCharArray()) {
            driver.advanceNanos(4 * SECOND).feed(String.valueOf(c));
            assertThat(driver.session.deadlineNanos()).as("after %s", c).isEqualTo(driver.now() + BODY_NANOS);
        }
    }

    @Test
    void timeoutOfAStalledBodyIsABodyTimeout() {
        SessionDriver driver = new SessionDriver();
        driver.feed("POST /nope HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc");
        driver.timeout();
        assertThat(text(driver)).isEqualTo(error(HttpStatus.REQUEST_TIMEOUT, BODY_TIMEOUT_DETAIL, null, "close"));
        assertThat(errors(driver, ServerError.BODY_TIMEOUT)).isEqualTo(1);
        assertThat(errors(driver, ServerError.READ_TIMEOUT)).isZero();
    }

    @Test
    void aPipelinedRequestStartsWhenThePreviousResponseIsDone() {
        SessionDriver driver = new SessionDriver();
        driver.advanceNanos(SECOND).feed(get("/plaintext") + "GET /js");
        assertThat(driver.session.idle()).isFalse();
        assertThat(driver.session.deadlineNanos()).isEqualTo(START_NANOS + SECOND + READ_NANOS);
    }

    @Test
    void theIdleDeadlineRunsFromTheEndOfTheWait() {
        SessionDriver driver = new SessionDriver();
        driver.feed(get("/delay?ms=1500"));
        assertThat(driver.now()).isEqualTo(START_NANOS + 1500 * 1_000_000L);
        assertThat(driver.session.deadlineNanos()).isEqualTo(driver.now() + IDLE_NANOS);
    }

    @Test
    void timeoutOfAnIdleConnectionWritesNothing() {
        SessionDriver driver = new SessionDriver();
        driver.timeout();
        assertThat(driver.output()).isEmpty();
        assertThat(errors(driver, ServerError.IDLE_TIMEOUT)).isEqualTo(1);
        assertThat(errors(driver, ServerError.READ_TIMEOUT)).isZero();

        SessionDriver afterResponse = new SessionDriver();
        afterResponse.feed(get("/json"));
        afterResponse.takeOutput();
        afterResponse.timeout();
        assertThat(afterResponse.output()).isEmpty();
        assertThat(errors(afterResponse, ServerError.IDLE_TIMEOUT)).isEqualTo(1);
    }

    @Test
    void emptyLinesBetweenRequestsLeaveTheConnectionIdle() {
        SessionDriver driver = new SessionDriver();
        driver.feed(get("/json") + "\r\n");
        driver.takeOutput();
        assertThat(driver.session.idle()).isTrue();
        driver.advanceNanos(SECOND).feed("\r");
        assertThat(driver.session.idle()).as("a lone CR may be the start of another empty line").isTrue();
        driver.feed("\n");
        driver.timeout();
        assertThat(driver.output()).isEmpty();
        assertThat(errors(driver, ServerError.IDLE_TIMEOUT)).isEqualTo(1);
        assertThat(errors(driver, ServerError.READ_TIMEOUT)).isZero();
    }

    @Test
    void aRequestAfterEmptyLinesStartsTheReadDeadline() {
        SessionDriver driver = new SessionDriver();
        driver.feed("\r\n\r\n");
        assertThat(driver.session.idle()).isTrue();
        driver.advanceNanos(2 * SECOND).feed("\r\nGET /pl");
        assertThat(driver.session.idle()).isFalse();
        assertThat(driver.session.deadlineNanos()).isEqualTo(START_NANOS + 2 * SECOND + READ_NANOS);
    }

    @Test
    void timeoutOfAPartialHeadWrites408AndCloses() {
        SessionDriver driver = new SessionDriver();
        driver.feed("GET /plaintext HTTP/1.1\r\nHost");
        driver.timeout();
        assertThat(text(driver)).isEqualTo(error(HttpStatus.REQUEST_TIMEOUT, TIMEOUT_DETAIL, null, "close"));
        assertThat(errors(driver, ServerError.READ_TIMEOUT)).isEqualTo(1);
        assertThat(errors(driver, ServerError.IDLE_TIMEOUT)).isZero();
    }

    @Test
    void timeoutOfAPartialRequestLineWrites408() {
        SessionDriver driver = new SessionDriver();
        driver.feed("G");
        driver.timeout();
        assertThat(text(driver)).isEqualTo(error(HttpStatus.REQUEST_TIMEOUT, TIMEOUT_DETAIL, null, "close"));
    }

    @Test
    void the408ToAHeadRequestHasNoBody() {
        SessionDriver driver = new SessionDriver();
        driver.feed("HEAD /plaintext HTTP/1.1\r\n");
        driver.timeout();
        String body = "408 Request Timeout: " + TIMEOUT_DETAIL + "\n";
        assertThat(text(driver)).isEqualTo(Responses.response("408 Request Timeout", "text/plain", body.length(), null, "close"));
    }

    @Test
    void timeoutOfAPartialBodyWrites408() {
        SessionDriver driver = new SessionDriver();
        driver.feed("POST /nope HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc");
        driver.timeout();
        assertThat(text(driver)).isEqualTo(error(HttpStatus.REQUEST_TIMEOUT, BODY_TIMEOUT_DETAIL, null, "close"));

        SessionDriver chunked = new SessionDriver();
        chunked.feed("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab");
        chunked.timeout();
        assertThat(text(chunked)).isEqualTo(error(HttpStatus.REQUEST_TIMEOUT, BODY_TIMEOUT_DETAIL, null, "close"));
    }

    @Test
    void timeoutAfter100ContinueStillWrites408() {
        SessionDriver driver = new SessionDriver();
        driver.feed("POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n");
        assertThat(text(driver)).isEqualTo(CONTINUE);
        driver.timeout();
        assertThat(text(driver)).isEqualTo(error(HttpStatus.REQUEST_TIMEOUT, BODY_TIMEOUT_DETAIL, null, "close"));
    }

    /** The streamed echo's 200 head is already out: a 408 cannot follow it, the close alone tells the client. */
    @Test
    void timeoutInsideAStreamedEchoWritesNothingMore() {
        SessionDriver driver = new SessionDriver();
        driver.feed("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc");
        assertThat(text(driver)).isEqualTo(Responses.response("200 OK", "application/octet-stream", 10, null, null) + "abc");
        driver.timeout();
        assertThat(driver.output()).isEmpty();
        ServerStats stats = driver.counters.snapshot();
        assertThat(stats.errors(ServerError.BODY_TIMEOUT)).isEqualTo(1);
        assertThat(stats.requests()).isEqualTo(1);
    }

    @Test
    void deadlinesOfConsecutiveRequests() {
        SessionDriver driver = new SessionDriver();
        for (int i = 1; i <= 3; i++) {
            driver.advanceNanos(20 * SECOND).feed("GET /json HTTP/1.1\r\n");
            long started = driver.now();
            assertThat(driver.session.deadlineNanos()).isEqualTo(started + READ_NANOS);
            driver.advanceNanos(9 * SECOND).feed("Host: h\r\n\r\n");
            assertThat(driver.session.deadlineNanos()).isEqualTo(driver.now() + IDLE_NANOS);
            assertThat(Responses.parse(driver.takeOutput())).hasSize(1);
        }
        assertThat(driver.counters.snapshot().errors().values()).containsOnly(0L);
    }
}

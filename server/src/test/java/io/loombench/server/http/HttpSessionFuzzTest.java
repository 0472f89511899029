package io.loombench.server.http;

import io.loombench.server.http.SessionDriver.Exchange;
import io.loombench.server.http.SessionDriver.Setup;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static io.loombench.server.http.SessionDriver.bytewise;
import static io.loombench.server.http.SessionDriver.randomCuts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deterministic fuzzing: mutated valid requests and random token soup, fixed seeds, bounded counts.
 * Whatever the input, the session never throws and never spins (the driver checks), ends needing
 * input or closed, writes only well-formed responses with statuses it knows, closes exactly after
 * a {@code Connection: close} response, counts one request per response and one error per error
 * response, and answers the same bytes however the input is split.
 */
class HttpSessionFuzzTest {
    private static final int MUTATED_INPUTS = 3000;
    private static final int SOUP_INPUTS = 1500;

    private static final Set<Integer> STATUSES = Set.of(100, 200, 400, 404, 405, 408, 413, 414, 417, 431, 501, 505);

    private static final List<String> CORPUS = List.of(
            "GET /plaintext HTTP/1.1\r\nHost: h\r\n\r\n",
            "HEAD /json HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\n\r\n",
            "GET /delay?ms=3 HTTP/1.1\r\nHost: h\r\n\r\n",
            "GET /cpu?work=100 HTTP/1.1\r\nHost: h\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world",
            "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\nA\r\n0123456789\r\n0\r\nT: 1\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc",
            "POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nTransfer-Encoding: gzip, chunked\r\n\r\n1\r\na\r\n0\r\n\r\n",
            "GET /plaintext HTTP/1.0\r\n\r\n",
            "GET /json HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /plaintext HTTP/1.0\r\n\r\n",
            "POST /echo HTTP/1.0\r\nContent-Length: 2\r\n\r\nhi",
            "GET http://h/json HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
            "GET /nope HTTP/1.1\r\nHost: h\r\n\r\nGET /delay HTTP/1.1\r\nHost: h\r\n\r\nPUT /json HTTP/1.1\r\nHost: h\r\n\r\n",
            "GET /plaintext HTTP/1.1\r\nHost: h\r\n\r\nPOST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nbodyGET /json HTTP/1.1\r\nHost: h\r\n\r\n",
            "\r\nGET /json HTTP/1.1\r\nHost: h\r\nX-A: b\r\n\r\n");

    private static final byte[] INTERESTING = Responses.bytes("\r\n \t:;,=\"0129aAfF-+/?&%*\u0000\u007f\u0080\u00ff");

    private static final List<String> TOKENS = List.of("GET", "HEAD", "POST", "PUT", " ", "  ", "\t", "/plaintext", "/json",
            "/echo", "/delay?ms=", "/cpu?work=", "*", "http://h/json", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "\r\n", "\r\n", "\r\n",
            "\n", "\r", "Host: h", "Host:", "Content-Length: ", "Transfer-Encoding: ", "chunked", "gzip", ", ", "Expect: ",
            "100-continue", "Connection: ", "close", "keep-alive", "0", "1", "5", "9", "a", "ff", "99999999999999999999", ";x=y",
            "hello", ":", "\u0000", "\u00e9");

    /** Buffer and limit setups the inputs are run under: defaults, small limits, an input buffer barely above them. */
    private static final List<Setup> SETUPS = List.of(
            Setup.SMALL_OUT,
            new Setup(new HttpLimits(64, 256, 256, 100, 1000), 1024, SessionDriver.SMALL_BUFFER),
            new Setup(new HttpLimits(64, 256, 256, 100, 1000), 80, SessionDriver.SMALL_BUFFER));

    @Test
    void mutatedRequests() {
        Random random = new Random(20_261_125L);
        for (int i = 0; i < MUTATED_INPUTS; i++) {
            byte[] input = mutate(random);
            check(i, input, SETUPS.get(i % SETUPS.size()), random.nextLong());
        }
    }

    @Test
    void tokenSoup() {
        Random random = new Random(9112L);
        for (int i = 0; i < SOUP_INPUTS; i++) {
            StringBuilder sb = new StringBuilder();
            int tokens = 1 + random.nextInt(40);
            for (int t = 0; t < tokens; t++) {
                sb.append(TOKENS.get(random.nextInt(TOKENS.size())));
            }
            check(i, Responses.bytes(sb.toString()), SETUPS.get(i % SETUPS.size()), random.nextLong());
        }
    }

    @Test
    void randomBytes() {
        Random random = new Random(1L);
        for (int i = 0; i < 500; i++) {
            byte[] input = new byte[random.nextInt(300)];
            random.nextBytes(input);
            if (random.nextBoolean()) {
                // Start like a request, so the random part reaches the header and body parsers.
                input = Responses.concat(Responses.bytes(CORPUS.get(random.nextInt(CORPUS.size())).substring(0, 20)), input);
            }
            check(i, input, SETUPS.get(i % SETUPS.size()), random.nextLong());
        }
    }

    private static byte[] mutate(Random random) {
        byte[] input = Responses.bytes(CORPUS.get(random.nextInt(CORPUS.size())));
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations && input.length > 0; m++) {
            int at = random.nextInt(input.length);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            switch (random.nextInt(7)) {
                case 0 -> { // replace a byte
                    input[at] = random.nextInt(3) == 0 ? (byte) random.nextInt(256) : INTERESTING[random.nextInt(INTERESTING.length)];
                    continue;
                }
                case 1 -> { // insert a byte
                    out.write(input, 0, at);
                    out.write(INTERESTING[random.nextInt(INTERESTING.length)]);
                    out.write(input, at, input.length - at);
                }
                case 2 -> { // delete a range
                    int length = 1 + random.nextInt(Math.min(8, input.length - at));
                    out.write(input, 0, at);
                    out.write(input, at + length, input.length - at - length);
                }
                case 3 -> { // duplicate a range, such as a field line
                    int length = 1 + random.nextInt(Math.min(40, input.length - at));
                    out.write(input, 0, at + length);
                    out.write(input, at, input.length - at);
                }
                case 4 -> { // truncate
                    out.write(input, 0, at);
                }
                case 5 -> { // append another request
                    out.write(input, 0, input.length);
                    out.writeBytes(Responses.bytes(CORPUS.get(random.nextInt(CORPUS.size()))));
                }
                default -> { // repeat a byte many times, to reach the limits
                    out.write(input, 0, at);
                    for (int r = random.nextInt(400); r > 0; r--) {
                        out.write(input[at]);
                    }
                    out.write(input, at, input.length - at);
                }
            }
            input = out.toByteArray();
        }
        return input;
    }

    private static void check(int index, byte[] input, Setup setup, long seed) {
        try {
            Exchange whole = checkOne(input, setup);
            String expected = whole.summary();
            assertThat(SessionDriver.run(setup, input, randomCuts(input.length, seed, 32)).summary()).isEqualTo(expected);
            if (input.length <= 600) {
                assertThat(SessionDriver.run(setup, input, bytewise(input.length)).summary()).isEqualTo(expected);
            }
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("input " + index + " (in " + setup.inCapacity() + ", limits " + setup.limits() + "):\n"
                    + Responses.visible(Responses.text(input)), e);
        }
    }

    /** One run with every invariant that does not need a second run, plus a timeout at the end. */
    private static Exchange checkOne(byte[] input, Setup setup) {
        SessionDriver driver = new SessionDriver(setup);
        driver.feed(input);
        Exchange exchange = driver.exchange();
        List<Responses.Response> responses = Responses.parseLenient(exchange.output());
        long finals = 0;
        long errors = 0;
        for (int i = 0; i < responses.size(); i++) {
            Responses.Response response = responses.get(i);
            assertThat(STATUSES).contains(response.status());
            if (response.status() == 100) {
                assertThat(response.statusLine()).isEqualTo("HTTP/1.1 100 Continue");
                continue;
            }
            finals++;
            if (response.status() >= 400) {
                errors++;
            }
            if ("close".equals(response.field("Connection"))) {
                assertThat(i).as("a response announcing close is the last").isEqualTo(responses.size() - 1);
            }
        }
        if (exchange.closed()) {
            assertThat(responses).as("a close follows a response").isNotEmpty();
            assertThat(responses).as("a close follows a whole response").allMatch(Responses.Response::complete);
            assertThat(responses.get(responses.size() - 1).field("Connection")).isEqualTo("close");
        } else {
            assertThat(driver.buffered()).isLessThan(setup.inCapacity());
        }
        assertThat(exchange.requests()).isEqualTo(finals);
        long counted = driver.counters.snapshot().errors().values().stream().mapToLong(Long::longValue).sum();
        assertThat(counted).isEqualTo(errors);

        if (!exchange.closed()) {
            boolean idle = driver.session.idle();
            driver.takeOutput();
            driver.timeout();
            byte[] last = driver.output();
            if (idle) {
                assertThat(last).isEmpty();
            } else if (last.length > 0) {
                List<Responses.Response> timeout = Responses.parseLenient(last);
                assertThat(timeout).hasSize(1);
                assertThat(timeout.get(0).status()).isEqualTo(408);
                assertThat(timeout.get(0).field("Connection")).isEqualTo("close");
            }
        }
        return exchange;
    }
}

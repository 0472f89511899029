package io.loombench.benchmarks.peers;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A raw HTTP/1.1 client on a plain socket, so the tests see exactly the bytes a peer sends, and the
 * bounded waits every test uses. Nothing here sleeps: every wait is a blocking read with a timeout
 * generous enough for a loaded 2-core machine.
 */
final class PeerTestSupport {
    /** The longest any single read may block. A failure, not a speed limit: a healthy server answers in milliseconds. */
    static final Duration IO_TIMEOUT = Duration.ofSeconds(20);

    private PeerTestSupport() {
    }

    static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** One response as it arrived; header names keep their case in {@link #headerNames}. */
    record Response(String statusLine, int status, List<String> headerNames, Map<String, String> headers, byte[] body) {
        /** The value of a header, by case-insensitive name, or null. */
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.US_ASCII);
        }
    }

    static final class Client implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Client(InetSocketAddress address) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(address, (int) IO_TIMEOUT.toMillis());
            socket.setSoTimeout((int) IO_TIMEOUT.toMillis());
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        Socket socket() {
            return socket;
        }

        void send(String request) throws IOException {
            send(ascii(request));
        }

        void send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        Response exchange(String request) throws IOException {
            send(request);
            return read();
        }

        /** Reads one response: status line, headers, a Content-Length body (every peer response has one). */
        Response read() throws IOException {
            String statusLine = line();
            assertThat(statusLine).as("status line").matches("HTTP/1\\.[01] \\d{3} .*");
            int status = Integer.parseInt(statusLine.substring(9, 12));
            List<String> names = new ArrayList<>();
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = line(); !line.isEmpty(); line = line()) {
                int colon = line.indexOf(':');
                assertThat(colon).as("header line %s", line).isPositive();
                String name = line.substring(0, colon);
                names.add(name);
                String previous = headers.put(name.toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
                assertThat(previous).as("header %s sent once", name).isNull();
            }
            String length = headers.get("content-length");
            assertThat(length).as("Content-Length").isNotNull().matches("\\d+");
            byte[] body = in.readNBytes(Integer.parseInt(length));
            assertThat(body).as("whole body").hasSize(Integer.parseInt(length));
            return new Response(statusLine, status, names, headers, body);
        }

        /** True when the server has closed the connection: the next read ends the stream (within the timeout). */
        boolean closedByServer() throws IOException {
            try {
                return in.read() < 0;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                // A reset is a close too.
                return true;
            }
        }

        /** True if no byte is waiting to be read now. */
        boolean nothingYet() throws IOException {
            return in.available() == 0;
        }

        private String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); ; b = in.read()) {
                assertThat(b).as("connection still open mid-response").isNotNegative();
                if (b == '\r') {
                    assertThat(in.read()).as("CRLF line ending").isEqualTo('\n');
                    return line.toString(StandardCharsets.US_ASCII);
                }
                line.write(b);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}

package io.loombench.loadgen;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The one request every HTTP connection sends, again and again. It is encoded once; the hot path
 * copies the bytes.
 *
 * @param method     request method, a token such as GET or POST
 * @param target     origin-form target: path and query, starting with {@code /}
 * @param hostHeader value of the Host header ({@code host:port})
 * @param headers    extra header fields, {@code Name: value} each; Host and Content-Length are set by the generator
 * @param body       request body, empty for none (then no Content-Length is sent for GET and HEAD)
 */
public record HttpRequestSpec(String method, String target, String hostHeader, List<String> headers, byte[] body) {

    public HttpRequestSpec {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(hostHeader, "hostHeader");
        headers = List.copyOf(headers);
        body = body.clone();
        if (method.isEmpty() || !method.chars().allMatch(HttpRequestSpec::isTokenChar)) {
            throw new IllegalArgumentException("'" + method + "' is not an HTTP method");
        }
        if (!target.startsWith("/") || target.chars().anyMatch(c -> c <= ' ' || c >= 0x7F)) {
            throw new IllegalArgumentException("'" + target + "' is not a request target (a path starting with /, no spaces)");
        }
        for (String header : headers) {
            int colon = header.indexOf(':');
            if (colon <= 0 || !header.substring(0, colon).chars().allMatch(HttpRequestSpec::isTokenChar)
                    || header.chars().anyMatch(c -> c == '\r' || c == '\n')) {
                throw new IllegalArgumentException("'" + header + "' is not a header (use 'Name: value')");
            }
            String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            if (name.equals("host") || name.equals("content-length") || name.equals("transfer-encoding")) {
                throw new IllegalArgumentException("header " + header.substring(0, colon) + " is set by loadgen itself");
            }
        }
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** True for HEAD: its responses carry no body whatever their headers say. */
    public boolean expectsNoResponseBody() {
        return method.equals("HEAD");
    }

    /** The request as bytes on the wire. */
    public byte[] encode() {
        StringBuilder head = new StringBuilder(128)
                .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostHeader).append("\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        if (body.length > 0 || !(method.equals("GET") || method.equals("HEAD"))) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(head.length() + body.length);
        bytes.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        bytes.writeBytes(body);
        return bytes.toByteArray();
    }

    private static boolean isTokenChar(int c) {
        return c > ' ' && c < 0x7F && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }
}

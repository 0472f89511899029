package io.loombench.loadgen.cli;

import io.loombench.common.Cli;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;

/** Parses the targets users type: {@code host:port}, {@code [v6]:port}, and {@code http://} URLs. */
final class Targets {
    private Targets() {
    }

    /** {@code host:port} or {@code [ipv6]:port}, resolved. */
    static InetSocketAddress hostPort(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not host:port");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("'" + text + "' is not host:port (write IPv6 addresses as [::1]:port)");
        }
        return resolve(host, port(text.substring(colon + 1), text));
    }

    /** An {@code http://host[:port]/path?query} URL. */
    static HttpTarget url(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URL: " + e.getReason());
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("'" + text + "' is not a URL like http://127.0.0.1:8080/plaintext");
        }
        if (!uri.getScheme().equalsIgnoreCase("http")) {
            throw new IllegalArgumentException("scheme " + uri.getScheme() + " is not supported; use http://");
        }
        int port = uri.getPort() == -1 ? 80 : uri.getPort();
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " in '" + text + "' is not between 1 and 65535");
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        String host = uri.getHost();
        String bareHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        String hostHeader = uri.getPort() == -1 ? host : host + ":" + port;
        return new HttpTarget(resolve(bareHost, port), target, hostHeader);
    }

    /** A resolved HTTP target: where to connect, the request target, and the Host header. */
    record HttpTarget(InetSocketAddress address, String requestTarget, String hostHeader) {
    }

    private static int port(String text, String whole) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new IllegalArgumentException("'" + whole + "' has no valid port (1..65535)");
    }

    private static InetSocketAddress resolve(String host, int port) {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new Cli.InputFailure("unknown host " + host);
        }
        return address;
    }
}

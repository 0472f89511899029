package io.loombench.common.wire;

import io.loombench.common.wire.WireCase.ClientVerdict;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads wire tables: text files of raw HTTP cases, kept in test resources so that the server's
 * request parser and the loadgen's response reader, which share no code on purpose, are held to
 * the same cases. The shared table of framing cases is {@link #FRAMING}.
 *
 * <p>The format, one case per block:
 *
 * <pre>
 * # a comment
 * == Content-Length with a sign
 * rule     RFC 9110 8.6: Content-Length = 1*DIGIT
 * fields   Content-Length: +5\r\n
 * body     hello
 * server   400 close
 * client   invalid
 * </pre>
 *
 * Each line is a key, spaces, and a value to the end of the line, trailing whitespace removed.
 * Byte values take the escapes {@code \r \n \t \\ \xHH} (so a trailing space is {@code \x20});
 * a key given twice has its values joined, so a long value may span lines. Keys:
 *
 * <ul>
 *   <li>{@code fields}, {@code body}: a framing case's field lines (each with its CRLF) and the
 *       bytes after the header section; the server gets
 *       {@code POST /echo HTTP/1.1\r\nHost: test\r\n} + fields + {@code \r\n} + body, a client
 *       {@code HTTP/1.1 200 OK\r\n} + fields + {@code \r\n} + body.</li>
 *   <li>{@code version}: {@code 1.0} to use HTTP/1.0 in both of those start lines.</li>
 *   <li>{@code request}: instead of fields and body, a whole raw request (a server-only case).</li>
 *   <li>{@code server}: the status, then {@code close} or {@code keep-alive}.</li>
 *   <li>{@code echo}: for a 200 of {@code POST /echo}, the body it must send back.</li>
 *   <li>{@code client}: {@code ok}, {@code ok close}, {@code until-close} or {@code invalid}
 *       (required with fields, not allowed with request).</li>
 *   <li>{@code rule}: what the case checks.</li>
 * </ul>
 */
public final class WireCases {
    /** The shared table: framing cases with a verdict for each side. */
    public static final String FRAMING = "io/loombench/common/wire/framing.cases";

    private static final Set<String> KEYS = Set.of("rule", "fields", "body", "version", "request", "server", "echo", "client");

    private WireCases() {
    }

    /** Loads a table from the class path; a malformed one fails with its file and line. */
    public static List<WireCase> load(String resource) {
        try (InputStream in = WireCases.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no wire table on the class path at " + resource);
            }
            return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<WireCase> parse(String source, String text) {
        List<WireCase> cases = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        String name = null;
        int start = 0;
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i <= lines.length; i++) {
            String line = i < lines.length ? lines[i].strip() : "== end";
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("==")) {
                if (name != null) {
                    cases.add(build(name, source + ":" + (start + 1), values));
                }
                name = line.substring(2).strip();
                start = i;
                values = new HashMap<>();
                continue;
            }
            String where = source + ":" + (i + 1);
            if (name == null) {
                throw new IllegalArgumentException(where + ": a line before the first case (== name)");
            }
            int space = line.indexOf(' ');
            String key = space < 0 ? line : line.substring(0, space);
            String value = space < 0 ? "" : line.substring(space).strip();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(where + ": unknown key '" + key + "'; keys are " + KEYS);
            }
            values.merge(key, value, String::concat);
        }
        return cases;
    }

    private static WireCase build(String name, String where, Map<String, String> values) {
        String server = values.get("server");
        if (server == null) {
            throw new IllegalArgumentException(where + ": case '" + name + "' has no server verdict");
        }
        String[] verdict = server.split("\\s+");
        if (verdict.length != 2 || !verdict[0].matches("[1-5][0-9][0-9]") || !Set.of("close", "keep-alive").contains(verdict[1])) {
            throw new IllegalArgumentException(where + ": server verdict is '<status> close|keep-alive', was '" + server + "'");
        }
        String version = values.getOrDefault("version", "1.1");
        if (!Set.of("1.0", "1.1").contains(version)) {
            throw new IllegalArgumentException(where + ": version is 1.0 or 1.1, was '" + version + "'");
        }
        byte[] request;
        byte[] response = null;
        ClientVerdict client = null;
        if (values.containsKey("request")) {
            if (values.containsKey("fields") || values.containsKey("body") || values.containsKey("client")) {
                throw new IllegalArgumentException(where + ": a request case has no fields, body or client verdict");
            }
            request = bytes(values.get("request"), where);
        } else {
            byte[] fields = bytes(values.getOrDefault("fields", ""), where);
            byte[] body = bytes(values.getOrDefault("body", ""), where);
            byte[] crlf = {'\r', '\n'};
            request = WireCase.concat("POST /echo HTTP/" + version + "\r\nHost: test\r\n", fields, crlf, body);
            response = WireCase.concat("HTTP/" + version + " 200 OK\r\n", fields, crlf, body);
            client = clientVerdict(values.get("client"), where);
        }
        byte[] echo = values.containsKey("echo") ? bytes(values.get("echo"), where) : null;
        return new WireCase(name, where, values.getOrDefault("rule", ""), request, response,
                Integer.parseInt(verdict[0]), verdict[1].equals("close"), echo, client);
    }

    private static ClientVerdict clientVerdict(String value, String where) {
        if (value == null) {
            throw new IllegalArgumentException(where + ": a framing case needs a client verdict");
        }
        return switch (value) {
            case "ok" -> ClientVerdict.OK;
            case "ok close" -> ClientVerdict.OK_CLOSE;
            case "until-close" -> ClientVerdict.UNTIL_CLOSE;
            case "invalid" -> ClientVerdict.INVALID;
            default -> throw new IllegalArgumentException(where + ": client verdict is ok, ok close, until-close or invalid, was '" + value + "'");
        };
    }

    /** Decodes a value's escapes into bytes; every other character must be printable ASCII. */
    static byte[] bytes(String value, String where) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new IllegalArgumentException(where + ": write byte 0x" + Integer.toHexString(c) + " as \\xHH");
            }
            if (c != '\\') {
                out.write(c);
                continue;
            }
            if (++i == value.length()) {
                throw new IllegalArgumentException(where + ": a lone backslash at the end; write \\\\");
            }
            switch (value.charAt(i)) {
                case 'r' -> out.write('\r');
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case '\\' -> out.write('\\');
                case 'x' -> {
                    if (i + 2 >= value.length() || !value.substring(i + 1, i + 3).matches("[0-9A-Fa-f]{2}")) {
                        throw new IllegalArgumentException(where + ": \\x needs two hex digits");
                    }
                    out.write(Integer.parseInt(value.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> throw new IllegalArgumentException(where + ": unknown escape \\" + value.charAt(i));
            }
        }
        return out.toByteArray();
    }
}

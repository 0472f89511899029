package io.loombench.server.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test helpers for the bytes on the wire: request text to bytes, a strict parser of the responses a
 * session wrote, and the exact bytes expected of each response (with the Date value normalized).
 */
final class Responses {
    /** What every Date value is replaced with before comparing. */
    static final String DATE = "<date>";

    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 ([1-5][0-9]{2}) ([A-Za-z][A-Za-z -]*)");
    private static final Pattern FIELD_LINE = Pattern.compile("([A-Za-z-]+): (.*)");
    private static final Pattern IMF_FIXDATE =
            Pattern.compile("(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT");
    private static final Pattern DATE_FIELD = Pattern.compile("\r\nDate: " + IMF_FIXDATE.pattern() + "\r\n");

    static final String CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n";

    private Responses() {
    }

    /** One parsed response; {@code complete} is false for a body still being sent (lenient parsing only). */
    record Response(int status, String statusLine, List<String[]> fields, byte[] body, boolean complete) {
        /** The value of the only field of that name, or null; fails if it occurs twice. */
        String field(String name) {
            String value = null;
            for (String[] field : fields) {
                if (field[0].equalsIgnoreCase(name)) {
                    if (value != null) {
                        throw new AssertionError("field " + name + " twice in " + statusLine);
                    }
                    value = field[1];
                }
            }
            return value;
        }

        String bodyText() {
            return text(body);
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[]... parts) {
        int length = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] all = new byte[length];
        int position = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, position, part.length);
            position += part.length;
        }
        return all;
    }

    static String normalizeDates(String text) {
        return DATE_FIELD.matcher(text).replaceAll("\r\nDate: " + DATE + "\r\n");
    }

    /** Control characters made visible for failure messages. */
    static String visible(String text) {
        StringBuilder sb = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\n') {
                sb.append("\\n\n");
            } else if (c < 0x20 || c >= 0x7F) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.length() > 8000 ? sb.substring(0, 8000) + "..." : sb.toString();
    }

    /**
     * Parses all responses, strictly: a status line, {@code Name: value} fields with a valid Date and
     * a Content-Length on every final response, and exactly that many body bytes, except for the
     * final responses (100 Continue not counted) whose indexes are listed, which answer HEAD.
     * Fails on anything else, trailing bytes included.
     */
    static List<Response> parse(byte[] output, int... bodilessIndexes) {
        return parse(output, false, bodilessIndexes);
    }

    /**
     * Parses responses to requests of unknown methods: a final response has no body if its
     * Content-Length bytes are not there or are not followed by the end or another status line,
     * but the next bytes are; the last response's body may be incomplete, still being sent.
     */
    static List<Response> parseLenient(byte[] output) {
        return parse(output, true);
    }

    private static List<Response> parse(byte[] output, boolean lenient, int... bodilessIndexes) {
        List<Response> responses = new ArrayList<>();
        int position = 0;
        int finalIndex = 0;
        while (position < output.length) {
            int lineEnd = lineEnd(output, position);
            String statusLine = text(Arrays.copyOfRange(output, position, lineEnd));
            Matcher status = STATUS_LINE.matcher(statusLine);
            if (!status.matches()) {
                throw new AssertionError("bad status line at byte " + position + ": " + visible(statusLine));
            }
            position = lineEnd + 2;
            List<String[]> fields = new ArrayList<>();
            while (true) {
                lineEnd = lineEnd(output, position);
                String line = text(Arrays.copyOfRange(output, position, lineEnd));
                position = lineEnd + 2;
                if (line.isEmpty()) {
                    break;
                }
                Matcher field = FIELD_LINE.matcher(line);
                if (!field.matches()) {
                    throw new AssertionError("bad field line: " + visible(line));
                }
                fields.add(new String[] {field.group(1), field.group(2)});
            }
            int code = Integer.parseInt(status.group(1));
            if (code < 200) {
                if (!fields.isEmpty()) {
                    throw new AssertionError("fields on an interim response: " + statusLine);
                }
                responses.add(new Response(code, statusLine, fields, new byte[0], true));
                continue;
            }
            Response head = new Response(code, statusLine, fields, new byte[0], true);
            String date = head.field("Date");
            if (date == null || !IMF_FIXDATE.matcher(date).matches()) {
                throw new AssertionError("missing or malformed Date in " + statusLine + ": " + date);
            }
            String lengthField = head.field("Content-Length");
            if (lengthField == null || !lengthField.matches("0|[1-9][0-9]{0,18}")) {
                throw new AssertionError("missing or malformed Content-Length in " + statusLine + ": " + lengthField);
            }
            long length = Long.parseLong(lengthField);
            boolean bodiless = contains(bodilessIndexes, finalIndex)
                    || lenient && !bodyFits(output, position, length) && startsResponseOrEnds(output, position);
            int bodyLength = bodiless ? 0 : (int) length;
            boolean complete = output.length - position >= bodyLength;
            if (!complete && !lenient) {
                throw new AssertionError("truncated body in " + statusLine + ": " + (output.length - position) + " of " + length);
            }
            bodyLength = Math.min(bodyLength, output.length - position);
            responses.add(new Response(code, statusLine, fields, Arrays.copyOfRange(output, position, position + bodyLength), complete));
            position += bodyLength;
            finalIndex++;
        }
        return responses;
    }

    private static boolean bodyFits(byte[] output, int position, long length) {
        return output.length - position >= length && startsResponseOrEnds(output, position + (int) length);
    }

    private static boolean startsResponseOrEnds(byte[] output, int position) {
        byte[] prefix = bytes("HTTP/1.1 ");
        if (position == output.length) {
            return true;
        }
        return output.length - position >= prefix.length
                && Arrays.equals(output, position, position + prefix.length, prefix, 0, prefix.length);
    }

    private static int lineEnd(byte[] output, int from) {
        for (int i = from; i + 1 < output.length; i++) {
            if (output[i] == '\r' && output[i + 1] == '\n') {
                return i;
            }
            if (output[i] == '\r' || output[i] == '\n') {
                throw new AssertionError("bare CR or LF in response head at byte " + i);
            }
        }
        throw new AssertionError("response head not terminated at byte " + from);
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    // ---- expected responses, with the Date normalized ----------------------------------------

    /** A 200 with the given body; {@code connection} is the Connection value, or null for none. */
    static String ok(String contentType, String body, String connection) {
        return response("200 OK", contentType, body.length(), null, connection) + body;
    }

    static String ok(String contentType, String body) {
        return ok(contentType, body, null);
    }

    /** The head alone of a 200, as sent for HEAD. */
    static String okHead(String contentType, long contentLength, String connection) {
        return response("200 OK", contentType, contentLength, null, connection);
    }

    static String plaintext(String connection) {
        return ok("text/plain", "Hello, World!", connection);
    }

    static String plaintext() {
        return plaintext(null);
    }

    static String json() {
        return ok("application/json", "{\"message\":\"Hello, World!\"}");
    }

    static String echo(String body, String connection) {
        return ok("application/octet-stream", body, connection);
    }

    /** An error response with the body the session writes: {@code <code> <reason>: <detail>\n}. */
    static String error(HttpStatus status, String detail, String allow, String connection) {
        String body = status.code() + " " + status.reason() + ": " + detail + "\n";
        return response(status.code() + " " + status.reason(), "text/plain", body.length(), allow, connection) + body;
    }

    static String response(String status, String contentType, long contentLength, String allow, String connection) {
        return "HTTP/1.1 " + status + "\r\n"
                + "Server: loombench\r\n"
                + "Date: " + DATE + "\r\n"
                + "Content-Type: " + contentType + "\r\n"
                + "Content-Length: " + contentLength + "\r\n"
                + (allow == null ? "" : "Allow: " + allow + "\r\n")
                + (connection == null ? "" : "Connection: " + connection + "\r\n")
                + "\r\n";
    }

    /** A minimal valid HTTP/1.1 request for a path. */
    static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    }
}

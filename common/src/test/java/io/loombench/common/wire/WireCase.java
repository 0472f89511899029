package io.loombench.common.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One case of a wire table (see {@link WireCases} for the file format): raw bytes as they cross
 * the wire, and what each side must make of them.
 *
 * <p>A framing case holds a header section's field lines and the bytes after it, the part of an
 * HTTP/1.1 message that requests and responses share (RFC 9112 sections 5 to 7), and both
 * verdicts: the server reads it behind {@code POST /echo}, the loadgen's response reader behind a
 * {@code 200} status line. A request case holds a whole raw request and only the server's verdict.
 *
 * @param where   file and line of the case, for failure messages
 * @param rule    what the case checks, with its RFC section
 * @param request the raw request the server is sent
 * @param response the raw response a client reads, or null for a request case
 * @param status  the status the server answers with
 * @param closes  whether the server's answer says {@code Connection: close} and ends the connection
 * @param echo    the body {@code POST /echo} must answer with, or null when not checked
 * @param client  what a response reader makes of {@link #response}, or null for a request case
 */
public record WireCase(String name, String where, String rule, byte[] request, byte[] response,
                       int status, boolean closes, byte[] echo, ClientVerdict client) {

    /** What a response reader must make of a framing case's response, followed by another response. */
    public enum ClientVerdict {
        /** The response is framed, and the one after it is read too. */
        OK,
        /** The response is framed and announces the close: nothing after it is read. */
        OK_CLOSE,
        /** The response has no length: its body runs to the end of the connection. */
        UNTIL_CLOSE,
        /** The framing is broken: a protocol error, nothing after it is read. */
        INVALID
    }

    /** Bytes as ISO-8859-1 text with CR, LF, tab and other unprintable bytes escaped, for messages. */
    public static String visible(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            int c = b & 0xFF;
            switch (c) {
                case '\r' -> text.append("\\r");
                case '\n' -> text.append("\\n");
                case '\t' -> text.append("\\t");
                case '\\' -> text.append("\\\\");
                default -> text.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\x%02x", c));
            }
        }
        return text.toString();
    }

    static byte[] concat(String prefix, byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(prefix.getBytes(StandardCharsets.ISO_8859_1));
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    @Override
    public String toString() {
        return name;
    }
}

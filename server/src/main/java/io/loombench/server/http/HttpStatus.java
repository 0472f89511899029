package io.loombench.server.http;

import io.loombench.server.ServerError;

import java.nio.charset.StandardCharsets;

/** The statuses this server sends, each with its status line encoded once. */
public enum HttpStatus {
    CONTINUE(100, "Continue", null),
    OK(200, "OK", null),
    BAD_REQUEST(400, "Bad Request", ServerError.BAD_REQUEST),
    NOT_FOUND(404, "Not Found", ServerError.NOT_FOUND),
    METHOD_NOT_ALLOWED(405, "Method Not Allowed", ServerError.METHOD_NOT_ALLOWED),
    REQUEST_TIMEOUT(408, "Request Timeout", ServerError.READ_TIMEOUT),
    CONTENT_TOO_LARGE(413, "Content Too Large", ServerError.BODY_TOO_LARGE),
    URI_TOO_LONG(414, "URI Too Long", ServerError.REQUEST_LINE_TOO_LONG),
    EXPECTATION_FAILED(417, "Expectation Failed", ServerError.EXPECTATION_FAILED),
    HEADER_FIELDS_TOO_LARGE(431, "Request Header Fields Too Large", ServerError.HEADERS_TOO_LARGE),
    NOT_IMPLEMENTED(501, "Not Implemented", ServerError.NOT_IMPLEMENTED),
    VERSION_NOT_SUPPORTED(505, "HTTP Version Not Supported", ServerError.VERSION_NOT_SUPPORTED);

    private final int code;
    private final String reason;
    private final ServerError errorKind;
    private final byte[] statusLine;

    HttpStatus(int code, String reason, ServerError errorKind) {
        this.code = code;
        this.reason = reason;
        this.errorKind = errorKind;
        this.statusLine = ("HTTP/1.1 " + code + " " + reason + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    /** The counter this status bumps, or null for a success. */
    ServerError errorKind() {
        return errorKind;
    }

    /** {@code HTTP/1.1 <code> <reason>\r\n}; shared, never modify. */
    byte[] statusLine() {
        return statusLine;
    }
}

package io.loombench.server.http;

import io.loombench.server.ErrorKind;

import java.nio.charset.StandardCharsets;

/** The statuses this server sends, each with its status line encoded once. */
public enum HttpStatus {
    CONTINUE(100, "Continue", null),
    OK(200, "OK", null),
    BAD_REQUEST(400, "Bad Request", ErrorKind.BAD_REQUEST),
    NOT_FOUND(404, "Not Found", ErrorKind.NOT_FOUND),
    METHOD_NOT_ALLOWED(405, "Method Not Allowed", ErrorKind.METHOD_NOT_ALLOWED),
    REQUEST_TIMEOUT(408, "Request Timeout", ErrorKind.READ_TIMEOUT),
    CONTENT_TOO_LARGE(413, "Content Too Large", ErrorKind.BODY_TOO_LARGE),
    URI_TOO_LONG(414, "URI Too Long", ErrorKind.REQUEST_LINE_TOO_LONG),
    EXPECTATION_FAILED(417, "Expectation Failed", ErrorKind.EXPECTATION_FAILED),
    HEADER_FIELDS_TOO_LARGE(431, "Request Header Fields Too Large", ErrorKind.HEADERS_TOO_LARGE),
    NOT_IMPLEMENTED(501, "Not Implemented", ErrorKind.NOT_IMPLEMENTED),
    VERSION_NOT_SUPPORTED(505, "HTTP Version Not Supported", ErrorKind.VERSION_NOT_SUPPORTED);

    private final int code;
    private final String reason;
    private final ErrorKind errorKind;
    private final byte[] statusLine;

    HttpStatus(int code, String reason, ErrorKind errorKind) {
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
    ErrorKind errorKind() {
        return errorKind;
    }

    /** {@code HTTP/1.1 <code> <reason>\r\n}; shared, never modify. */
    byte[] statusLine() {
        return statusLine;
    }
}

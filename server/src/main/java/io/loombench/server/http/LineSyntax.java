package io.loombench.server.http;

/**
 * The grammar of one kind of line (request line, field line, chunk-size line), checked by
 * {@link LineScanner} one byte at a time as the line arrives, so that a line is refused at its
 * first byte that no valid line could have, not when its end comes (or never does).
 *
 * <p>A syntax is stateful: its owner starts it afresh before each line, and reads what it
 * learned (a method, where a colon was) once the line is complete.
 */
interface LineSyntax {

    /**
     * The line's next byte, never CR or LF (the scanner handles line ends).
     *
     * @return false if no valid line continues like this; the reason is then recorded in {@code head}
     */
    boolean accept(byte b, RequestHead head);

    /**
     * The line ended (CRLF) after the bytes accepted so far.
     *
     * @return false if that is not a whole line of this kind; the reason is then recorded in {@code head}
     */
    boolean complete(RequestHead head);
}

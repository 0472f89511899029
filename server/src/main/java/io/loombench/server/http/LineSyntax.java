package io.loombench.server.http;

/**
 * The grammar of one kind of line (request line, field line, chunk-size line), checked by
 * {@link LineScanner} one byte at a time as the line arrives, so that a line is refused at its
 * first byte that no valid line could have, not when its end comes (or never does).
 *
 * <p>A syntax is stateful: its owner starts it afresh before each line, and reads what it
 * learned (a method, where a colon was) once the line is complete.
 *
 * <p>Most bytes of a line change nothing but the position: the characters of a field value, of
 * a path, of a field name. A syntax names them for its current state ({@link #plain()}), and
 * the scanner runs over them in a tight loop without calling {@link #accept}: that is what keeps
 * a byte-by-byte check as cheap as the line-at-a-time parsing it replaced.
 */
interface LineSyntax {

    /**
     * The line's next byte, never CR or LF (the scanner handles line ends).
     *
     * @param offset the byte's index in the line
     * @return false if no valid line continues like this; the reason is then recorded in {@code head}
     */
    boolean accept(byte b, int offset, RequestHead head);

    /**
     * The bytes that {@link #accept} would take in the current state without changing it, as a
     * table indexed by the unsigned byte, never holding CR or LF; or null when every byte must go
     * through {@code accept}. Asked again after every byte that went through it.
     */
    boolean[] plain();

    /**
     * The line ended (CRLF) after the bytes accepted so far.
     *
     * @param length the line's length without its CRLF
     * @return false if that is not a whole line of this kind; the reason is then recorded in {@code head}
     */
    boolean complete(int length, RequestHead head);
}

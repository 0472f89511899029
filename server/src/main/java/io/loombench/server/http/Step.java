package io.loombench.server.http;

/** How far {@link RequestHeadParser} or {@link ChunkedBodyDecoder} got with the bytes it was given. */
enum Step {
    /** What they parse (a request head, a chunked body) is complete and valid. */
    DONE,
    /** Everything received so far is valid and was consumed or remembered: read more, then call again. */
    NEED_MORE,
    /** The request is refused: {@link RequestHead#error()} holds the 4xx or 5xx status and why. */
    REJECTED
}

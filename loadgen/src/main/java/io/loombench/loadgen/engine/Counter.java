package io.loombench.loadgen.engine;

/** What a worker counts, besides errors and latencies. */
enum Counter {
    /** Requests written, in every phase. */
    SENT,
    /** Answers received, in every phase. */
    COMPLETED,
    /** Answers to requests intended inside the measured period. */
    MEASURED_COMPLETED,
    /** Requests due inside the measured period but never sent: the connection was down or full. */
    UNSENT,
    BYTES_SENT,
    BYTES_RECEIVED,
    /** Connections open now (a gauge). */
    OPEN,
    /** Connections that completed their connect, including reconnects. */
    CONNECTS,
    /** Connection attempts given up after the connect gate's stall time, to be made again. */
    STALLED_CONNECTS,
    /** UDP answers that arrived after an answer to a later datagram. */
    REORDERED,
    /** UDP answers that arrived after their datagram was counted lost. */
    LATE,
    STATUS_1XX,
    STATUS_2XX,
    STATUS_3XX,
    STATUS_4XX,
    STATUS_5XX
}

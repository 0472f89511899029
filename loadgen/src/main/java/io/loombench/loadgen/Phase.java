package io.loombench.loadgen;

/** Where a run stands. */
public enum Phase {
    /** Connections are being opened; any traffic is not measured. */
    OPENING,
    /** Connections are open; traffic flows and is discarded. */
    WARMUP,
    /** Traffic is measured. */
    MEASURING,
    /** No new requests; the last answers are collected. */
    DRAINING
}

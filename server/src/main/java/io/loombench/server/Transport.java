package io.loombench.server;

/** The socket type the server listens on. */
public enum Transport {
    TCP, UDP
}

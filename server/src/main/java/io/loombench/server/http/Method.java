package io.loombench.server.http;

/** The request methods the endpoints tell apart; every other valid token is {@link #OTHER}. */
enum Method {
    GET, HEAD, POST, OTHER
}

package io.loombench.server.http;

/**
 * What the {@link Router} decided a request gets. The session frames it: the response head, the
 * body (none for HEAD), persistence, and reading or dropping the request body.
 */
sealed interface Route {

    /** The status the response will have. */
    HttpStatus status();

    /**
     * A response known in advance, the same bytes every time.
     *
     * @param contentType value of the Content-Type header, or null for none (an empty body)
     * @param allow       value of an Allow header, or null for none
     */
    record Fixed(HttpStatus status, byte[] contentType, byte[] body, byte[] allow) implements Route {
    }

    /** 200 with {@code millis} as its body, after waiting that long: a simulated call to a downstream service. */
    record Delay(long millis) implements Route {
        @Override
        public HttpStatus status() {
            return HttpStatus.OK;
        }
    }

    /** 200 with the result of {@code units} of {@link io.loombench.server.protocol.CpuWork} as its body. */
    record Cpu(long units) implements Route {
        @Override
        public HttpStatus status() {
            return HttpStatus.OK;
        }
    }

    /** 200 with the request's body as its body. */
    record Echo() implements Route {
        @Override
        public HttpStatus status() {
            return HttpStatus.OK;
        }
    }
}

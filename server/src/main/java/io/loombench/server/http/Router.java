package io.loombench.server.http;

import io.loombench.server.protocol.CpuWork;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The resources this server offers, all of them in this file:
 *
 * <ul>
 *   <li>{@code GET /plaintext}: {@code Hello, World!} as text/plain;</li>
 *   <li>{@code GET /json}: {@code {"message":"Hello, World!"}};</li>
 *   <li>{@code POST /echo}: the request body back, as application/octet-stream;</li>
 *   <li>{@code GET /delay?ms=N}: N (0 to 60,000) after waiting N ms, a simulated downstream call;</li>
 *   <li>{@code GET /cpu?work=N}: the result of N units of {@link CpuWork} (0 to {@link CpuWork#MAX_UNITS});</li>
 *   <li>{@code OPTIONS} on each of them, and {@code OPTIONS *} for the server: 200 with Allow.</li>
 * </ul>
 *
 * <p>HEAD is allowed wherever GET is. Paths match exactly: no trailing slash, no
 * percent-decoding; an absolute-form target is routed by its path. A path not listed gets 404, a
 * method a path does not allow gets 405 with {@code Allow}, a missing or out-of-range parameter
 * gets 400; the request was well formed, so the connection stays open after each of them.
 *
 * <p>Stateless: one router serves every connection of a server.
 */
public final class Router {
    /** The longest {@code /delay}, in milliseconds. */
    static final long MAX_DELAY_MILLIS = 60_000;

    private static final Route PLAINTEXT = new Route.Fixed(HttpStatus.OK, ResponseWriter.TEXT_PLAIN, ascii("Hello, World!"), null);
    private static final Route JSON = new Route.Fixed(HttpStatus.OK, ascii("application/json"), ascii("{\"message\":\"Hello, World!\"}"), null);
    private static final Route ECHO = new Route.Echo();
    private static final Route NOT_FOUND = error(HttpStatus.NOT_FOUND,
            "no such resource; try /plaintext, /json, /echo, /delay?ms=N or /cpu?work=N", null);

    private static final Set<Method> GET_HEAD = EnumSet.of(Method.GET, Method.HEAD);
    private static final Set<Method> POST = EnumSet.of(Method.POST);

    /** One resource: its path, the methods it allows besides OPTIONS, and what it answers. */
    private record Endpoint(byte[] path, Route options, Route notAllowed, Set<Method> methods,
                            Function<RequestTarget, Route> handler) {
    }

    private final List<Endpoint> endpoints = List.of(
            endpoint("/plaintext", GET_HEAD, target -> PLAINTEXT),
            endpoint("/json", GET_HEAD, target -> JSON),
            endpoint("/echo", POST, target -> ECHO),
            endpoint("/delay", GET_HEAD, parameter("ms", MAX_DELAY_MILLIS, Route.Delay::new)),
            endpoint("/cpu", GET_HEAD, parameter("work", CpuWork.MAX_UNITS, Route.Cpu::new)));

    private final Route serverOptions = new Route.Fixed(HttpStatus.OK, null, new byte[0],
            ascii(allowed(EnumSet.of(Method.GET, Method.HEAD, Method.POST))));

    public Router() {
    }

    /** What {@code method} on {@code target} gets. The target is origin-, absolute- or (for OPTIONS) asterisk-form. */
    Route route(Method method, RequestTarget target) {
        if (target.form() == RequestTarget.Form.ASTERISK) {
            return serverOptions;
        }
        for (Endpoint endpoint : endpoints) {
            if (target.pathIs(endpoint.path())) {
                if (method == Method.OPTIONS) {
                    return endpoint.options();
                }
                return endpoint.methods().contains(method) ? endpoint.handler().apply(target) : endpoint.notAllowed();
            }
        }
        return NOT_FOUND;
    }

    private static Endpoint endpoint(String path, Set<Method> methods, Function<RequestTarget, Route> handler) {
        byte[] allow = ascii(allowed(methods));
        return new Endpoint(ascii(path),
                new Route.Fixed(HttpStatus.OK, null, new byte[0], allow),
                error(HttpStatus.METHOD_NOT_ALLOWED, path + " allows " + allowed(methods), allow),
                methods, handler);
    }

    /** A handler that reads {@code name=N} from the query, N from 0 to {@code max}, and answers 400 without it. */
    private static Function<RequestTarget, Route> parameter(String name, long max, Function<Long, Route> route) {
        byte[] bytes = ascii(name);
        Route missing = error(HttpStatus.BAD_REQUEST, "query parameter " + name + "=0.." + max + " required", null);
        return target -> {
            OptionalLong value = target.decimalParameter(bytes, max);
            return value.isPresent() ? route.apply(value.getAsLong()) : missing;
        };
    }

    /** The Allow value for {@code methods} and OPTIONS, in a fixed order. */
    private static String allowed(Set<Method> methods) {
        EnumSet<Method> all = EnumSet.copyOf(methods);
        all.add(Method.OPTIONS);
        return all.stream().map(Method::name).collect(Collectors.joining(", "));
    }

    private static Route error(HttpStatus status, String detail, byte[] allow) {
        return new Route.Fixed(status, ResponseWriter.TEXT_PLAIN, ResponseWriter.errorBody(status, detail), allow);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}

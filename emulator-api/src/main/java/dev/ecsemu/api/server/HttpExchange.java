package dev.ecsemu.api.server;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;

/**
 * A request the server received whole: method, URI, headers and body. {@code bodyTooLarge} says the
 * body went over the limit and was discarded (its size is {@code bodySize}).
 */
record HttpExchange(HttpMethod method, String uri, HttpHeaders headers, ByteBuf body, boolean bodyTooLarge, long bodySize) {

    String path() {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }
}

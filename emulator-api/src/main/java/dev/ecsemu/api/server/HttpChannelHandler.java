package dev.ecsemu.api.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects one request at a time from a connection (body up to a limit; beyond it the rest is read
 * and discarded so the client still gets an answer), hands it to the router on a worker thread, and
 * writes the answer. Registry requests ({@code /v2/}) are not collected: their bodies stream through
 * (see {@link StreamedRequest}). The event loop itself never waits on a lock, the disk or Docker.
 * Reading pauses while a request is being answered, so answers leave in the order requests came.
 */
final class HttpChannelHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(HttpChannelHandler.class);

    private final RequestRouter router;
    private final Executor workers;
    private final int maxBodyBytes;

    private HttpRequest head;
    private StreamedRequest streamed;
    private CompositeByteBuf body;
    private long received;
    private boolean tooLarge;

    HttpChannelHandler(RequestRouter router, Executor workers, int maxBodyBytes) {
        this.router = router;
        this.workers = workers;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest) {
                HttpRequest request = (HttpRequest) msg;
                if (request.decoderResult().isSuccess() && router.streams(request.uri())) {
                    releaseBody();
                    head = null;
                    streamed = StreamedRequest.begin(ctx, request, router.registry(), workers);
                } else {
                    begin(ctx, request);
                }
            }
            if (msg instanceof HttpContent && streamed != null) {
                streamed.content((HttpContent) msg);
                if (msg instanceof LastHttpContent) {
                    streamed = null;
                }
            } else if (msg instanceof HttpContent && head != null) {
                HttpContent content = (HttpContent) msg;
                append(content.content());
                if (msg instanceof LastHttpContent) {
                    complete(ctx);
                }
            }
        } finally {
            io.netty.util.ReferenceCountUtil.release(msg);
        }
    }

    private void begin(ChannelHandlerContext ctx, HttpRequest request) {
        releaseBody();
        if (!request.decoderResult().isSuccess()) {
            write(ctx, false, HttpResult.text(400, "Malformed HTTP request: " + request.decoderResult().cause() + "\n"));
            return;
        }
        head = request;
        received = 0;
        tooLarge = HttpUtil.getContentLength(request, 0L) > maxBodyBytes;
        body = tooLarge ? null : ctx.alloc().compositeBuffer(64);
        if (HttpUtil.is100ContinueExpected(request) && !tooLarge) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
        }
    }

    private void append(ByteBuf chunk) {
        received += chunk.readableBytes();
        if (tooLarge) {
            return;
        }
        if (received > maxBodyBytes) {
            tooLarge = true;
            releaseBody();
            return;
        }
        if (chunk.isReadable()) {
            body.addComponent(true, chunk.retain());
        }
    }

    private void complete(ChannelHandlerContext ctx) {
        HttpRequest request = head;
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpExchange exchange = new HttpExchange(request.method(), request.uri(), request.headers(),
                body == null ? Unpooled.EMPTY_BUFFER : body, tooLarge, received);
        head = null;
        body = null;
        ctx.channel().config().setAutoRead(false);
        try {
            workers.execute(() -> {
                HttpResult result;
                try {
                    result = router.route(exchange);
                } catch (RuntimeException | Error e) {
                    // Whatever went wrong, the client gets an answer instead of waiting for one forever.
                    LOG.error("Unexpected failure answering {} {}", exchange.method(), exchange.uri(), e);
                    result = HttpResult.text(500, "ecs-emu failed: " + e + "\n");
                } finally {
                    exchange.body().release();
                }
                write(ctx, keepAlive, result);
            });
        } catch (RejectedExecutionException e) {
            exchange.body().release();
            write(ctx, false, HttpResult.text(503, "ecs-emu is shutting down.\n"));
        }
    }

    static void write(ChannelHandlerContext ctx, boolean keepAlive, HttpResult result) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(result.status()), Unpooled.wrappedBuffer(result.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, result.contentType());
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, result.body().length);
        for (Map.Entry<String, String> h : result.headers().entrySet()) {
            response.headers().set(h.getKey(), h.getValue());
        }
        HttpUtil.setKeepAlive(response, keepAlive);
        ctx.writeAndFlush(response).addListener(afterResponse(keepAlive));
    }

    /** Once an answer is out: read the next request, or close. */
    static ChannelFutureListener afterResponse(boolean keepAlive) {
        return keepAlive ? f -> {
            if (!f.isSuccess()) {
                f.channel().close(); // an answer cut short leaves the connection in no state to go on
            } else if (f.channel().isActive()) {
                f.channel().config().setAutoRead(true);
                f.channel().read();
            }
        } : ChannelFutureListener.CLOSE;
    }

    private void releaseBody() {
        if (body != null) {
            body.release();
            body = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseBody();
        if (streamed != null) {
            streamed.closed();
            streamed = null;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("Connection error from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        releaseBody();
        if (streamed != null) {
            streamed.closed();
            streamed = null;
        }
        ctx.close();
    }
}

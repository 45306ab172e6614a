package dev.ecsemu.api.server;

import dev.ecsemu.api.registry.RegistryApi;
import dev.ecsemu.api.registry.RegistryRequest;
import dev.ecsemu.api.registry.RegistryResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One registry request whose body is streamed instead of collected: a layer of gigabytes goes to disk
 * chunk by chunk. The event loop only hands chunks on: opening the request, writing each chunk and
 * answering run on a worker, one at a time and in order. While more than {@link #PAUSE_ABOVE} bytes
 * wait for the disk, reading from the connection pauses (the client's TCP window fills and it waits),
 * so a fast client cannot fill the memory. Blob bodies go out as file regions (zero-copy).
 */
final class StreamedRequest {
    private static final Logger LOG = LoggerFactory.getLogger(StreamedRequest.class);
    /** Bytes received but not yet written to disk, beyond which reading pauses. */
    static final int PAUSE_ABOVE = 1024 * 1024;
    private static final int RESUME_AT = PAUSE_ABOVE / 2;

    private final ChannelHandlerContext ctx;
    private final HttpRequest head;
    private final SerialExecutor serial;
    private final boolean keepAlive;
    /** Set on the worker by the first task; every later task runs after it. */
    private RegistryRequest request;
    /** Whether the body is dropped on the event loop (known once opened). */
    private volatile boolean dropBody;

    /** Bytes handed to the worker and not yet written. */
    private final AtomicLong pending = new AtomicLong();
    /** Whether reading paused because too much is pending (set on the event loop, read by the worker). */
    private volatile boolean paused;

    // Event loop only:
    private boolean opened;
    private boolean ended;
    private boolean answered;

    private StreamedRequest(ChannelHandlerContext ctx, HttpRequest head, Executor workers) {
        this.ctx = ctx;
        this.head = head;
        this.serial = new SerialExecutor(workers);
        this.keepAlive = HttpUtil.isKeepAlive(head);
    }

    /** Starts a request whose head just arrived; reading pauses until it is opened. */
    static StreamedRequest begin(ChannelHandlerContext ctx, HttpRequest head, RegistryApi registry, Executor workers) {
        StreamedRequest s = new StreamedRequest(ctx, head, workers);
        ctx.channel().config().setAutoRead(false);
        try {
            s.serial.execute(() -> {
                try {
                    s.request = registry.open(head);
                } catch (RuntimeException | Error e) {
                    LOG.error("Unexpected failure opening {} {}", head.method(), head.uri(), e);
                    s.request = failed(e);
                }
                s.dropBody = !s.request.wantsBody();
                ctx.executor().execute(s::opened);
            });
        } catch (RejectedExecutionException e) {
            s.answered = true;
            HttpChannelHandler.write(ctx, false, HttpResult.text(503, "ecs-emu is shutting down.\n"));
        }
        return s;
    }

    private void opened() {
        opened = true;
        if (ended || answered) {
            return;
        }
        if (HttpUtil.is100ContinueExpected(head)) {
            if (dropBody) {
                // The client waits before sending the body: answer now, and close, as the body may follow anyway.
                answered = true;
                serial.execute(() -> respond(false));
                return;
            }
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
        }
        ctx.channel().config().setAutoRead(true);
    }

    /** A chunk of the body (event loop); the caller releases the message. */
    void content(HttpContent content) {
        if (answered) {
            return;
        }
        ByteBuf bytes = content.content();
        if (bytes.isReadable() && !dropBody) {
            ByteBuf chunk = bytes.retain();
            int size = chunk.readableBytes();
            long waiting = pending.addAndGet(size);
            serial.execute(() -> {
                try {
                    if (request.wantsBody()) {
                        request.body(chunk);
                    }
                } finally {
                    chunk.release();
                    // The event loop hears of it only when reading waits for it: no wake-up per chunk.
                    if (pending.addAndGet(-size) <= RESUME_AT && paused) {
                        ctx.executor().execute(this::resume);
                    }
                }
            });
            if (waiting > PAUSE_ABOVE && !paused) {
                paused = true;
                ctx.channel().config().setAutoRead(false);
                resume(); // the worker may have caught up between the two lines above, and not seen the pause
            }
        }
        if (content instanceof LastHttpContent) {
            ended = true;
            answered = true;
            ctx.channel().config().setAutoRead(false);
            serial.execute(() -> respond(keepAlive));
        }
    }

    /** Reading goes on once the worker has caught up (event loop). */
    private void resume() {
        if (paused && pending.get() <= RESUME_AT) {
            paused = false;
            if (!ended && !answered) {
                ctx.channel().config().setAutoRead(true);
            }
        }
    }

    /** The connection closed (event loop). */
    void closed() {
        if (!ended && !answered) {
            ended = true;
            serial.execute(() -> request.abandon());
        }
    }

    /** On the worker, after the body. */
    private void respond(boolean keepOpen) {
        RegistryResponse response;
        try {
            response = request.end();
        } catch (RuntimeException | Error e) {
            LOG.error("Unexpected failure answering {} {}", head.method(), head.uri(), e);
            HttpChannelHandler.write(ctx, keepOpen, HttpResult.text(500, "ecs-emu failed: " + e + "\n"));
            return;
        }
        write(response, keepOpen);
    }

    private void write(RegistryResponse r, boolean keepOpen) {
        HttpResponseStatus status = HttpResponseStatus.valueOf(r.status());
        ChannelFutureListener after = HttpChannelHandler.afterResponse(keepOpen);
        if (r.file() == null) {
            DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(r.body()));
            headers(response, r, r.body().length, keepOpen);
            ctx.writeAndFlush(response).addListener(after);
            return;
        }
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        headers(response, r, r.fileLength(), keepOpen);
        ctx.write(response);
        ctx.write(new DefaultFileRegion(r.file(), r.fileOffset(), r.fileLength()));
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(after);
    }

    private static void headers(HttpResponse response, RegistryResponse r, long length, boolean keepOpen) {
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            response.headers().set(h.getKey(), h.getValue());
        }
        if (!response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
        }
        HttpUtil.setKeepAlive(response, keepOpen);
    }

    private static RegistryRequest failed(Throwable e) {
        return new RegistryRequest() {
            @Override
            public boolean wantsBody() {
                return false;
            }

            @Override
            public void body(ByteBuf chunk) {
            }

            @Override
            public RegistryResponse end() {
                throw e instanceof RuntimeException ? (RuntimeException) e : new IllegalStateException(e);
            }

            @Override
            public void abandon() {
            }
        };
    }
}

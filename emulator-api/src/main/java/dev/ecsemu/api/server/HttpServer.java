package dev.ecsemu.api.server;

import dev.ecsemu.api.protocol.JsonDispatcher;
import dev.ecsemu.api.registry.RegistryApi;
import dev.ecsemu.core.runtime.EngineStatus;
import dev.ecsemu.core.capacity.SpotInterruptions;
import dev.ecsemu.core.state.Stores;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The one Netty server on the one port. */
public final class HttpServer implements AutoCloseable {
    private final EventLoopGroup boss = new NioEventLoopGroup(1, new DefaultThreadFactory("http-accept", true));
    private final EventLoopGroup io = new NioEventLoopGroup(0, new DefaultThreadFactory("http-io", true));
    private final ExecutorService workers;
    private final Channel channel;

    /** @param registry the registry under {@code /v2/}; null: none */
    public HttpServer(ServerOptions options, JsonDispatcher dispatcher, Stores stores, Runnable reset, Supplier<EngineStatus> engine,
            String version, RegistryApi registry)
            throws InterruptedException {
        this(options, dispatcher, stores, reset, engine, version, registry, null);
    }

    /** @param spot serves {@code POST /_ecs-emu/spot-interruption}; null: not served */
    public HttpServer(ServerOptions options, JsonDispatcher dispatcher, Stores stores, Runnable reset, Supplier<EngineStatus> engine,
            String version, RegistryApi registry, SpotInterruptions spot)
            throws InterruptedException {
        RequestRouter router = new RequestRouter(dispatcher, stores, reset, engine, options, version, registry, spot);
        int threads = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
        this.workers = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory("api-worker", true));
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, io)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new HttpServerCodec(8192, 64 * 1024, 64 * 1024))
                                // Holds back requests a client pipelines while one is being answered
                                // (reading is paused then), so that answers leave in request order.
                                .addLast(new FlowControlHandler())
                                .addLast(new HttpChannelHandler(router, workers, options.maxBodyBytes()));
                    }
                });
        this.channel = bootstrap.bind(options.host(), options.port()).sync().channel();
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        // Let the workers hand their last responses to the event loops before those stop; otherwise a
        // worker finishing late finds its event loop gone and Netty logs a RejectedExecutionException.
        workers.shutdown();
        try {
            workers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        io.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
}

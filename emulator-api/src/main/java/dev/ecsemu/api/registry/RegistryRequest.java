package dev.ecsemu.api.registry;

import io.netty.buffer.ByteBuf;

/**
 * One registry request, opened by {@link RegistryApi#open} once its head has arrived. Its body follows
 * chunk by chunk as the client sends it, then {@link #end} answers. The server calls these methods on a
 * worker thread, one at a time and in order, never on the event loop.
 */
public interface RegistryRequest {

    /** Whether the body's bytes are wanted; when not, the server drops them without calling {@link #body}. */
    boolean wantsBody();

    /** The next chunk of the body; the caller releases it afterwards. */
    void body(ByteBuf chunk);

    /** The body has ended: the answer. */
    RegistryResponse end();

    /** The connection closed before the body ended. */
    void abandon();

    /** A request answered already when its head arrived (an error, or one without a body). */
    static RegistryRequest answered(RegistryResponse response) {
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
                return response;
            }

            @Override
            public void abandon() {
                if (response.file() != null) {
                    response.withoutBody(); // closes the file
                }
            }
        };
    }
}

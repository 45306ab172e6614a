package dev.ecsemu.core.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import java.io.Closeable;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's event stream for this process's containers ({@code type=container},
 * {@code label=ecs-emu.pid=<pid>}). {@link #ensureSubscribed} opens it and returns once Docker has
 * answered, so a container started after it cannot slip past unseen. When the stream ends (the engine
 * went away), the runtime is told and subscribes again once the engine is back.
 */
final class DockerEvents implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DockerEvents.class);
    private static final long SUBSCRIBE_TIMEOUT_SECONDS = 10;

    interface Handler {
        void onEvent(Event event);

        /** The stream ended without being closed; {@code error} is null when the engine closed it. */
        void onStreamEnded(Throwable error);
    }

    private final Handler handler;
    private final long pid;
    private Subscription current;
    private boolean closed;
    private int subscriptions;

    DockerEvents(long pid, Handler handler) {
        this.pid = pid;
        this.handler = handler;
    }

    /** Opens the stream unless it is open; answers true when it opened a new one after an earlier one ended. */
    synchronized boolean ensureSubscribed(DockerClient streaming) throws InterruptedException {
        if (closed) {
            throw new IllegalStateException("the Docker runtime is closed");
        }
        if (current != null && current.alive) {
            return false;
        }
        Subscription s = new Subscription();
        streaming.eventsCmd().withEventTypeFilter(EventType.CONTAINER)
                .withLabelFilter(Map.of(RuntimeIdentity.PID, Long.toString(pid))).exec(s);
        if (!s.ready.await(SUBSCRIBE_TIMEOUT_SECONDS, TimeUnit.SECONDS) || !s.alive) {
            s.quietClose();
            throw new IllegalStateException("the Docker engine did not open its event stream");
        }
        current = s;
        subscriptions++;
        return subscriptions > 1;
    }

    synchronized boolean active() {
        return current != null && current.alive;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (current != null) {
            current.quietClose();
        }
    }

    private final class Subscription extends ResultCallback.Adapter<Event> {
        volatile boolean alive = true;
        volatile boolean closing;
        /** Counted down when the stream opened, or failed to. */
        final CountDownLatch ready = new CountDownLatch(1);

        @Override
        public void onStart(Closeable stream) {
            super.onStart(stream);
            ready.countDown();
        }

        @Override
        public void onNext(Event event) {
            if (event != null && alive) {
                handler.onEvent(event);
            }
        }

        @Override
        public void onError(Throwable error) {
            ended(error);
            super.onError(error);
        }

        @Override
        public void onComplete() {
            ended(null);
            super.onComplete();
        }

        private void ended(Throwable error) {
            boolean wasAlive = alive;
            alive = false;
            ready.countDown();
            if (wasAlive && !closing) {
                LOG.debug("Docker event stream ended", error);
                handler.onStreamEnded(error);
            }
        }

        void quietClose() {
            closing = true;
            alive = false;
            try {
                close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("closing the Docker event stream", e);
            }
        }
    }

}

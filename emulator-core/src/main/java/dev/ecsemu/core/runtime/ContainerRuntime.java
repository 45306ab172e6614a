package dev.ecsemu.core.runtime;

/**
 * The port through which the emulator runs containers. {@code DockerRuntime} drives a Docker
 * engine; {@link NoContainerRuntime} keeps the control-plane model only.
 */
public interface ContainerRuntime extends AutoCloseable {

    EngineStatus status();

    /** Begins watching the engine (connection, events); returns at once. */
    void start();

    @Override
    void close();
}

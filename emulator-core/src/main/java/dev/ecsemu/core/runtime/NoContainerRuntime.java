package dev.ecsemu.core.runtime;

/** Engine {@code none}: the full control-plane model, no containers. */
public final class NoContainerRuntime implements ContainerRuntime {
    private static final EngineStatus STATUS = new EngineStatus("none", true,
            "model only: tasks follow the ECS lifecycle but no containers are started");

    @Override
    public EngineStatus status() {
        return STATUS;
    }

    @Override
    public void start() {
    }

    @Override
    public void close() {
    }
}

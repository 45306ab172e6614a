package dev.ecsemu.core.service;

import dev.ecsemu.core.runtime.ContainerRuntime;
import dev.ecsemu.core.runtime.ContainerSpec;
import dev.ecsemu.core.runtime.EngineStatus;
import dev.ecsemu.core.runtime.RuntimeListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A container runtime that only writes down what it is asked to do. The test plays the engine: it
 * takes a request and reports its outcome to the task controller, as the Docker runtime would.
 * Used from the test's thread only.
 */
final class RecordingRuntime implements ContainerRuntime {

    /** One start or stop the runtime was asked for and has not answered yet. */
    record Request(String taskArn, String containerName, boolean start) {
    }

    private final List<Request> outstanding = new ArrayList<>();

    /** The requests not yet answered, oldest first. */
    List<Request> outstanding() {
        return outstanding;
    }

    @Override
    public EngineStatus status() {
        return new EngineStatus("recording", true, "test double: records requests, the test reports outcomes");
    }

    @Override
    public void start(RuntimeListener listener) {
    }

    @Override
    public void attachTaskNetwork(dev.ecsemu.core.runtime.TaskNetworkSpec spec) {
        throw new UnsupportedOperationException("the service scheduler tests run bridge tasks only");
    }

    @Override
    public void startContainer(ContainerSpec spec) {
        outstanding.add(new Request(spec.taskArn(), spec.containerName(), true));
    }

    @Override
    public void stopContainer(String taskArn, String containerName, Duration timeout) {
        outstanding.add(new Request(taskArn, containerName, false));
    }

    @Override
    public void removeTask(String taskArn) {
        // Called later from the task controller's timer thread; there is nothing to remove.
    }

    @Override
    public void close() {
    }
}

package dev.ecsemu.core.testing;

import dev.ecsemu.core.runtime.EngineStatus;
import dev.ecsemu.core.runtime.docker.DockerRuntime;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The condition behind {@link RequiresDocker}; the engine is checked once per test run. */
public final class DockerCondition implements ExecutionCondition {
    private static volatile EngineStatus engine;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        EngineStatus status = engine();
        if (status.available()) {
            return ConditionEvaluationResult.enabled(status.detail());
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true but no Docker engine answers: " + status.detail());
        }
        return ConditionEvaluationResult.disabled("No Docker engine: " + status.detail());
    }

    /** Whether the engine answers, checked once. */
    public static synchronized EngineStatus engine() {
        if (engine == null) {
            try (DockerRuntime docker = new DockerRuntime()) {
                docker.start(dev.ecsemu.core.runtime.RuntimeListener.IGNORE);
                engine = docker.firstCheck().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                engine = new EngineStatus("docker", false, e.toString());
            }
        }
        return engine;
    }
}

package dev.ecsemu.api.registry;

import java.util.Map;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The condition behind {@link RequiresSkopeo}; skopeo is looked for once per test run. */
final class SkopeoCondition implements ExecutionCondition {
    private static volatile Cli.Result version;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Cli.Result v = version();
        if (v.ok()) {
            return ConditionEvaluationResult.enabled(v.output().trim());
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true but skopeo does not run (apt-get install skopeo): " + v.output());
        }
        return ConditionEvaluationResult.disabled("No skopeo (apt-get install skopeo): " + v.output().trim());
    }

    private static synchronized Cli.Result version() {
        if (version == null) {
            try {
                version = new Cli(Map.of()).run("skopeo", "--version");
            } catch (RuntimeException e) {
                version = new Cli.Result(-1, e.toString());
            }
        }
        return version;
    }
}

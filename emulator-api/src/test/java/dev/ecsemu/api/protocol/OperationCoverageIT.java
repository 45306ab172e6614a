package dev.ecsemu.api.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * Which ECS operations the emulator implements, against the operations of the SDK's ECS model, and
 * how it refuses everything else: a model operation it does not implement, an operation ECS does not
 * have, a service it knows but does not serve, a target it does not know.
 */
class OperationCoverageIT extends OperationCoverage {

    @Override
    JsonService service() {
        return emu.emulator().ecs();
    }

    @Override
    Class<?> clientInterface() {
        return EcsClient.class;
    }

    @Override
    Object client() {
        return ecs;
    }

    @Override
    List<String> wellKnownOperations() {
        return List.of("CreateCluster", "RunTask", "CreateService");
    }

    @Test
    void otherAwsServicesAreNamedAsNotServed() {
        Map<String, String> services = Map.of(
                "Logs_20140328.CreateLogGroup", "CloudWatch Logs",
                "AnyScaleFrontendService.RegisterScalableTarget", "Application Auto Scaling");
        services.forEach((target, service) -> {
            String message = expectError(emu.post(target, "{}"), 400, "UnsupportedOperation");
            String operation = target.substring(target.indexOf('.') + 1);
            assertThat(message).as("refusal of %s", target).contains(service).containsPattern(word(operation));
        });
    }

    @Test
    void anUnknownTargetIsUnknown() {
        for (String target : List.of("Foo_20200101.Bar", "ListClusters", "", "AmazonEC2ContainerServiceV20141113x.ListClusters")) {
            String message = expectError(emu.post(target, "{}"), 400, "UnknownOperationException");
            assertThat(message).as("refusal of target '%s'", target).contains("'" + target + "'").contains("ECS").contains("ECR");
        }
    }
}

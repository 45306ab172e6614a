package dev.ecsemu.api.ecs;

import dev.ecsemu.api.protocol.JsonService;
import dev.ecsemu.api.protocol.OperationTable;
import dev.ecsemu.core.service.ServiceController;
import dev.ecsemu.core.task.TaskController;
import software.amazon.awssdk.services.ecs.EcsClient;

/** The ECS service as the dispatcher serves it. */
public final class EcsApi {
    public static final String TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113";

    private EcsApi() {
    }

    public static JsonService service(TaskController tasks, ServiceController services, java.time.Clock clock) {
        return new JsonService("ECS", TARGET_PREFIX, EcsClient.class, "InvalidParameterException", "message",
                new OperationTable(new ClusterOperations(), new TaskDefinitionOperations(), new TagOperations(),
                        new AccountSettingOperations(), new ContainerInstanceOperations(tasks, services), new TaskOperations(tasks),
                        new TaskStateOperations(clock), new AttributeOperations(), new ServiceOperations(services),
                        new ServiceDeploymentOperations(services), new CapacityProviderOperations()));
    }
}

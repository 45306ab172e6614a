package dev.ecsemu.core.error;

import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.ecs.model.ServiceNotActiveException;
import software.amazon.awssdk.services.ecs.model.ServiceNotFoundException;

/** The ECS refusals used across the domain, worded as ECS words them. */
public final class EcsErrors {
    private EcsErrors() {
    }

    public static ApiException clusterNotFound() {
        return ApiException.of(ClusterNotFoundException.class, "Cluster not found.");
    }

    public static ApiException serviceNotFound() {
        return ApiException.of(ServiceNotFoundException.class, "Service not found.");
    }

    public static ApiException serviceNotActive() {
        return ApiException.of(ServiceNotActiveException.class, "Service was not ACTIVE.");
    }

    public static ApiException client(String message) {
        return ApiException.of(ClientException.class, message);
    }

    public static ApiException invalidParameter(String message) {
        return ApiException.of(InvalidParameterException.class, message);
    }

    public static ApiException resourceNotFound(String message) {
        return ApiException.of(ResourceNotFoundException.class, message);
    }
}

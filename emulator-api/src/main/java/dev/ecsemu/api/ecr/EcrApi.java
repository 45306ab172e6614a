package dev.ecsemu.api.ecr;

import dev.ecsemu.api.protocol.JsonService;
import dev.ecsemu.api.protocol.OperationTable;
import dev.ecsemu.core.registry.Registry;
import java.time.Clock;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ecr.EcrClient;

/** The ECR API as the dispatcher serves it, over the emulator's registry. */
public final class EcrApi {
    public static final String TARGET_PREFIX = "AmazonEC2ContainerRegistry_V20150921";

    private EcrApi() {
    }

    /** @param registryHost the {@code host:port} repository URIs and proxy endpoints name (known once the server listens) */
    public static JsonService service(Registry registry, Supplier<String> registryHost, Clock clock) {
        return new JsonService("ECR", TARGET_PREFIX, EcrClient.class, "InvalidParameterException", "message",
                new OperationTable(new RepositoryOperations(registry, registryHost), new RepositoryPolicyOperations(),
                        new RegistryOperations(registry, registryHost), new ImageOperations(registry, clock),
                        new LayerOperations(registry, registryHost), new LifecyclePolicyOperations(registry, clock),
                        new ImageScanOperations(clock), new TagOperations()));
    }
}

package dev.ecsemu.examples.sdk;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.waiters.EcsWaiter;

/**
 * The AWS SDK for Java v2 against ecs-emu: a cluster with a container instance, a task definition, a service of two
 * tasks, a rollout to a new revision, and the services-stable waiter seeing each step through.
 * Copy it into a project with {@code software.amazon.awssdk:ecs} and {@code apache-client}, start the emulator
 * ({@code ./ecs-emu start --time-scale 0.05}: 0.05 turns ECS's 40 s settle period into 2 s) and run
 * {@code main} with the endpoint and an image you have locally (default {@code http://127.0.0.1:5327 busybox:latest}).
 * Nothing here is specific to the emulator but the endpoint: the same code runs against AWS.
 * {@code ServiceRolloutExampleIT} runs it in the build, against an in-process emulator and against the image.
 */
public final class ServiceRolloutExample {
    private static final String CLUSTER = "sdk-demo";
    private static final String SERVICE = "web";

    private ServiceRolloutExample() {
    }

    public static void main(String[] args) {
        URI endpoint = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:5327");
        String image = args.length > 1 ? args[1] : "busybox:latest";
        try (EcsClient ecs = EcsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                // Any credentials do; a 12-digit access key id would select that account.
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(ApacheHttpClient.builder())
                .build()) {
            Service service = run(ecs, image);
            System.out.println(describe(service));
        }
    }

    /** Runs the example and answers the service once the rollout is complete. */
    public static Service run(EcsClient ecs, String image) {
        // The SDK's services-stable waiter polls every 15 s; against the emulator one second is plenty.
        EcsWaiter waiter = EcsWaiter.builder().client(ecs).overrideConfiguration(o -> o
                .backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofSeconds(1)))
                .waitTimeout(Duration.ofMinutes(3))).build();

        ecs.createCluster(r -> r.clusterName(CLUSTER));
        // An emulated EC2 instance (ecs-emu start --instances N registers some into the cluster "default").
        ecs.registerContainerInstance(r -> r.cluster(CLUSTER).instanceIdentityDocument(
                "{\"instanceId\":\"i-0sdkdemo\",\"instanceType\":\"m5.large\",\"availabilityZone\":\"us-east-1a\"}"));

        String v1 = registerRevision(ecs, image, "v1");
        ecs.createService(r -> r.cluster(CLUSTER).serviceName(SERVICE).taskDefinition(v1).desiredCount(2)
                .deploymentConfiguration(d -> d.minimumHealthyPercent(50).maximumPercent(200)));
        waiter.waitUntilServicesStable(r -> r.cluster(CLUSTER).services(SERVICE));
        System.out.println("stable on " + v1);

        String v2 = registerRevision(ecs, image, "v2");
        ecs.updateService(r -> r.cluster(CLUSTER).service(SERVICE).taskDefinition(v2));
        waiter.waitUntilServicesStable(r -> r.cluster(CLUSTER).services(SERVICE));
        System.out.println("stable on " + v2);

        return ecs.describeServices(r -> r.cluster(CLUSTER).services(SERVICE)).services().get(0);
    }

    private static String registerRevision(EcsClient ecs, String image, String version) {
        return ecs.registerTaskDefinition(r -> r.family(SERVICE).containerDefinitions(c -> c.name("web").image(image).memory(32)
                        .essential(true).stopTimeout(2)
                        .environment(KeyValuePair.builder().name("VERSION").value(version).build())
                        .command("sh", "-c", "trap 'exit 0' TERM; echo \"$VERSION up\"; while true; do sleep 1; done")))
                .taskDefinition().taskDefinitionArn();
    }

    public static String describe(Service service) {
        List<String> deployments = service.deployments().stream()
                .map(d -> d.status() + " " + d.rolloutStateAsString() + " " + d.taskDefinition() + " running=" + d.runningCount())
                .collect(Collectors.toList());
        return service.serviceName() + " " + service.status() + " running=" + service.runningCount() + " deployments=" + deployments;
    }

    /** The one deployment left after a complete rollout. */
    public static Deployment primary(Service service) {
        return service.deployments().get(0);
    }
}

package dev.ecsemu.api.ecs;

import static dev.ecsemu.api.testing.EcsAssertions.assertEcsError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.api.testing.ModelOnlyIT;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.CapacityProvider;
import software.amazon.awssdk.services.ecs.model.CapacityProviderField;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStatus;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.CapacityProviderUpdateStatus;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.ManagedScalingStatus;
import software.amazon.awssdk.services.ecs.model.ManagedTerminationProtection;
import software.amazon.awssdk.services.ecs.model.ResourceInUseException;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;

/** The capacity provider API and capacity provider strategies, through the real EcsClient (engine none). */
class CapacityProviderOperationsIT extends ModelOnlyIT {
    private static final String ASG = "arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:1a2b:autoScalingGroupName/";

    private static CapacityProvider create(String name, boolean managed) {
        return ecs.createCapacityProvider(r -> r.name(name).autoScalingGroupProvider(a -> a.autoScalingGroupArn(ASG + name)
                .managedScaling(m -> m.status(managed ? ManagedScalingStatus.ENABLED : ManagedScalingStatus.DISABLED).instanceWarmupPeriod(0))))
                .capacityProvider();
    }

    private static CapacityProviderStrategyItem item(String provider, int base, int weight) {
        return CapacityProviderStrategyItem.builder().capacityProvider(provider).base(base).weight(weight).build();
    }

    private static String taskDefinition() {
        return ecs.registerTaskDefinition(r -> r.family("web").containerDefinitions(c -> c.name("main").image("busybox").memory(64).cpu(256)))
                .taskDefinition().taskDefinitionArn();
    }

    @Test
    void createFillsInEcsDefaultsAndDescribeListsFargateFirst() {
        CapacityProvider created = ecs.createCapacityProvider(r -> r.name("web-asg")
                .autoScalingGroupProvider(a -> a.autoScalingGroupArn(ASG + "web"))
                .tags(Tag.builder().key("team").value("web").build())).capacityProvider();
        assertThat(created.capacityProviderArn()).isEqualTo("arn:aws:ecs:us-east-1:000000000000:capacity-provider/web-asg");
        assertThat(created.status()).isEqualTo(CapacityProviderStatus.ACTIVE);
        assertThat(created.autoScalingGroupProvider().managedScaling().status()).isEqualTo(ManagedScalingStatus.DISABLED);
        assertThat(created.autoScalingGroupProvider().managedScaling().targetCapacity()).isEqualTo(100);
        assertThat(created.autoScalingGroupProvider().managedScaling().minimumScalingStepSize()).isEqualTo(1);
        assertThat(created.autoScalingGroupProvider().managedScaling().maximumScalingStepSize()).isEqualTo(10000);
        assertThat(created.autoScalingGroupProvider().managedScaling().instanceWarmupPeriod()).isEqualTo(300);
        assertThat(created.autoScalingGroupProvider().managedTerminationProtection()).isEqualTo(ManagedTerminationProtection.DISABLED);
        assertThat(created.tags()).extracting(Tag::key).containsExactly("team");

        List<CapacityProvider> all = ecs.describeCapacityProviders(r -> r.include(CapacityProviderField.TAGS)).capacityProviders();
        assertThat(all).extracting(CapacityProvider::name).containsExactly("FARGATE", "FARGATE_SPOT", "web-asg");
        assertThat(all.get(2).tags()).extracting(Tag::value).containsExactly("web");
        List<CapacityProvider> paged = ecs.describeCapacityProviders(r -> r.maxResults(2)).capacityProviders();
        assertThat(paged).hasSize(2);
        var missing = ecs.describeCapacityProviders(r -> r.capacityProviders("web-asg", "nope"));
        assertThat(missing.capacityProviders()).extracting(CapacityProvider::name).containsExactly("web-asg");
        assertThat(missing.failures().get(0).reason()).isEqualTo("MISSING");
        assertThat(ecs.listTagsForResource(r -> r.resourceArn(created.capacityProviderArn())).tags()).hasSize(1);
    }

    @Test
    void createRefusesWhatEcsRefuses() {
        String name = "The specified capacity provider name is invalid. Up to 255 characters are allowed, including letters (upper and"
                + " lowercase), numbers, underscores, and hyphens. The name cannot be prefixed with \"aws\", \"ecs\", or \"fargate\".";
        assertEcsError(() -> ecs.createCapacityProvider(r -> r.name("ecs-web").autoScalingGroupProvider(a -> a.autoScalingGroupArn(ASG))),
                InvalidParameterException.class, name);
        assertEcsError(() -> ecs.createCapacityProvider(r -> r.name("Fargate2").autoScalingGroupProvider(a -> a.autoScalingGroupArn(ASG))),
                InvalidParameterException.class, name);
        assertEcsError(() -> ecs.createCapacityProvider(r -> r.name("web").autoScalingGroupProvider(a -> a.managedScaling(m -> m.targetCapacity(50)))),
                InvalidParameterException.class, "1 validation error detected: Value null at 'autoScalingGroupProvider.autoScalingGroupArn'"
                        + " failed to satisfy constraint: Member must not be null");
        assertEcsError(() -> ecs.createCapacityProvider(r -> r.name("web").autoScalingGroupProvider(a -> a.autoScalingGroupArn(ASG)
                .managedScaling(m -> m.status(ManagedScalingStatus.ENABLED).targetCapacity(0)))), InvalidParameterException.class,
                "managedScaling.targetCapacity must be greater than 0 and less than or equal to 100; got 0.");
        assertEcsError(() -> ecs.createCapacityProvider(r -> r.name("web").autoScalingGroupProvider(a -> a.autoScalingGroupArn(ASG)
                .managedScaling(m -> m.status(ManagedScalingStatus.ENABLED).minimumScalingStepSize(5).maximumScalingStepSize(2)))),
                InvalidParameterException.class,
                "managedScaling.minimumScalingStepSize (5) must not be greater than maximumScalingStepSize (2).");
        assertEcsError(() -> ecs.createCapacityProvider(r -> r.name("web").autoScalingGroupProvider(a -> a.autoScalingGroupArn(ASG)
                .managedTerminationProtection(ManagedTerminationProtection.ENABLED))), InvalidParameterException.class,
                "The managed termination protection setting for the capacity provider is invalid. To enable managed termination protection"
                        + " for a capacity provider, managed scaling must also be enabled.");
        assertEcsError(() -> ecs.createCapacityProvider(r -> r.name("web").autoScalingGroupProvider(a -> a.autoScalingGroupArn(ASG))
                .tags(Tag.builder().key("ecs-emu:instance-type").value("z9.huge").build())), InvalidParameterException.class,
                "Tag ecs-emu:instance-type names an instance type ecs-emu does not know: 'z9.huge'. Use one of "
                        + dev.ecsemu.core.containerinstance.InstanceType.known() + ".");

        create("web", true);
        assertEcsError(() -> create("web", true), ClientException.class,
                "The specified capacity provider already exists. To change the configuration of an existing capacity provider, update the"
                        + " capacity provider.");
        assertEcsError(() -> ecs.createCapacityProvider(r -> r.name("web2").autoScalingGroupProvider(a -> a.autoScalingGroupArn(ASG + "web"))),
                ClientException.class, "The specified Auto Scaling group ARN is already being used by another capacity provider. Specify a"
                        + " unique Auto Scaling group ARN and try again.");
    }

    @Test
    void updateChangesManagedScalingKeepingWhatItDoesNotName() {
        create("web", false);
        CapacityProvider updated = ecs.updateCapacityProvider(r -> r.name("web").autoScalingGroupProvider(a -> a
                .managedScaling(m -> m.status(ManagedScalingStatus.ENABLED).targetCapacity(80)))).capacityProvider();
        assertThat(updated.autoScalingGroupProvider().managedScaling().targetCapacity()).isEqualTo(80);
        assertThat(updated.autoScalingGroupProvider().managedScaling().instanceWarmupPeriod()).isEqualTo(0);
        assertThat(updated.updateStatus()).isEqualTo(CapacityProviderUpdateStatus.UPDATE_COMPLETE);
        assertEcsError(() -> ecs.updateCapacityProvider(r -> r.name("FARGATE").autoScalingGroupProvider(a -> a
                .managedTerminationProtection(ManagedTerminationProtection.DISABLED))), InvalidParameterException.class,
                "The FARGATE and FARGATE_SPOT capacity providers are reserved and cannot be updated.");
    }

    @Test
    void aProviderInUseIsNeitherRemovedNorDeleted() {
        create("web", true);
        ecs.createCluster(r -> r.clusterName("c").capacityProviders("web")
                .defaultCapacityProviderStrategy(item("web", 0, 1)));
        assertEcsError(() -> ecs.createCluster(r -> r.clusterName("other").capacityProviders("web")), InvalidParameterException.class,
                "The capacity provider web is already associated with cluster c. An Auto Scaling group capacity provider can be associated"
                        + " with one cluster only.");

        CapacityProvider failed = ecs.deleteCapacityProvider(r -> r.capacityProvider("web")).capacityProvider();
        assertThat(failed.status()).isEqualTo(CapacityProviderStatus.ACTIVE);
        assertThat(failed.updateStatus()).isEqualTo(CapacityProviderUpdateStatus.DELETE_FAILED);
        assertThat(failed.updateStatusReason()).contains("associated with cluster: c");

        // The cluster's default strategy puts a RunTask without launch type on the provider.
        ecs.runTask(r -> r.cluster("c").taskDefinition(taskDefinition()));
        assertEcsError(() -> ecs.putClusterCapacityProviders(r -> r.cluster("c").capacityProviders(List.of())
                .defaultCapacityProviderStrategy(List.of())), ResourceInUseException.class,
                "The specified capacity provider is in use and cannot be removed. (web still has tasks or services in cluster c.)");

        ecs.listTasks(r -> r.cluster("c")).taskArns().forEach(t -> ecs.stopTask(r -> r.cluster("c").task(t)));
        ecs.putClusterCapacityProviders(r -> r.cluster("c").capacityProviders(List.of()).defaultCapacityProviderStrategy(List.of()));
        CapacityProvider deleting = ecs.deleteCapacityProvider(r -> r.capacityProvider("web")).capacityProvider();
        assertThat(deleting.updateStatus()).isEqualTo(CapacityProviderUpdateStatus.DELETE_IN_PROGRESS);
        CapacityProvider deleted = ecs.describeCapacityProviders(r -> r.capacityProviders("web")).capacityProviders().get(0);
        assertThat(deleted.status()).isEqualTo(CapacityProviderStatus.INACTIVE);
        assertThat(deleted.updateStatus()).isEqualTo(CapacityProviderUpdateStatus.DELETE_COMPLETE);
        assertThat(ecs.describeCapacityProviders(r -> { }).capacityProviders()).extracting(CapacityProvider::name)
                .containsExactly("FARGATE", "FARGATE_SPOT");
        assertEcsError(() -> ecs.deleteCapacityProvider(r -> r.capacityProvider("FARGATE")), InvalidParameterException.class,
                "The FARGATE and FARGATE_SPOT capacity providers are reserved and cannot be deleted. Remove them from a cluster with"
                        + " PutClusterCapacityProviders instead.");
    }

    @Test
    void runTaskRefusesALaunchTypeWithAStrategyAndProvidersOutsideTheCluster() {
        create("web", true);
        ecs.createCluster(r -> r.clusterName("c").capacityProviders("web"));
        String td = taskDefinition();
        assertEcsError(() -> ecs.runTask(r -> r.cluster("c").taskDefinition(td).launchType(LaunchType.EC2)
                .capacityProviderStrategy(item("web", 0, 1))), InvalidParameterException.class,
                "Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.");
        assertEcsError(() -> ecs.runTask(r -> r.cluster("c").taskDefinition(td).capacityProviderStrategy(item("other", 0, 1))),
                InvalidParameterException.class, "The specified capacity provider strategy cannot contain a capacity provider that is not"
                        + " associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider"
                        + " and try again.");
        assertEcsError(() -> ecs.runTask(r -> r.cluster("c").taskDefinition(td).capacityProviderStrategy(item("web", 1, 0))),
                InvalidParameterException.class,
                "At least one capacity provider in a capacity provider strategy must have a weight greater than zero.");
        assertEcsError(() -> ecs.createService(r -> r.cluster("c").serviceName("s").taskDefinition(td).desiredCount(1)
                .launchType(LaunchType.EC2).capacityProviderStrategy(item("web", 0, 1))), InvalidParameterException.class,
                "Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.");
    }

    @Test
    void aDaemonServiceRunsOnTheInstancesWhateverTheClusterDefaultStrategy() {
        create("web", true);
        ecs.createCluster(r -> r.clusterName("c").capacityProviders("web").defaultCapacityProviderStrategy(item("web", 0, 1)));
        String td = taskDefinition();
        var daemon = ecs.createService(r -> r.cluster("c").serviceName("d").taskDefinition(td)
                .schedulingStrategy(software.amazon.awssdk.services.ecs.model.SchedulingStrategy.DAEMON)).service();
        assertThat(daemon.launchType()).isEqualTo(LaunchType.EC2);
        assertThat(daemon.capacityProviderStrategy()).isEmpty();
        assertEcsError(() -> ecs.createService(r -> r.cluster("c").serviceName("d2").taskDefinition(td)
                .schedulingStrategy(software.amazon.awssdk.services.ecs.model.SchedulingStrategy.DAEMON)
                .capacityProviderStrategy(item("web", 0, 1))), InvalidParameterException.class,
                "The daemon scheduling strategy does not support capacity provider strategies. Specify launchType EC2 instead and try again.");
    }

    @Test
    void nineTasksSplitAsEcsSplitsThemAndWaitForTheirProvidersInstances() throws InterruptedException {
        create("on-demand", true);
        create("spot", true);
        ecs.createCluster(r -> r.clusterName("c").capacityProviders("on-demand", "spot"));
        RunTaskResponse run = ecs.runTask(r -> r.cluster("c").taskDefinition(taskDefinition()).count(9)
                .capacityProviderStrategy(item("on-demand", 1, 1), item("spot", 0, 3)));
        assertThat(run.failures()).isEmpty();
        assertThat(run.tasks()).allSatisfy(t -> {
            assertThat(t.lastStatus()).isEqualTo("PROVISIONING");
            assertThat(t.launchType()).isEqualTo(LaunchType.EC2);
            assertThat(t.containerInstanceArn()).isNull();
        });
        Map<String, Long> split = run.tasks().stream().collect(Collectors.groupingBy(Task::capacityProviderName, Collectors.counting()));
        assertThat(split).isEqualTo(Map.of("on-demand", 3L, "spot", 6L));

        // Managed scaling launches instances of each provider, and the waiting tasks are placed on them.
        List<String> arns = run.tasks().stream().map(Task::taskArn).toList();
        List<Task> placed = awaitTasks("c", arns, t -> t.containerInstanceArn() != null);
        var instances = ecs.describeContainerInstances(r -> r.cluster("c")
                .containerInstances(ecs.listContainerInstances(l -> l.cluster("c")).containerInstanceArns())).containerInstances();
        Map<String, String> providerOf = instances.stream().collect(Collectors.toMap(
                software.amazon.awssdk.services.ecs.model.ContainerInstance::containerInstanceArn,
                software.amazon.awssdk.services.ecs.model.ContainerInstance::capacityProviderName));
        assertThat(placed).allSatisfy(t -> assertThat(providerOf.get(t.containerInstanceArn())).isEqualTo(t.capacityProviderName()));
        assertThat(instances).allSatisfy(ci -> assertThat(ci.ec2InstanceId()).matches("i-[0-9a-f]{17}"));
    }

    private static final NetworkConfiguration NETWORK = NetworkConfiguration.builder()
            .awsvpcConfiguration(v -> v.subnets("subnet-0a1b2c3d4e5f60718")).build();

    private static String fargateDefinition() {
        return ecs.registerTaskDefinition(b -> b.family("fg").requiresCompatibilities(Compatibility.FARGATE).networkMode(NetworkMode.AWSVPC)
                .cpu("256").memory("512").containerDefinitions(c -> c.name("web").image("nginx"))).taskDefinition().taskDefinitionArn();
    }

    @Test
    void fargateBaseOneWeightOneAndSpotWeightThreeSplitNineTasksThreeToSix() {
        ecs.createCluster(r -> r.clusterName("c").capacityProviders("FARGATE", "FARGATE_SPOT"));
        RunTaskResponse run = ecs.runTask(r -> r.cluster("c").taskDefinition(fargateDefinition()).count(9).networkConfiguration(NETWORK)
                .capacityProviderStrategy(item("FARGATE", 1, 1), item("FARGATE_SPOT", 0, 3)));
        assertThat(run.failures()).isEmpty();
        assertThat(run.tasks().get(0).capacityProviderName()).isEqualTo("FARGATE");
        assertThat(run.tasks()).allSatisfy(t -> {
            assertThat(t.launchType()).isEqualTo(LaunchType.FARGATE);
            assertThat(t.containerInstanceArn()).isNull();
        });
        Map<String, Long> split = run.tasks().stream().collect(Collectors.groupingBy(Task::capacityProviderName, Collectors.counting()));
        assertThat(split).isEqualTo(Map.of("FARGATE", 3L, "FARGATE_SPOT", 6L));
    }

    @Test
    void aServiceWithoutLaunchTypeTakesTheClusterDefaultStrategyAndKeepsTheSplitAsItScales() throws InterruptedException {
        ecs.createCluster(r -> r.clusterName("c").capacityProviders("FARGATE", "FARGATE_SPOT")
                .defaultCapacityProviderStrategy(item("FARGATE", 1, 1), item("FARGATE_SPOT", 0, 3)));
        // A standalone task in the cluster (no startedBy) is no task of the service.
        ecs.runTask(r -> r.cluster("c").taskDefinition(fargateDefinition()).launchType(LaunchType.FARGATE).networkConfiguration(NETWORK));
        ecs.createService(r -> r.cluster("c").serviceName("s").taskDefinition(fargateDefinition()).desiredCount(5)
                .networkConfiguration(NETWORK));
        var service = ecs.describeServices(r -> r.cluster("c").services("s")).services().get(0);
        assertThat(service.launchType()).isNull();
        assertThat(service.capacityProviderStrategy()).containsExactly(item("FARGATE", 1, 1), item("FARGATE_SPOT", 0, 3));
        assertThat(awaitSplit("s", 5)).isEqualTo(Map.of("FARGATE", 2L, "FARGATE_SPOT", 3L));
        ecs.updateService(r -> r.cluster("c").service("s").desiredCount(9));
        assertThat(awaitSplit("s", 9)).isEqualTo(Map.of("FARGATE", 3L, "FARGATE_SPOT", 6L));
    }

    @Test
    void updateServiceMovesAServiceFromItsLaunchTypeToAStrategyWithANewDeployment() throws InterruptedException {
        ecs.createCluster(r -> r.clusterName("c").capacityProviders("FARGATE", "FARGATE_SPOT"));
        ecs.createService(r -> r.cluster("c").serviceName("s").taskDefinition(fargateDefinition()).desiredCount(2)
                .launchType(LaunchType.FARGATE).networkConfiguration(NETWORK));
        assertEcsError(() -> ecs.updateService(r -> r.cluster("c").service("s").capacityProviderStrategy(item("FARGATE_SPOT", 0, 1))),
                InvalidParameterException.class, "When switching from launch type to capacity provider strategy on an existing service,"
                        + " or making a change to a capacity provider strategy on a service that is already using one, you must force a new"
                        + " deployment.");
        var updated = ecs.updateService(r -> r.cluster("c").service("s").capacityProviderStrategy(item("FARGATE_SPOT", 0, 1))
                .forceNewDeployment(true)).service();
        assertThat(updated.capacityProviderStrategy()).containsExactly(item("FARGATE_SPOT", 0, 1));
        assertThat(updated.deployments()).hasSize(2);
        assertThat(updated.deployments().get(0).capacityProviderStrategy()).containsExactly(item("FARGATE_SPOT", 0, 1));
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (true) {
            List<String> arns = ecs.listTasks(r -> r.cluster("c").serviceName("s")).taskArns();
            // The new deployment's tasks (the old ones go once these count as healthy, 40 s later at time scale 1).
            List<Task> live = arns.isEmpty() ? List.of() : ecs.describeTasks(r -> r.cluster("c").tasks(arns)).tasks().stream()
                    .filter(t -> t.startedBy().equals(updated.deployments().get(0).id())).toList();
            if (live.size() == 2 && live.stream().allMatch(t -> "FARGATE_SPOT".equals(t.capacityProviderName()))) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("The service's tasks did not move to FARGATE_SPOT: " + live);
            }
            Thread.sleep(50);
        }
        // The strategy it has already may be given again without a new deployment.
        assertThat(ecs.updateService(r -> r.cluster("c").service("s").capacityProviderStrategy(item("FARGATE_SPOT", 0, 1))).service()
                .deployments()).hasSize(updated.deployments().size());
        assertEcsError(() -> ecs.updateService(r -> r.cluster("c").service("s").capacityProviderStrategy(item("FARGATE", 0, 1))),
                InvalidParameterException.class, "When switching from launch type to capacity provider strategy on an existing service,"
                        + " or making a change to a capacity provider strategy on a service that is already using one, you must force a new"
                        + " deployment.");
        assertEcsError(() -> ecs.updateService(r -> r.cluster("c").service("s").capacityProviderStrategy(item("nope", 0, 1))),
                InvalidParameterException.class, "The specified capacity provider strategy cannot contain a capacity provider that is not"
                        + " associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider"
                        + " and try again.");
    }

    @Test
    void aStrategyMixingFargateAndAutoScalingGroupProvidersIsRefused() {
        create("web", true);
        ecs.createCluster(r -> r.clusterName("c").capacityProviders("FARGATE", "web"));
        assertEcsError(() -> ecs.runTask(r -> r.cluster("c").taskDefinition(fargateDefinition()).networkConfiguration(NETWORK)
                .capacityProviderStrategy(item("FARGATE", 0, 1), item("web", 0, 1))), InvalidParameterException.class,
                "The specified capacity provider strategy cannot contain a mix of capacity providers using Auto Scaling groups and Fargate"
                        + " providers. Specify one or the other and try again.");
    }

    /** Waits until the service has this many tasks that want to run, and answers how they split over providers. */
    private static Map<String, Long> awaitSplit(String service, int count) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (true) {
            List<String> arns = ecs.listTasks(r -> r.cluster("c").serviceName(service)).taskArns();
            if (arns.size() == count) {
                return ecs.describeTasks(r -> r.cluster("c").tasks(arns)).tasks().stream()
                        .collect(Collectors.groupingBy(Task::capacityProviderName, Collectors.counting()));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("The service has " + arns.size() + " tasks, not " + count);
            }
            Thread.sleep(50);
        }
    }

    private static List<Task> awaitTasks(String cluster, List<String> arns, java.util.function.Predicate<Task> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (true) {
            List<Task> tasks = ecs.describeTasks(r -> r.cluster(cluster).tasks(arns)).tasks();
            if (tasks.stream().allMatch(condition)) {
                return tasks;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Tasks did not reach the expected state: " + tasks);
            }
            Thread.sleep(50);
        }
    }
}

package dev.ecsemu.api.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.api.testing.ServiceProbe;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.ManagedScalingStatus;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * The scenario, through the real EcsClient: an Auto Scaling group capacity provider with
 * managed scaling grows an empty cluster to the instances a service of 6 tasks of 1 vCPU needs
 * (3 m5.large of 2 vCPU), and takes them all away once the service is scaled to 0.
 */
final class ManagedScalingScenario {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final EcsClient ecs;

    ManagedScalingScenario(EcsClient ecs) {
        this.ecs = ecs;
    }

    void run(String image, List<String> command) throws InterruptedException {
        ecs.createCapacityProvider(r -> r.name("web-asg").autoScalingGroupProvider(a -> a
                .autoScalingGroupArn("arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:1:autoScalingGroupName/web")
                .managedScaling(m -> m.status(ManagedScalingStatus.ENABLED).targetCapacity(100).instanceWarmupPeriod(60))));
        ecs.createCluster(r -> r.clusterName("asg").capacityProviders("web-asg")
                .defaultCapacityProviderStrategy(CapacityProviderStrategyItem.builder().capacityProvider("web-asg").weight(1).build()));
        assertThat(instances()).isEmpty();
        String td = ecs.registerTaskDefinition(r -> r.family("one-vcpu").networkMode("bridge").containerDefinitions(c -> c.name("main")
                .image(image).cpu(1024).memory(64).command(command).stopTimeout(2))).taskDefinition().taskDefinitionArn();

        ecs.createService(r -> r.cluster("asg").serviceName("web").taskDefinition(td).desiredCount(6));
        ServiceProbe probe = new ServiceProbe(ecs, "asg", "web");
        probe.await(s -> s.runningCount() == 6, TIMEOUT);
        List<ContainerInstance> grown = instances();
        assertThat(grown).hasSize(3).allSatisfy(ci -> {
            assertThat(ci.capacityProviderName()).isEqualTo("web-asg");
            assertThat(ci.runningTasksCount()).isEqualTo(2);
            assertThat(ci.remainingResources().stream().filter(x -> x.name().equals("CPU")).findFirst().orElseThrow().integerValue())
                    .isZero();
        });
        assertThat(probe.tasks()).filteredOn(ServiceProbe::isRunning).hasSize(6)
                .allSatisfy(t -> assertThat(t.capacityProviderName()).isEqualTo("web-asg"));
        assertThat(ecs.describeServices(r -> r.cluster("asg").services("web")).services().get(0).capacityProviderStrategy())
                .extracting(CapacityProviderStrategyItem::capacityProvider).containsExactly("web-asg");

        ecs.updateService(r -> r.cluster("asg").service("web").desiredCount(0));
        probe.await(s -> s.runningCount() == 0, TIMEOUT);
        awaitInstances(List::isEmpty);
        assertThat(probe.tasks()).allSatisfy(t -> assertThat(t.lastStatus()).isEqualTo("STOPPED"));
        List<Task> stopped = probe.tasks();
        assertThat(stopped).hasSize(6);
    }

    List<ContainerInstance> instances() {
        List<String> arns = ecs.listContainerInstances(r -> r.cluster("asg")).containerInstanceArns();
        return arns.isEmpty() ? List.of() : ecs.describeContainerInstances(r -> r.cluster("asg").containerInstances(arns)).containerInstances();
    }

    private void awaitInstances(Predicate<List<ContainerInstance>> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<ContainerInstance> now = instances();
        while (!condition.test(now)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Container instances did not reach the expected state: " + now);
            }
            Thread.sleep(100);
            now = instances();
        }
    }
}

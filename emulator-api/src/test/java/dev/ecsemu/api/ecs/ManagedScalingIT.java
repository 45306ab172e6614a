package dev.ecsemu.api.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.api.EmulatorSettings;
import dev.ecsemu.api.testing.ServiceProbe;
import dev.ecsemu.api.testing.TestEmulator;
import dev.ecsemu.core.clock.TimeScale;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.ManagedScalingStatus;
import software.amazon.awssdk.services.ecs.model.PlacementConstraintType;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;

/** Managed scaling of an Auto Scaling group capacity provider with engine none (the control plane alone). */
class ManagedScalingIT {
    /** 15 minutes of scale-in delay x 0.002 = 1.8 s. */
    private static final TimeScale SCALE = new TimeScale(0.002);

    @Test
    void aServiceGrowsTheClusterFromZeroAndScalingToZeroShrinksIt() throws InterruptedException {
        try (TestEmulator emu = TestEmulator.modelOnly(EmulatorSettings.defaults().withTimeScale(SCALE)); EcsClient ecs = emu.ecs()) {
            new ManagedScalingScenario(ecs).run("busybox", List.of("sleep", "3600"));
        }
    }

    @Test
    void aServiceWithDistinctInstanceGetsAnInstancePerTaskAndItsWaitingTasksKeepTheConstraint() throws InterruptedException {
        try (TestEmulator emu = TestEmulator.modelOnly(EmulatorSettings.defaults().withTimeScale(SCALE)); EcsClient ecs = emu.ecs()) {
            ecs.createCapacityProvider(r -> r.name("spread").autoScalingGroupProvider(a -> a.autoScalingGroupArn("spread-asg")
                    .managedScaling(m -> m.status(ManagedScalingStatus.ENABLED).instanceWarmupPeriod(0))));
            ecs.createCluster(r -> r.clusterName("asg").capacityProviders("spread"));
            String td = ecs.registerTaskDefinition(r -> r.family("small").containerDefinitions(c -> c.name("main").image("busybox")
                    .cpu(256).memory(64))).taskDefinition().taskDefinitionArn();
            ecs.createService(r -> r.cluster("asg").serviceName("web").taskDefinition(td).desiredCount(4)
                    .placementConstraints(c -> c.type(PlacementConstraintType.DISTINCT_INSTANCE))
                    .capacityProviderStrategy(CapacityProviderStrategyItem.builder().capacityProvider("spread").weight(1).build()));
            ServiceProbe probe = new ServiceProbe(ecs, "asg", "web");

            // Eight such tasks would fit one m5.large; the service's distinctInstance wants one instance each.
            probe.await(s -> s.runningCount() == 4, Duration.ofSeconds(20));
            assertThat(probe.tasks()).filteredOn(ServiceProbe::isRunning).extracting(Task::containerInstanceArn)
                    .doesNotHaveDuplicates().hasSize(4);
            assertThat(ecs.listContainerInstances(r -> r.cluster("asg")).containerInstanceArns()).hasSize(4);
        }
    }

    @Test
    void theGroupStopsAtItsMaximumSizeAndTheTasksBeyondWaitInProvisioningUntilTheServiceLetsThemGo() throws InterruptedException {
        try (TestEmulator emu = TestEmulator.modelOnly(EmulatorSettings.defaults().withTimeScale(SCALE)); EcsClient ecs = emu.ecs()) {
            ecs.createCapacityProvider(r -> r.name("small").autoScalingGroupProvider(a -> a.autoScalingGroupArn("small-asg")
                    .managedScaling(m -> m.status(ManagedScalingStatus.ENABLED).instanceWarmupPeriod(0)))
                    .tags(Tag.builder().key("ecs-emu:max-size").value("1").build(),
                            Tag.builder().key("ecs-emu:instance-type").value("t3.small").build()));
            ecs.createCluster(r -> r.clusterName("asg").capacityProviders("small"));
            String td = ecs.registerTaskDefinition(r -> r.family("one-vcpu").containerDefinitions(c -> c.name("main").image("busybox")
                    .cpu(1024).memory(64))).taskDefinition().taskDefinitionArn();
            ecs.createService(r -> r.cluster("asg").serviceName("web").taskDefinition(td).desiredCount(4)
                    .capacityProviderStrategy(CapacityProviderStrategyItem.builder().capacityProvider("small").weight(1).build()));
            ServiceProbe probe = new ServiceProbe(ecs, "asg", "web");

            // One t3.small holds two tasks of 1 vCPU; the other two wait, since the group may not grow.
            probe.await(s -> s.runningCount() == 2 && s.pendingCount() == 2, Duration.ofSeconds(20));
            List<Task> waiting = probe.tasks().stream().filter(t -> "PROVISIONING".equals(t.lastStatus())).toList();
            assertThat(waiting).hasSize(2).allSatisfy(t -> {
                assertThat(t.containerInstanceArn()).isNull();
                assertThat(t.capacityProviderName()).isEqualTo("small");
            });
            List<String> instances = ecs.listContainerInstances(r -> r.cluster("asg")).containerInstanceArns();
            assertThat(instances).hasSize(1);
            assertThat(ecs.describeContainerInstances(r -> r.cluster("asg").containerInstances(instances)).containerInstances().get(0)
                    .ec2InstanceId()).matches("i-[0-9a-f]{17}");

            // A task that fits no t3.small at all is refused rather than left waiting.
            String big = ecs.registerTaskDefinition(r -> r.family("four-vcpu").containerDefinitions(c -> c.name("main").image("busybox")
                    .cpu(4096).memory(64))).taskDefinition().taskDefinitionArn();
            var refused = ecs.runTask(r -> r.cluster("asg").taskDefinition(big)
                    .capacityProviderStrategy(CapacityProviderStrategyItem.builder().capacityProvider("small").weight(1).build()));
            assertThat(refused.tasks()).isEmpty();
            assertThat(refused.failures().get(0).reason()).isEqualTo("RESOURCE:CPU");

            ecs.updateService(r -> r.cluster("asg").service("web").desiredCount(0));
            probe.await(s -> s.runningCount() == 0 && s.pendingCount() == 0, Duration.ofSeconds(20));
            assertThat(probe.tasks()).hasSize(4).allSatisfy(t -> assertThat(t.lastStatus()).isEqualTo("STOPPED"));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!ecs.listContainerInstances(r -> r.cluster("asg")).containerInstanceArns().isEmpty()) {
                assertThat(System.nanoTime()).as("the idle instance is terminated").isLessThan(deadline);
                Thread.sleep(100);
            }
        }
    }
}

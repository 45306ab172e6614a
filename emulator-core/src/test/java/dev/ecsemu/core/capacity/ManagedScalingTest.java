package dev.ecsemu.core.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ecsemu.core.clock.TimeScale;
import dev.ecsemu.core.containerinstance.ContainerInstance;
import dev.ecsemu.core.containerinstance.ContainerInstances;
import dev.ecsemu.core.containerinstance.InstanceAddresses;
import dev.ecsemu.core.containerinstance.Reservation;
import dev.ecsemu.core.state.Scope;
import dev.ecsemu.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.AutoScalingGroupProvider;
import software.amazon.awssdk.services.ecs.model.ManagedScalingStatus;
import software.amazon.awssdk.services.ecs.model.Tag;

class ManagedScalingTest {
    private static final Scope SCOPE = new Scope("000000000000", "us-east-1");
    private static final Reservation ONE_VCPU = new Reservation(1024, 256, Set.of(), Set.of());

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ContainerInstances instances = new ContainerInstances(SCOPE, clock, InstanceAddresses.distinct());
    private final ManagedScaling scaling = new ManagedScaling(new TimeScale(0.01));
    private int registered;

    private CapacityProvider provider(software.amazon.awssdk.services.ecs.model.ManagedScaling managed, Tag... tags) {
        return new CapacityProviders(SCOPE).create("asg" + (registered++), AutoScalingGroupProvider.builder()
                .autoScalingGroupArn("asg-" + registered).managedScaling(managed).build(), List.of(tags));
    }

    private static software.amazon.awssdk.services.ecs.model.ManagedScaling enabled(int target, int warmup) {
        return software.amazon.awssdk.services.ecs.model.ManagedScaling.builder().status(ManagedScalingStatus.ENABLED)
                .targetCapacity(target).instanceWarmupPeriod(warmup).build();
    }

    private List<ContainerInstance> launch(int count, int busy) {
        List<ContainerInstance> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ContainerInstance ci = instances.register("c", "arn:c", new ContainerInstances.Spec(null, "m5.large", null, null, null, null,
                    Map.of()), "p");
            if (i < busy) {
                ci.countTask(true, 1);
            }
            out.add(ci);
        }
        return out;
    }

    @Test
    void sixTasksOfOneVcpuNeedThreeLargeInstancesFromZero() {
        CapacityProvider p = provider(enabled(100, 300));
        ManagedScaling.Decision d = scaling.decide(p, List.of(), Collections.nCopies(6, ONE_VCPU), clock.instant());
        assertEquals(3, d.launch());
        assertEquals(200, d.reservationPercent(), "M > 0 with N = 0 reports 200%");
    }

    @Test
    void noSecondScaleOutBeforeTheWarmUpPassed() {
        CapacityProvider p = provider(enabled(100, 300));
        scaling.decide(p, List.of(), List.of(ONE_VCPU), clock.instant());
        List<ContainerInstance> one = launch(1, 1);
        assertEquals(0, scaling.decide(p, one, List.of(ONE_VCPU, ONE_VCPU), clock.instant()).launch());
        clock.advance(Duration.ofSeconds(3)); // 300 s x 0.01
        assertEquals(1, scaling.decide(p, one, List.of(ONE_VCPU, ONE_VCPU), clock.instant()).launch());
    }

    @Test
    void aTargetBelowOneHundredKeepsSpareInstances() {
        CapacityProvider p = provider(enabled(50, 0));
        ManagedScaling.Decision d = scaling.decide(p, launch(2, 2), List.of(), clock.instant());
        assertEquals(2, d.launch(), "M = 2 busy instances at 50% target means N = 4");
        assertEquals(100, d.reservationPercent());
    }

    @Test
    void idleInstancesGoOnlyAfterFifteenScaledMinutesAndNeverBelowTheMinimum() {
        CapacityProvider p = provider(enabled(100, 0), Tag.builder().key(CapacityProviders.MIN_SIZE_TAG).value("1").build());
        List<ContainerInstance> four = launch(4, 1);
        assertTrue(scaling.decide(p, four, List.of(), clock.instant()).terminate().isEmpty());
        clock.advance(Duration.ofSeconds(8));
        assertTrue(scaling.decide(p, four, List.of(), clock.instant()).terminate().isEmpty());
        clock.advance(Duration.ofSeconds(1)); // 15 min x 0.01 = 9 s
        ManagedScaling.Decision d = scaling.decide(p, four, List.of(), clock.instant());
        assertEquals(3, d.terminate().size());
        assertTrue(d.terminate().stream().allMatch(ci -> ci.runningTasks() == 0));
        // With nothing running at all, the minimum size of 1 stays.
        List<ContainerInstance> idle = launch(2, 0);
        scaling.decide(p, idle, List.of(), clock.instant());
        clock.advance(Duration.ofSeconds(10));
        assertEquals(1, scaling.decide(p, idle, List.of(), clock.instant()).terminate().size());
    }

    @Test
    void theGroupMaximumAndTheStepSizesBoundAScaleOut() {
        CapacityProvider capped = provider(enabled(100, 0), Tag.builder().key(CapacityProviders.MAX_SIZE_TAG).value("2").build());
        assertEquals(2, scaling.decide(capped, List.of(), Collections.nCopies(10, ONE_VCPU), clock.instant()).launch());
        CapacityProvider stepped = provider(software.amazon.awssdk.services.ecs.model.ManagedScaling.builder()
                .status(ManagedScalingStatus.ENABLED).maximumScalingStepSize(2).minimumScalingStepSize(1).build());
        assertEquals(2, scaling.decide(stepped, List.of(), Collections.nCopies(10, ONE_VCPU), clock.instant()).launch());
        CapacityProvider minStep = provider(software.amazon.awssdk.services.ecs.model.ManagedScaling.builder()
                .status(ManagedScalingStatus.ENABLED).minimumScalingStepSize(3).build());
        assertEquals(3, scaling.decide(minStep, List.of(), List.of(ONE_VCPU), clock.instant()).launch());
    }

    @Test
    void withoutManagedScalingTheGroupKeepsItsMinimumOnly() {
        CapacityProvider p = provider(null, Tag.builder().key(CapacityProviders.MIN_SIZE_TAG).value("2").build());
        assertEquals(2, scaling.decide(p, List.of(), Collections.nCopies(10, ONE_VCPU), clock.instant()).launch());
        assertEquals(0, scaling.decide(p, launch(2, 2), Collections.nCopies(10, ONE_VCPU), clock.instant()).launch());
    }

    @Test
    void binPackingCountsCpuMemoryAndFixedPorts() {
        assertEquals(3, ManagedScaling.binsFor("m5.large", Collections.nCopies(6, ONE_VCPU)));
        Reservation port80 = new Reservation(10, 10, Set.of(80), Set.of());
        assertEquals(4, ManagedScaling.binsFor("m5.large", Collections.nCopies(4, port80)));
    }

    @Test
    void binPackingKeepsDistinctInstanceTasksOfOneGroupApartButLetsOtherGroupsShare() {
        Reservation small = new Reservation(256, 64, Set.of(), Set.of());
        ManagedScaling.Demand web = new ManagedScaling.Demand(small, "service:web");
        ManagedScaling.Demand api = new ManagedScaling.Demand(small, "service:api");
        ManagedScaling.Demand free = new ManagedScaling.Demand(small, null);
        assertEquals(3, ManagedScaling.binsForDemand("m5.large", List.of(web, web, web, api, api, free, free)));
    }
}

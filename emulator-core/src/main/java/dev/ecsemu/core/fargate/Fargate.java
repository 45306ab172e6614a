package dev.ecsemu.core.fargate;

import dev.ecsemu.core.error.ApiException;
import dev.ecsemu.core.error.EcsErrors;
import dev.ecsemu.core.task.TaskPlatform;
import dev.ecsemu.core.taskdefinition.TaskSize;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.CPUArchitecture;
import software.amazon.awssdk.services.ecs.model.EphemeralStorage;
import software.amazon.awssdk.services.ecs.model.OSFamily;
import software.amazon.awssdk.services.ecs.model.PlacementConstraint;
import software.amazon.awssdk.services.ecs.model.PlacementStrategy;
import software.amazon.awssdk.services.ecs.model.PlatformUnknownException;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskOverride;
import software.amazon.awssdk.services.ecs.model.UnsupportedFeatureException;

/**
 * What Fargate accepts and reports that container instances do not: the definition must be
 * FARGATE-compatible, placement is Fargate's own (no strategies or constraints), the platform version
 * LATEST resolves to 1.4.0, ephemeral storage is 20 GiB unless 21–200 GiB are asked for.
 */
public final class Fargate {
    public static final String LATEST = "LATEST";
    /** What LATEST means for Linux tasks. */
    public static final String LATEST_LINUX = "1.4.0";
    public static final String PLATFORM_FAMILY = "Linux";
    public static final int DEFAULT_EPHEMERAL_STORAGE_GIB = 20;
    public static final int MIN_EPHEMERAL_STORAGE_GIB = 21;
    public static final int MAX_EPHEMERAL_STORAGE_GIB = 200;
    private static final Set<String> LINUX_VERSIONS = Set.of(LATEST_LINUX, "1.3.0");
    private static final String ZONES = "abc";

    private Fargate() {
    }

    /** The refusals of RunTask and CreateService for launch type FARGATE, in ECS's words. */
    public static void checkLaunch(TaskDefinition td, List<PlacementConstraint> constraints, List<PlacementStrategy> strategies) {
        if (!td.compatibilities().contains(Compatibility.FARGATE)) {
            throw EcsErrors.invalidParameter("Task definition does not support launch_type FARGATE.");
        }
        if (strategies != null && !strategies.isEmpty()) {
            throw EcsErrors.invalidParameter("Placement strategies are not supported with FARGATE launch type.");
        }
        if (constraints != null && !constraints.isEmpty()) {
            throw EcsErrors.invalidParameter("Placement constraints are not supported with FARGATE launch type.");
        }
        if (td.runtimePlatform() != null && td.runtimePlatform().operatingSystemFamily() != null
                && td.runtimePlatform().operatingSystemFamily() != OSFamily.LINUX) {
            throw ApiException.of(UnsupportedFeatureException.class, "ecs-emu runs Linux containers only; runtimePlatform.operatingSystemFamily "
                    + td.runtimePlatform().operatingSystemFamilyAsString() + " is not supported. Use LINUX.");
        }
    }

    /** RunTask's task-level cpu/memory overrides must still be a size Fargate offers. */
    public static void checkSize(TaskDefinition td, TaskOverride overrides) {
        if (overrides == null || (overrides.cpu() == null && overrides.memory() == null)) {
            return;
        }
        Integer cpu = TaskSize.cpuUnits(overrides.cpu() != null ? overrides.cpu() : td.cpu());
        Integer memory = TaskSize.memoryMiB(overrides.memory() != null ? overrides.memory() : td.memory());
        if (cpu == null || memory == null || !TaskSize.fargateSupports(cpu, memory)) {
            throw EcsErrors.invalidParameter("No Fargate configuration exists for given values: " + cpu + " CPU, " + memory + " memory."
                    + " See the Amazon ECS documentation for the valid values.");
        }
    }

    /** The version a request's {@code platformVersion} resolves to: LATEST (or none) is 1.4.0. */
    public static String platformVersion(String requested) {
        if (requested == null || requested.isEmpty() || requested.equals(LATEST)) {
            return LATEST_LINUX;
        }
        if (!LINUX_VERSIONS.contains(requested)) {
            throw ApiException.of(PlatformUnknownException.class, "The specified platform version " + requested
                    + " does not exist. Use LATEST, 1.4.0 or 1.3.0.");
        }
        return requested;
    }

    /** The platform a Fargate task of this definition reports; the overrides' ephemeral storage wins. */
    public static TaskPlatform platform(TaskDefinition td, TaskOverride overrides, String requestedVersion) {
        String version = platformVersion(requestedVersion);
        EphemeralStorage storage = overrides != null && overrides.ephemeralStorage() != null ? overrides.ephemeralStorage() : td.ephemeralStorage();
        int gib = DEFAULT_EPHEMERAL_STORAGE_GIB;
        if (storage != null && storage.sizeInGiB() != null) {
            checkEphemeralStorage(storage.sizeInGiB());
            gib = storage.sizeInGiB();
        }
        String arch = td.runtimePlatform() != null && td.runtimePlatform().cpuArchitecture() == CPUArchitecture.ARM64 ? "arm64" : "x86_64";
        return new TaskPlatform(version, PLATFORM_FAMILY, gib, arch);
    }

    /** Fargate offers 21 to 200 GiB of ephemeral storage beyond the default 20. */
    public static void checkEphemeralStorage(int sizeInGiB) {
        if (sizeInGiB < MIN_EPHEMERAL_STORAGE_GIB || sizeInGiB > MAX_EPHEMERAL_STORAGE_GIB) {
            throw EcsErrors.invalidParameter("The ephemeral storage size must be between " + MIN_EPHEMERAL_STORAGE_GIB + " GiB and "
                    + MAX_EPHEMERAL_STORAGE_GIB + " GiB; " + sizeInGiB + " GiB was given.");
        }
    }

    /** A subnet lies in one zone; without a VPC to ask, the zone is derived from the subnet id, the same every time. */
    public static String availabilityZone(String region, String subnetId) {
        return region + ZONES.charAt(Math.floorMod(subnetId.hashCode(), ZONES.length()));
    }
}

package dev.ecsemu.core.capacity;

import dev.ecsemu.core.arn.Arn;
import dev.ecsemu.core.containerinstance.InstanceType;
import dev.ecsemu.core.error.EcsErrors;
import dev.ecsemu.core.state.Scope;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ecs.model.AutoScalingGroupProvider;
import software.amazon.awssdk.services.ecs.model.AutoScalingGroupProviderUpdate;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStatus;
import software.amazon.awssdk.services.ecs.model.CapacityProviderUpdateStatus;
import software.amazon.awssdk.services.ecs.model.ManagedDraining;
import software.amazon.awssdk.services.ecs.model.ManagedScaling;
import software.amazon.awssdk.services.ecs.model.ManagedScalingStatus;
import software.amazon.awssdk.services.ecs.model.ManagedTerminationProtection;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * The Auto Scaling group capacity providers of one store. FARGATE and FARGATE_SPOT are not kept
 * here: they exist in every account ({@link #BUILT_IN}).
 */
public final class CapacityProviders {
    public static final String FARGATE = "FARGATE";
    public static final String FARGATE_SPOT = "FARGATE_SPOT";
    public static final Set<String> BUILT_IN = Set.of(FARGATE, FARGATE_SPOT);

    /** Tags on a capacity provider that shape its emulated Auto Scaling group (read at creation). */
    public static final String INSTANCE_TYPE_TAG = "ecs-emu:instance-type";
    public static final String MIN_SIZE_TAG = "ecs-emu:min-size";
    public static final String MAX_SIZE_TAG = "ecs-emu:max-size";
    public static final int DEFAULT_MAX_SIZE = 10;
    /** Emulated instances are cheap but not free: a group may not ask for more than this. */
    static final int MAX_GROUP_SIZE = 100;

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,255}");

    private final Scope scope;
    private final Map<String, CapacityProvider> byName = new TreeMap<>();

    public CapacityProviders(Scope scope) {
        this.scope = scope;
    }

    /** Creates an Auto Scaling group capacity provider, with ECS's defaults filled in. */
    public CapacityProvider create(String name, AutoScalingGroupProvider requested, List<Tag> tags) {
        if (name == null || !NAME.matcher(name).matches() || reservedPrefix(name)) {
            throw EcsErrors.invalidParameter("The specified capacity provider name is invalid. Up to 255 characters are allowed, including"
                    + " letters (upper and lowercase), numbers, underscores, and hyphens. The name cannot be prefixed with \"aws\", \"ecs\","
                    + " or \"fargate\".");
        }
        if (requested == null) {
            throw EcsErrors.invalidParameter("autoScalingGroupProvider must be given: ecs-emu creates Auto Scaling group capacity providers.");
        }
        String groupArn = requested.autoScalingGroupArn();
        if (groupArn == null || groupArn.isEmpty()) {
            throw EcsErrors.invalidParameter("autoScalingGroupProvider.autoScalingGroupArn must be given (the ARN or name of the Auto Scaling group).");
        }
        Optional<CapacityProvider> existing = find(name);
        if (existing.isPresent() && existing.get().isActive()) {
            throw EcsErrors.client("The specified capacity provider already exists. To change the configuration of an existing capacity"
                    + " provider, update the capacity provider.");
        }
        for (CapacityProvider other : byName.values()) {
            if (other.isActive() && other.autoScalingGroupProvider().autoScalingGroupArn().equals(groupArn)) {
                throw EcsErrors.client("The specified Auto Scaling group ARN is already being used by another capacity provider. Specify a"
                        + " unique Auto Scaling group ARN and try again.");
            }
        }
        AutoScalingGroupProvider provider = requested.toBuilder()
                .managedScaling(managedScaling(requested.managedScaling(), null))
                .managedTerminationProtection(requested.managedTerminationProtection() == null
                        ? ManagedTerminationProtection.DISABLED : requested.managedTerminationProtection())
                .managedDraining(requested.managedDraining() == null ? ManagedDraining.ENABLED : requested.managedDraining())
                .build();
        checkTerminationProtection(provider);
        CapacityProvider created = new CapacityProvider(name, arnOf(name), provider, shape(tags));
        byName.put(name, created);
        return created;
    }

    /** UpdateCapacityProvider: managed scaling, termination protection and draining may change. */
    public void update(CapacityProvider provider, AutoScalingGroupProviderUpdate update) {
        if (update == null) {
            throw EcsErrors.invalidParameter("autoScalingGroupProvider must be given.");
        }
        if (!provider.isActive()) {
            throw EcsErrors.client("The specified capacity provider is not ACTIVE and cannot be updated.");
        }
        AutoScalingGroupProvider current = provider.autoScalingGroupProvider();
        AutoScalingGroupProvider updated = current.toBuilder()
                .managedScaling(update.managedScaling() == null ? current.managedScaling()
                        : managedScaling(update.managedScaling(), current.managedScaling()))
                .managedTerminationProtection(update.managedTerminationProtection() == null
                        ? current.managedTerminationProtection() : update.managedTerminationProtection())
                .managedDraining(update.managedDraining() == null ? current.managedDraining() : update.managedDraining())
                .build();
        checkTerminationProtection(updated);
        provider.autoScalingGroupProvider(updated);
        // ECS applies the update asynchronously; the emulator has nothing to wait for.
        provider.updateStatus(CapacityProviderUpdateStatus.UPDATE_COMPLETE, null);
    }

    /** Starts deleting a provider no cluster uses; it is INACTIVE (and still describable) from the next read on. */
    public void delete(CapacityProvider provider) {
        provider.updateStatus(CapacityProviderUpdateStatus.DELETE_IN_PROGRESS, null);
    }

    /** Finishes a deletion begun by {@link #delete}. */
    public void deleted(CapacityProvider provider) {
        provider.status(CapacityProviderStatus.INACTIVE);
        provider.updateStatus(CapacityProviderUpdateStatus.DELETE_COMPLETE, null);
    }

    /** A deletion ECS refuses after accepting the call: the provider stays, with the reason. */
    public void deleteFailed(CapacityProvider provider, String reason) {
        provider.updateStatus(CapacityProviderUpdateStatus.DELETE_FAILED, reason);
    }

    /** A provider by name or ARN, ACTIVE or INACTIVE. */
    public Optional<CapacityProvider> find(String nameOrArn) {
        if (nameOrArn == null) {
            return Optional.empty();
        }
        String name = nameOrArn;
        if (nameOrArn.startsWith("arn:")) {
            Optional<Arn> arn = Arn.parse(nameOrArn).filter(a -> a.isIn(scope) && a.resourceType().equals("capacity-provider"));
            if (arn.isEmpty()) {
                return Optional.empty();
            }
            name = arn.get().resourceId();
        }
        return Optional.ofNullable(byName.get(name));
    }

    /** An ACTIVE provider by name or ARN. */
    public Optional<CapacityProvider> active(String nameOrArn) {
        return find(nameOrArn).filter(CapacityProvider::isActive);
    }

    /** Every ACTIVE provider, by name. */
    public List<CapacityProvider> listActive() {
        List<CapacityProvider> out = new ArrayList<>();
        for (CapacityProvider p : byName.values()) {
            if (p.isActive()) {
                out.add(p);
            }
        }
        out.sort(Comparator.comparing(CapacityProvider::name));
        return out;
    }

    public String arnOf(String name) {
        return Arn.ecs(scope, "capacity-provider/" + name);
    }

    private static boolean reservedPrefix(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.startsWith("aws") || lower.startsWith("ecs") || lower.startsWith("fargate");
    }

    /** Managed scaling with ECS's defaults (status DISABLED when not given, target 100, steps 1 to 10000, warm-up 300 s). */
    static ManagedScaling managedScaling(ManagedScaling requested, ManagedScaling base) {
        ManagedScaling r = requested == null ? ManagedScaling.builder().build() : requested;
        ManagedScaling b = base == null ? ManagedScaling.builder()
                .status(ManagedScalingStatus.DISABLED).targetCapacity(100).minimumScalingStepSize(1).maximumScalingStepSize(10_000)
                .instanceWarmupPeriod(300).build() : base;
        if (r.status() == ManagedScalingStatus.UNKNOWN_TO_SDK_VERSION) {
            throw EcsErrors.invalidParameter("managedScaling.status must be ENABLED or DISABLED.");
        }
        int target = pick(r.targetCapacity(), b.targetCapacity());
        int minStep = pick(r.minimumScalingStepSize(), b.minimumScalingStepSize());
        int maxStep = pick(r.maximumScalingStepSize(), b.maximumScalingStepSize());
        int warmup = pick(r.instanceWarmupPeriod(), b.instanceWarmupPeriod());
        if (target < 1 || target > 100) {
            throw EcsErrors.invalidParameter("managedScaling.targetCapacity must be greater than 0 and less than or equal to 100; got " + target + ".");
        }
        if (minStep < 1 || minStep > 10_000) {
            throw EcsErrors.invalidParameter("managedScaling.minimumScalingStepSize must be between 1 and 10000; got " + minStep + ".");
        }
        if (maxStep < 1 || maxStep > 10_000) {
            throw EcsErrors.invalidParameter("managedScaling.maximumScalingStepSize must be between 1 and 10000; got " + maxStep + ".");
        }
        if (minStep > maxStep) {
            throw EcsErrors.invalidParameter("managedScaling.minimumScalingStepSize (" + minStep + ") must not be greater than"
                    + " maximumScalingStepSize (" + maxStep + ").");
        }
        if (warmup < 0 || warmup > 10_000) {
            throw EcsErrors.invalidParameter("managedScaling.instanceWarmupPeriod must be between 0 and 10000 seconds; got " + warmup + ".");
        }
        return ManagedScaling.builder()
                .status(r.status() != null ? r.status() : b.status())
                .targetCapacity(target).minimumScalingStepSize(minStep).maximumScalingStepSize(maxStep).instanceWarmupPeriod(warmup)
                .build();
    }

    private static int pick(Integer requested, Integer base) {
        return requested != null ? requested : base;
    }

    private static void checkTerminationProtection(AutoScalingGroupProvider provider) {
        if (provider.managedTerminationProtection() == ManagedTerminationProtection.ENABLED
                && provider.managedScaling().status() != ManagedScalingStatus.ENABLED) {
            throw EcsErrors.invalidParameter("The managed termination protection setting for the capacity provider is invalid. To enable"
                    + " managed termination protection for a capacity provider, managed scaling must also be enabled.");
        }
    }

    /** The emulated group's shape from the provider's ecs-emu:* tags, with defaults m5.large, 0, 10. */
    static CapacityProvider.AsgShape shape(List<Tag> tags) {
        String type = InstanceType.DEFAULT;
        int min = 0;
        int max = DEFAULT_MAX_SIZE;
        for (Tag tag : tags == null ? List.<Tag>of() : tags) {
            switch (tag.key()) {
                case INSTANCE_TYPE_TAG:
                    if (InstanceType.of(tag.value()) == null) {
                        throw EcsErrors.invalidParameter("Tag " + INSTANCE_TYPE_TAG + " names an instance type ecs-emu does not know: '"
                                + tag.value() + "'. Use one of " + InstanceType.known() + ".");
                    }
                    type = tag.value();
                    break;
                case MIN_SIZE_TAG:
                    min = size(tag);
                    break;
                case MAX_SIZE_TAG:
                    max = size(tag);
                    break;
                default:
                    break;
            }
        }
        if (min > max) {
            throw EcsErrors.invalidParameter("Tag " + MIN_SIZE_TAG + " (" + min + ") must not be greater than " + MAX_SIZE_TAG + " (" + max + ").");
        }
        return new CapacityProvider.AsgShape(type, min, max);
    }

    private static int size(Tag tag) {
        try {
            int n = Integer.parseInt(tag.value());
            if (n >= 0 && n <= MAX_GROUP_SIZE) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw EcsErrors.invalidParameter("Tag " + tag.key()
                + " must be a whole number from 0 to " + MAX_GROUP_SIZE + " (the emulated Auto Scaling group's size); got '" + tag.value() + "'.");
    }
}

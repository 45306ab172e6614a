package dev.ecsemu.core.capacity;

import java.time.Instant;
import software.amazon.awssdk.services.ecs.model.AutoScalingGroupProvider;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStatus;
import software.amazon.awssdk.services.ecs.model.CapacityProviderUpdateStatus;
import software.amazon.awssdk.services.ecs.model.ManagedScalingStatus;

/**
 * An Auto Scaling group capacity provider with its emulated group: the instance type and the
 * group's min and max size it launches within. Mutable, touched only under its store's lock.
 */
public final class CapacityProvider {
    private final String name;
    private final String arn;
    private final AsgShape group;
    private AutoScalingGroupProvider autoScalingGroupProvider;
    private CapacityProviderStatus status = CapacityProviderStatus.ACTIVE;
    private CapacityProviderUpdateStatus updateStatus;
    private String updateStatusReason;
    /** What the managed scaling controller remembers between passes. */
    final ScalingMemory scaling = new ScalingMemory();

    CapacityProvider(String name, String arn, AutoScalingGroupProvider provider, AsgShape group) {
        this.name = name;
        this.arn = arn;
        this.autoScalingGroupProvider = provider;
        this.group = group;
    }

    /** The emulated Auto Scaling group: what its instances are and how many it may have. */
    public record AsgShape(String instanceType, int minSize, int maxSize) {
    }

    /** Between passes: when the group last scaled out, and since when it has had more instances than it needs. */
    static final class ScalingMemory {
        Instant lastScaleOut;
        Instant surplusSince;
    }

    public String name() {
        return name;
    }

    public String arn() {
        return arn;
    }

    public AsgShape group() {
        return group;
    }

    public AutoScalingGroupProvider autoScalingGroupProvider() {
        return autoScalingGroupProvider;
    }

    public CapacityProviderStatus status() {
        return status;
    }

    public boolean isActive() {
        return status == CapacityProviderStatus.ACTIVE;
    }

    public CapacityProviderUpdateStatus updateStatus() {
        return updateStatus;
    }

    public String updateStatusReason() {
        return updateStatusReason;
    }

    public boolean managedScaling() {
        return autoScalingGroupProvider.managedScaling() != null
                && autoScalingGroupProvider.managedScaling().status() == ManagedScalingStatus.ENABLED;
    }

    void autoScalingGroupProvider(AutoScalingGroupProvider provider) {
        this.autoScalingGroupProvider = provider;
    }

    void status(CapacityProviderStatus status) {
        this.status = status;
    }

    void updateStatus(CapacityProviderUpdateStatus updateStatus, String reason) {
        this.updateStatus = updateStatus;
        this.updateStatusReason = reason;
    }
}

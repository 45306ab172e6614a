package dev.ecsemu.core.cluster;

/**
 * The live counts a cluster reports, derived from the objects in its store when asked, split by
 * launch type as DescribeClusters' statistics are.
 */
public record ClusterCounts(int registeredContainerInstances, PerLaunchType ec2, PerLaunchType fargate, PerLaunchType external) {

    public static final ClusterCounts NONE = new ClusterCounts(0, PerLaunchType.NONE, PerLaunchType.NONE, PerLaunchType.NONE);

    public record PerLaunchType(int runningTasks, int pendingTasks, int activeServices, int drainingServices) {
        public static final PerLaunchType NONE = new PerLaunchType(0, 0, 0, 0);
    }

    public int runningTasks() {
        return ec2.runningTasks() + fargate.runningTasks() + external.runningTasks();
    }

    public int pendingTasks() {
        return ec2.pendingTasks() + fargate.pendingTasks() + external.pendingTasks();
    }

    public int activeServices() {
        return ec2.activeServices() + fargate.activeServices() + external.activeServices();
    }

    public int drainingServices() {
        return ec2.drainingServices() + fargate.drainingServices() + external.drainingServices();
    }
}

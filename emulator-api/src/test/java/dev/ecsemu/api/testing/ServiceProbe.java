package dev.ecsemu.api.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * One service seen from outside, through the public API only: its description, and every task it
 * ever had (ListTasks by service name, for both desired statuses, then DescribeTasks).
 */
public final class ServiceProbe {
    private final EcsClient ecs;
    private final String cluster;
    private final String service;
    /** Every task ARN seen so far: a STOPPED task stays described even when a listing misses it. */
    private final Set<String> seen = new LinkedHashSet<>();

    public ServiceProbe(EcsClient ecs, String cluster, String service) {
        this.ecs = ecs;
        this.cluster = cluster;
        this.service = service;
    }

    public Service service() {
        return ecs.describeServices(r -> r.cluster(cluster).services(service)).services().get(0);
    }

    /** Every task of the service so far, described in one call (one consistent snapshot). */
    public List<Task> tasks() {
        for (DesiredStatus status : List.of(DesiredStatus.RUNNING, DesiredStatus.STOPPED)) {
            ecs.listTasksPaginator(r -> r.cluster(cluster).serviceName(service).desiredStatus(status)).taskArns().forEach(seen::add);
        }
        if (seen.isEmpty()) {
            return List.of();
        }
        List<Task> out = new ArrayList<>();
        List<String> arns = new ArrayList<>(seen);
        for (int i = 0; i < arns.size(); i += 100) {
            List<String> page = arns.subList(i, Math.min(arns.size(), i + 100));
            out.addAll(ecs.describeTasks(r -> r.cluster(cluster).tasks(page)).tasks());
        }
        return out;
    }

    /** Polls DescribeServices every 50 ms until the condition holds. */
    public Service await(Predicate<Service> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Service s = service();
        while (!condition.test(s)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Service did not reach the expected state in " + timeout + ": " + s);
            }
            Thread.sleep(50);
            s = service();
        }
        return s;
    }

    public static boolean isRunning(Task t) {
        return "RUNNING".equals(t.lastStatus()) && "RUNNING".equals(t.desiredStatus());
    }

    public static boolean isStopped(Task t) {
        return "STOPPED".equals(t.lastStatus());
    }
}

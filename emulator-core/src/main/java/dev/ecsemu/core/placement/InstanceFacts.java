package dev.ecsemu.core.placement;

import java.time.Instant;
import java.util.Collection;

/**
 * What placement constraints and the cluster query language can ask about a container instance.
 * Implemented over the live container instance and its tasks; tests implement it directly.
 */
public interface InstanceFacts {

    /** The instance's ARN, as strategies and failures name it. */
    String arn();

    /** A built-in ({@code ecs.instance-type}, ...) or custom attribute's value, or null when absent. */
    String attribute(String name);

    String ec2InstanceId();

    Instant registeredAt();

    int runningTasksCount();

    boolean agentConnected();

    String agentVersion();

    /** The groups of the instance's tasks that are not stopped ({@code family:web}, {@code service:api}). */
    Collection<String> taskGroups();
}

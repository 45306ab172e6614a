package dev.ecsemu.core.containerinstance;

import java.util.List;

/**
 * Places a task on the first ACTIVE instance with enough CPU, memory and free host ports. (The
 * placement engine with constraints and strategies replaces this.)
 */
public final class FirstFitPlacement {
    private FirstFitPlacement() {
    }

    /** Either the chosen instance, or the reason nothing fits and the instance that came closest. */
    public record Result(ContainerInstance chosen, String failureReason, ContainerInstance closest) {
        public boolean placed() {
            return chosen != null;
        }
    }

    public static Result place(List<ContainerInstance> instances, Reservation need) {
        ContainerInstance closest = null;
        String reason = null;
        int closestScore = -1;
        for (ContainerInstance ci : instances) {
            if (!ci.isActive()) {
                continue;
            }
            String lack = lack(ci, need);
            if (lack == null) {
                return new Result(ci, null, null);
            }
            int score = score(lack);
            if (score > closestScore) {
                closestScore = score;
                closest = ci;
                reason = lack;
            }
        }
        return new Result(null, reason, closest);
    }

    /** What the instance lacks for the task, in ECS's failure reasons, or null when it fits. */
    static String lack(ContainerInstance ci, Reservation need) {
        if (ci.remainingCpu() < need.cpu()) {
            return "RESOURCE:CPU";
        }
        if (ci.remainingMemory() < need.memory()) {
            return "RESOURCE:MEMORY";
        }
        for (int port : need.tcpPorts()) {
            if (!ci.portFree(port, false)) {
                return "RESOURCE:PORTS";
            }
        }
        for (int port : need.udpPorts()) {
            if (!ci.portFree(port, true)) {
                return "RESOURCE:PORTS_UDP";
            }
        }
        return null;
    }

    /** How close a failure is: an instance that lacks only ports is closer than one without memory. */
    private static int score(String lack) {
        switch (lack) {
            case "RESOURCE:PORTS_UDP":
                return 3;
            case "RESOURCE:PORTS":
                return 2;
            case "RESOURCE:MEMORY":
                return 1;
            default:
                return 0;
        }
    }
}

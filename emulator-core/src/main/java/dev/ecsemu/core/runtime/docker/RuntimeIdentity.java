package dev.ecsemu.core.runtime.docker;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who owns a container: this emulator process on this host. Every container and task-scoped volume the
 * runtime creates carries these labels, so that a later emulator can tell its own live containers from
 * the orphans of one that died.
 *
 * @param pid        this JVM's process id
 * @param host       this host's name
 * @param startedAt  when this process started, in epoch milliseconds (tells a reused pid apart), or -1
 * @param extraLabels labels the user asked to add to everything the runtime creates (Testcontainers' session
 *                    labels, say, so that its clean-up finds task containers too); never the emulator's own keys
 */
record RuntimeIdentity(long pid, String host, long startedAt, Map<String, String> extraLabels) {
    static final String MANAGED = "ecs-emu.managed";
    static final String PID = "ecs-emu.pid";
    static final String PID_STARTED = "ecs-emu.pid-started";
    static final String HOST = "ecs-emu.host";
    static final String TASK_ARN = "ecs-emu.task-arn";
    static final String CONTAINER_NAME = "ecs-emu.container-name";
    static final String CLUSTER = "ecs-emu.cluster";

    /** The prefix of the emulator's own label keys, which extra labels may not use. */
    static final String RESERVED_PREFIX = "ecs-emu.";

    RuntimeIdentity {
        extraLabels = Map.copyOf(extraLabels);
        for (String key : extraLabels.keySet()) {
            if (key.startsWith(RESERVED_PREFIX)) {
                throw new IllegalArgumentException("label " + key + " is the emulator's own (" + RESERVED_PREFIX + "*)");
            }
        }
    }

    RuntimeIdentity(long pid, String host, long startedAt) {
        this(pid, host, startedAt, Map.of());
    }

    static RuntimeIdentity current() {
        ProcessHandle self = ProcessHandle.current();
        long started = self.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
        return new RuntimeIdentity(self.pid(), hostName(), started);
    }

    RuntimeIdentity withExtraLabels(Map<String, String> labels) {
        return new RuntimeIdentity(pid, host, startedAt, labels);
    }

    /** The labels that mark an object as this process's, and the extra labels. */
    Map<String, String> ownerLabels() {
        Map<String, String> labels = new LinkedHashMap<>(extraLabels);
        labels.putAll(Map.of(MANAGED, "true", PID, Long.toString(pid), HOST, host, PID_STARTED, Long.toString(startedAt)));
        return labels;
    }

    /**
     * Whether an object with these labels belongs to a process of this host that is gone. Objects of other
     * hosts (a shared remote engine) and of live processes are never orphans.
     */
    boolean isOrphan(Map<String, String> labels) {
        if (labels == null || !"true".equals(labels.get(MANAGED)) || !host.equals(labels.get(HOST))) {
            return false;
        }
        long ownerPid;
        try {
            ownerPid = Long.parseLong(labels.getOrDefault(PID, ""));
        } catch (NumberFormatException e) {
            return false;
        }
        if (ownerPid == pid) {
            return false;
        }
        Optional<ProcessHandle> owner = ProcessHandle.of(ownerPid);
        if (owner.isEmpty() || !owner.get().isAlive()) {
            return true;
        }
        // The pid is alive, but it may have been reused by an unrelated process since.
        String startedLabel = labels.get(PID_STARTED);
        Optional<Instant> ownerStart = owner.get().info().startInstant();
        if (startedLabel == null || ownerStart.isEmpty()) {
            return false;
        }
        try {
            long labelled = Long.parseLong(startedLabel);
            return labelled > 0 && Math.abs(ownerStart.get().toEpochMilli() - labelled) > 1000;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        try {
            String name = InetAddress.getLocalHost().getHostName();
            if (name != null && !name.isBlank()) {
                return name;
            }
        } catch (UnknownHostException e) {
            // fall through
        }
        return env != null && !env.isBlank() ? env : "localhost";
    }
}

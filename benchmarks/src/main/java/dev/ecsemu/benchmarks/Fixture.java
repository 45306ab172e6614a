package dev.ecsemu.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The same small ECS world built through the API on ecs-emu and on moto: a cluster, a task definition, container instances, tasks. */
final class Fixture {
    static final String CLUSTER = "bench";
    static final String FAMILY = "bench";
    static final String INSTANCE_TYPE = "m5.large";

    private Fixture() {
    }

    static String taskDefinition(String family) {
        return "{\"family\":\"" + family + "\",\"containerDefinitions\":[{\"name\":\"main\",\"image\":\"busybox\",\"memory\":32,"
                + "\"essential\":true,\"command\":[\"sleep\",\"3600\"]}]}";
    }

    static void clusterAndTaskDefinition(EcsHttp http) {
        http.call("CreateCluster", "{\"clusterName\":\"" + CLUSTER + "\"}");
        http.call("RegisterTaskDefinition", taskDefinition(FAMILY));
    }

    /** Registers {@code instances} container instances, then RunTask with count 10 until {@code tasks} run; returns their ARNs. */
    static List<String> runTasks(Peer peer, EcsHttp http, int instances, int tasks) {
        for (String id : peer.ec2InstanceIds(http, instances, INSTANCE_TYPE)) {
            String document = "{\"instanceId\":\"" + id + "\",\"instanceType\":\"" + INSTANCE_TYPE
                    + "\",\"availabilityZone\":\"us-east-1a\",\"region\":\"us-east-1\"}";
            http.call("RegisterContainerInstance", Map.of("cluster", CLUSTER, "instanceIdentityDocument", document,
                    "instanceIdentityDocumentSignature", "benchmark"));
        }
        List<String> arns = new ArrayList<>();
        while (arns.size() < tasks) {
            int count = Math.min(10, tasks - arns.size());
            JsonNode answer = http.call("RunTask", Map.of("cluster", CLUSTER, "taskDefinition", FAMILY, "count", count));
            if (answer.path("failures").size() > 0 || answer.path("tasks").size() != count) {
                throw new IllegalStateException(peer.name() + " RunTask placed " + answer.path("tasks").size() + " of " + count + ": "
                        + answer.path("failures"));
            }
            answer.path("tasks").forEach(t -> arns.add(t.path("taskArn").asText()));
        }
        return arns;
    }
}

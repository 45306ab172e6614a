package dev.ecsemu.api.ecs;

import static dev.ecsemu.api.testing.EcsAssertions.assertEcsError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.ecsemu.api.testing.ModelOnlyIT;
import dev.ecsemu.core.state.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.AvailabilityZoneRebalancing;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ClusterContainsServicesException;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.DeploymentControllerType;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.ListServicesResponse;
import software.amazon.awssdk.services.ecs.model.NamespaceNotFoundException;
import software.amazon.awssdk.services.ecs.model.PlacementConstraintType;
import software.amazon.awssdk.services.ecs.model.PlacementStrategyType;
import software.amazon.awssdk.services.ecs.model.PropagateTags;
import software.amazon.awssdk.services.ecs.model.SchedulingStrategy;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.ServiceNotActiveException;
import software.amazon.awssdk.services.ecs.model.ServiceNotFoundException;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * CreateService, UpdateService, DeleteService, DescribeServices, ListServices and
 * ListServicesByNamespace through the real SDK client against engine {@code none}. A service with
 * desired count 0 is steady at once; tasks need container instances, which only some tests register.
 */
class ServiceOperationsIT extends ModelOnlyIT {
    private static final String PREFIX = "arn:aws:ecs:us-east-1:000000000000:";
    private static final String CLUSTER = "prod";
    private static final Scope SCOPE = new Scope("000000000000", "us-east-1");
    private static final String DAEMON_DESIRED_COUNT = "The daemon scheduling strategy does not support a desired count for services."
            + " Remove the desired count value and try again";

    private String web1;
    private String web2;

    @BeforeEach
    void clusterAndTaskDefinitions() {
        ecs.createCluster(b -> b.clusterName(CLUSTER));
        web1 = register("web", "nginx:1.26");
        web2 = register("web", "nginx:1.27");
    }

    // ---- helpers ----

    private static String register(String family, String image) {
        return ecs.registerTaskDefinition(b -> b.family(family).containerDefinitions(
                ContainerDefinition.builder().name("app").image(image).memory(128).build())).taskDefinition().taskDefinitionArn();
    }

    private static Service create(String name, int desired) {
        return create(name, b -> b.desiredCount(desired));
    }

    private static Service create(String name, Consumer<CreateServiceRequest.Builder> request) {
        return ecs.createService(b -> {
            b.cluster(CLUSTER).serviceName(name).taskDefinition("web");
            request.accept(b);
        }).service();
    }

    private static Service describe(String name) {
        DescribeServicesResponse r = ecs.describeServices(b -> b.cluster(CLUSTER).services(name));
        assertThat(r.failures()).isEmpty();
        return r.services().get(0);
    }

    /** Runs a scheduler pass now, so what the tests read next is what the scheduler made of the last call. */
    private static void pass() {
        emu.emulator().services().reconcile(SCOPE);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static List<String> messages(Service service) {
        return service.events().stream().map(ServiceEvent::message).toList();
    }

    /**
     * web with one task on the cluster's only instance, under scale-in protection: deleted with force,
     * the service stays DRAINING until the test lifts the protection.
     */
    private static String serviceWithProtectedTask() {
        emu.emulator().registerInstances(CLUSTER, 1, "c5.xlarge");
        create("web", 1);
        pass();
        List<String> tasks = ecs.listTasks(b -> b.cluster(CLUSTER).serviceName("web")).taskArns();
        assertThat(tasks).hasSize(1);
        protect(tasks.get(0), true);
        return tasks.get(0);
    }

    private static void protect(String task, boolean on) {
        assertThat(ecs.updateTaskProtection(b -> b.cluster(CLUSTER).tasks(task).protectionEnabled(on)).failures()).isEmpty();
    }

    // ---- CreateService ----

    @Test
    void createServiceFillsInEcsDefaults() {
        Service s = create("web", 0);

        assertThat(s.serviceArn()).isEqualTo(PREFIX + "service/prod/web");
        assertThat(s.serviceName()).isEqualTo("web");
        assertThat(s.clusterArn()).isEqualTo(PREFIX + "cluster/prod");
        assertThat(s.status()).isEqualTo("ACTIVE");
        assertThat(s.taskDefinition()).isEqualTo(web2);
        assertThat(s.desiredCount()).isZero();
        assertThat(s.runningCount()).isZero();
        assertThat(s.pendingCount()).isZero();
        assertThat(s.launchType()).isEqualTo(LaunchType.EC2);
        assertThat(s.capacityProviderStrategy()).isEmpty();
        assertThat(s.schedulingStrategy()).isEqualTo(SchedulingStrategy.REPLICA);
        assertThat(s.deploymentController().type()).isEqualTo(DeploymentControllerType.ECS);
        assertThat(s.deploymentConfiguration().maximumPercent()).isEqualTo(200);
        assertThat(s.deploymentConfiguration().minimumHealthyPercent()).isEqualTo(100);
        assertThat(s.deploymentConfiguration().deploymentCircuitBreaker().enable()).isFalse();
        assertThat(s.deploymentConfiguration().deploymentCircuitBreaker().rollback()).isFalse();
        assertThat(s.propagateTags()).isEqualTo(PropagateTags.NONE);
        assertThat(s.enableECSManagedTags()).isFalse();
        assertThat(s.enableExecuteCommand()).isFalse();
        assertThat(s.healthCheckGracePeriodSeconds()).isZero();
        assertThat(s.availabilityZoneRebalancing()).isEqualTo(AvailabilityZoneRebalancing.ENABLED);
        assertThat(s.createdAt()).isNotNull();

        assertThat(s.deployments()).hasSize(1);
        var d = s.deployments().get(0);
        assertThat(d.id()).matches("ecs-svc/[1-9][0-9]{18}");
        assertThat(d.status()).isEqualTo("PRIMARY");
        assertThat(d.taskDefinition()).isEqualTo(web2);
        assertThat(d.launchType()).isEqualTo(LaunchType.EC2);
        assertThat(d.rolloutState()).isEqualTo(DeploymentRolloutState.IN_PROGRESS);
        assertThat(d.rolloutStateReason()).isEqualTo("ECS deployment " + d.id() + " in progress.");
        assertThat(d.createdAt()).isEqualTo(s.createdAt());
        assertThat(s.currentServiceRevisions()).extracting(r -> r.arn())
                .containsExactly(PREFIX + "service-revision/prod/web/" + d.id().substring("ecs-svc/".length()));
    }

    @Test
    void aServiceWithDesiredZeroCompletesAtOnceWithTheSteadyStateEvent() {
        String id = create("web", 0).deployments().get(0).id();
        pass();

        Service s = describe("web");
        assertThat(s.deployments()).hasSize(1);
        assertThat(s.deployments().get(0).rolloutState()).isEqualTo(DeploymentRolloutState.COMPLETED);
        assertThat(s.deployments().get(0).rolloutStateReason()).isEqualTo("ECS deployment " + id + " completed.");
        // Newest first.
        assertThat(messages(s)).containsExactly("(service web) has reached a steady state.",
                "(service web) (deployment " + id + ") deployment completed.");
    }

    @Test
    void createServiceRefusesANameInUse() {
        create("web", 0);
        assertEcsError(() -> create("web", 0), InvalidParameterException.class, "Creation of service was not idempotent.");
        // The same name in another cluster is another service.
        ecs.createCluster(b -> b.clusterName("staging"));
        assertThat(ecs.createService(b -> b.cluster("staging").serviceName("web").taskDefinition("web").desiredCount(0)).service()
                .serviceArn()).isEqualTo(PREFIX + "service/staging/web");
    }

    @Test
    void createServiceRetriedWithItsClientTokenAnswersTheSameService() {
        Service first = create("web", b -> b.desiredCount(0).clientToken("token-1"));
        Service again = create("web", b -> b.desiredCount(0).clientToken("token-1"));
        assertThat(again.serviceArn()).isEqualTo(first.serviceArn());
        assertThat(again.deployments()).extracting(d -> d.id()).containsExactly(first.deployments().get(0).id());
        assertEcsError(() -> create("web", b -> b.desiredCount(0).clientToken("token-2")), InvalidParameterException.class,
                "Creation of service was not idempotent.");
    }

    @Test
    void aDrainingServiceKeepsItsNameUntilItIsInactive() {
        String task = serviceWithProtectedTask();
        Service deleted = ecs.deleteService(b -> b.cluster(CLUSTER).service("web").force(true)).service();
        assertThat(deleted.status()).isEqualTo("DRAINING");
        assertThat(deleted.desiredCount()).isZero();
        pass();
        assertThat(describe("web").status()).isEqualTo("DRAINING");

        assertEcsError(() -> create("web", 0), InvalidParameterException.class, "Unable to Start a service that is still Draining.");
        assertEcsError(() -> ecs.updateService(b -> b.cluster(CLUSTER).service("web").desiredCount(1)), ServiceNotActiveException.class,
                "Service was not ACTIVE.");
        assertEcsError(() -> ecs.deleteCluster(b -> b.cluster(CLUSTER)), ClusterContainsServicesException.class,
                "The Cluster cannot be deleted while Services are active.");
        assertThat(ecs.listServices(b -> b.cluster(CLUSTER)).serviceArns()).isEmpty();

        protect(task, false);
        pass();
        assertThat(describe("web").status()).isEqualTo("INACTIVE");
        assertThat(create("web", 0).status()).isEqualTo("ACTIVE");
    }

    @Test
    void anInactiveServiceNameCanBeUsedAgain() {
        Service old = create("web", 0);
        ecs.tagResource(b -> b.resourceArn(old.serviceArn()).tags(Tag.builder().key("generation").value("1").build()));
        ecs.deleteService(b -> b.cluster(CLUSTER).service("web"));
        pass();
        assertThat(describe("web").status()).isEqualTo("INACTIVE");

        Service again = create("web", b -> b.desiredCount(0).taskDefinition(web1));

        assertThat(again.serviceArn()).isEqualTo(old.serviceArn());
        assertThat(again.status()).isEqualTo("ACTIVE");
        assertThat(again.taskDefinition()).isEqualTo(web1);
        assertThat(again.deployments()).hasSize(1);
        assertThat(again.deployments().get(0).id()).isNotEqualTo(old.deployments().get(0).id());
        assertThat(again.events()).isEmpty();
        // The old service's tags went with it.
        assertThat(ecs.listTagsForResource(b -> b.resourceArn(again.serviceArn())).tags()).isEmpty();
        assertThat(ecs.listServices(b -> b.cluster(CLUSTER)).serviceArns()).containsExactly(again.serviceArn());
    }

    @Test
    void createServiceRefusesAnUnknownOrInactiveTaskDefinition() {
        assertEcsError(() -> create("web", b -> b.desiredCount(0).taskDefinition("nosuch")), ClientException.class,
                "TaskDefinition not found.");
        assertEcsError(() -> create("web", b -> b.desiredCount(0).taskDefinition("web:9")), ClientException.class,
                "TaskDefinition not found.");
        ecs.deregisterTaskDefinition(b -> b.taskDefinition(web1));
        assertEcsError(() -> create("web", b -> b.desiredCount(0).taskDefinition(web1)), ClientException.class,
                "TaskDefinition is inactive");
        assertThat(ecs.listServices(b -> b.cluster(CLUSTER)).serviceArns()).isEmpty();
    }

    @Test
    void createServiceRefusesAnUnknownCluster() {
        assertEcsError(() -> ecs.createService(b -> b.cluster("nosuch").serviceName("web").taskDefinition("web").desiredCount(0)),
                ClusterNotFoundException.class, "Cluster not found.");
        ecs.deleteCluster(b -> b.cluster(CLUSTER));
        assertEcsError(() -> create("web", 0), ClusterNotFoundException.class, "Cluster not found.");
    }

    @Test
    void aBadPlacementExpressionIsRefusedAtOnce() {
        assertEcsError(() -> create("web", b -> b.desiredCount(0).placementConstraints(c -> c.type(PlacementConstraintType.MEMBER_OF)
                .expression("attribute:ecs.instance-type =="))), InvalidParameterException.class,
                "Invalid expression 'attribute:ecs.instance-type ==': missing argument for operator '==' at position 30");
        create("web", 0);
        assertEcsError(() -> ecs.updateService(b -> b.cluster(CLUSTER).service("web").placementConstraints(c -> c
                .type(PlacementConstraintType.MEMBER_OF).expression("(("))), InvalidParameterException.class,
                "Invalid expression '((': expected a condition (subject operator [argument]) at position 2 but found the end of the"
                        + " expression");
        assertThat(describe("web").placementConstraints()).isEmpty();
    }

    @Test
    void daemonServicesRefuseDesiredCountPlacementStrategyAndMaximumPercentAbove100() {
        Consumer<CreateServiceRequest.Builder> daemon = b -> b.schedulingStrategy(SchedulingStrategy.DAEMON);
        assertEcsError(() -> create("agent", daemon.andThen(b -> b.desiredCount(0))), InvalidParameterException.class,
                DAEMON_DESIRED_COUNT);
        assertEcsError(() -> create("agent", daemon.andThen(b -> b.placementStrategy(p -> p.type(PlacementStrategyType.SPREAD)
                .field("instanceId")))), InvalidParameterException.class,
                "The daemon scheduling strategy does not support placement strategies. Remove the placement strategy and try again");
        assertEcsError(() -> create("agent", daemon.andThen(b -> b.deploymentConfiguration(c -> c.maximumPercent(200)))),
                InvalidParameterException.class, "The daemon scheduling strategy does not support values above 100 for maximumPercent on"
                        + " a deployment configuration. Change the maximumPercent value to 100, and try again");

        Service agent = create("agent", daemon);
        assertThat(agent.schedulingStrategy()).isEqualTo(SchedulingStrategy.DAEMON);
        assertThat(agent.deploymentConfiguration().maximumPercent()).isEqualTo(100);
        assertThat(agent.deploymentConfiguration().minimumHealthyPercent()).isZero();
        assertEcsError(() -> ecs.updateService(b -> b.cluster(CLUSTER).service("agent").desiredCount(0)), InvalidParameterException.class,
                DAEMON_DESIRED_COUNT);
        assertEcsError(() -> ecs.updateService(b -> b.cluster(CLUSTER).service("agent").placementStrategy(p -> p
                .type(PlacementStrategyType.BINPACK).field("memory"))), InvalidParameterException.class,
                "The daemon scheduling strategy does not support placement strategies. Remove the placement strategy and try again");
    }

    @Test
    void aReplicaServiceNeedsADesiredCount() {
        assertEcsError(() -> create("web", b -> { }), InvalidParameterException.class,
                "DesiredCount is missing: a REPLICA service needs desiredCount (0 or more).");
    }

    @Test
    void aServiceRunsItsDesiredCountAndStopsWhatItScalesAway() {
        emu.emulator().registerInstances(CLUSTER, 1, "c5.xlarge");
        String id = create("web", 2).deployments().get(0).id();
        pass();
        await("two running tasks", () -> describe("web").runningCount() == 2);

        Service s = describe("web");
        assertThat(s.pendingCount()).isZero();
        assertThat(s.deployments().get(0).runningCount()).isEqualTo(2);
        List<String> arns = ecs.listTasks(b -> b.cluster(CLUSTER).serviceName("web")).taskArns();
        List<Task> tasks = ecs.describeTasks(b -> b.cluster(CLUSTER).tasks(arns)).tasks();
        assertThat(tasks).hasSize(2).allSatisfy(t -> {
            assertThat(t.group()).isEqualTo("service:web");
            assertThat(t.startedBy()).isEqualTo(id);
            assertThat(t.taskDefinitionArn()).isEqualTo(web2);
        });
        List<String> ids = tasks.stream().map(t -> t.taskArn().substring(t.taskArn().lastIndexOf('/') + 1)).toList();
        assertThat(messages(s)).anySatisfy(m -> assertThat(m).startsWith("(service web) has started 2 tasks: (task ")
                .contains(ids.get(0)).contains(ids.get(1)));

        ecs.updateService(b -> b.cluster(CLUSTER).service("web").desiredCount(0));
        pass();
        await("no running task", () -> describe("web").runningCount() == 0);
        assertThat(ecs.describeTasks(b -> b.cluster(CLUSTER).tasks(arns)).tasks()).allSatisfy(t -> {
            assertThat(t.desiredStatus()).isEqualTo("STOPPED");
            assertThat(t.stopCode()).isEqualTo(TaskStopCode.SERVICE_SCHEDULER_INITIATED);
            assertThat(t.stoppedReason()).isEqualTo("Scaling activity initiated by (deployment " + id + ")");
        });
    }

    // ---- UpdateService ----

    @Test
    void updateServiceRefusesUnknownAndDeletedServices() {
        assertEcsError(() -> ecs.updateService(b -> b.cluster(CLUSTER).service("nosuch").desiredCount(1)), ServiceNotFoundException.class,
                "Service not found.");
        create("web", 0);
        ecs.deleteService(b -> b.cluster(CLUSTER).service("web"));
        assertEcsError(() -> ecs.updateService(b -> b.cluster(CLUSTER).service("web").desiredCount(1)), ServiceNotActiveException.class,
                "Service was not ACTIVE.");
        pass();
        assertEcsError(() -> ecs.updateService(b -> b.cluster(CLUSTER).service(PREFIX + "service/prod/web").desiredCount(1)),
                ServiceNotActiveException.class, "Service was not ACTIVE.");
    }

    @Test
    void aDesiredCountAloneMakesNoNewDeployment() {
        String id = create("web", 0).deployments().get(0).id();

        Service s = ecs.updateService(b -> b.cluster(CLUSTER).service("web").desiredCount(3)).service();

        assertThat(s.desiredCount()).isEqualTo(3);
        assertThat(s.deployments()).extracting(d -> d.id(), d -> d.status(), d -> d.desiredCount()).containsExactly(tuple(id, "PRIMARY", 3));
        // Placement, deployment configuration and the rest of the settings do not make one either.
        s = ecs.updateService(b -> b.cluster(CLUSTER).service("web").desiredCount(0).healthCheckGracePeriodSeconds(30)
                .deploymentConfiguration(c -> c.minimumHealthyPercent(50)).propagateTags(PropagateTags.SERVICE)
                .placementStrategy(p -> p.type(PlacementStrategyType.BINPACK).field("memory"))).service();
        assertThat(s.deployments()).extracting(d -> d.id()).containsExactly(id);
        assertThat(s.healthCheckGracePeriodSeconds()).isEqualTo(30);
        assertThat(s.deploymentConfiguration().minimumHealthyPercent()).isEqualTo(50);
        assertThat(s.deploymentConfiguration().maximumPercent()).isEqualTo(200);
        assertThat(s.propagateTags()).isEqualTo(PropagateTags.SERVICE);
        assertThat(s.placementStrategy()).extracting(p -> p.type()).containsExactly(PlacementStrategyType.BINPACK);
    }

    @Test
    void aNewTaskDefinitionMakesANewPrimaryDeployment() {
        Service created = create("web", b -> b.desiredCount(0).taskDefinition(web1));
        String old = created.deployments().get(0).id();

        Service s = ecs.updateService(b -> b.cluster(CLUSTER).service("web").taskDefinition(web2)).service();

        assertThat(s.taskDefinition()).isEqualTo(web2);
        assertThat(s.deployments()).hasSize(2);
        assertThat(s.deployments().get(0).id()).matches("ecs-svc/[1-9][0-9]{18}").isNotEqualTo(old);
        assertThat(s.deployments()).extracting(d -> d.status(), d -> d.taskDefinition())
                .containsExactly(tuple("PRIMARY", web2), tuple("ACTIVE", web1));
        assertThat(s.deployments().get(0).rolloutState()).isEqualTo(DeploymentRolloutState.IN_PROGRESS);

        // With no task left to it, the old deployment leaves and the new one completes.
        pass();
        Service after = describe("web");
        assertThat(after.deployments()).extracting(d -> d.id(), d -> d.rolloutState())
                .containsExactly(tuple(s.deployments().get(0).id(), DeploymentRolloutState.COMPLETED));
    }

    @Test
    void forceNewDeploymentMakesANewPrimaryWithTheSameTaskDefinition() {
        String old = create("web", 0).deployments().get(0).id();

        Service s = ecs.updateService(b -> b.cluster(CLUSTER).service("web").forceNewDeployment(true)).service();

        assertThat(s.deployments()).extracting(d -> d.status(), d -> d.taskDefinition())
                .containsExactly(tuple("PRIMARY", web2), tuple("ACTIVE", web2));
        assertThat(s.deployments().get(1).id()).isEqualTo(old);
        assertThat(s.deployments().get(0).id()).isNotEqualTo(old);
    }

    @Test
    void aNewServiceConnectConfigurationMakesANewDeployment() {
        String old = create("web", b -> b.desiredCount(0).serviceConnectConfiguration(c -> c.enabled(true).namespace("shop")))
                .deployments().get(0).id();

        Service same = ecs.updateService(b -> b.cluster(CLUSTER).service("web")
                .serviceConnectConfiguration(c -> c.enabled(true).namespace("shop"))).service();
        assertThat(same.deployments()).extracting(d -> d.id()).containsExactly(old);

        Service changed = ecs.updateService(b -> b.cluster(CLUSTER).service("web")
                .serviceConnectConfiguration(c -> c.enabled(true).namespace("shop-v2"))).service();
        assertThat(changed.deployments()).extracting(d -> d.status()).containsExactly("PRIMARY", "ACTIVE");
        assertThat(changed.deployments().get(1).id()).isEqualTo(old);
        assertThat(ecs.listServicesByNamespace(b -> b.namespace("shop-v2")).serviceArns()).containsExactly(changed.serviceArn());
    }

    // ---- DeleteService ----

    @Test
    void deleteServiceNeedsForceWhileScaledAboveZero() {
        create("web", 2);
        assertEcsError(() -> ecs.deleteService(b -> b.cluster(CLUSTER).service("web")), InvalidParameterException.class,
                "The service cannot be stopped while it is scaled above 0.");
        assertThat(describe("web").status()).isEqualTo("ACTIVE");

        Service deleted = ecs.deleteService(b -> b.cluster(CLUSTER).service("web").force(true)).service();

        assertThat(deleted.status()).isEqualTo("DRAINING");
        assertThat(deleted.desiredCount()).isZero();
        pass();
        assertThat(describe("web").status()).isEqualTo("INACTIVE");
        assertEcsError(() -> ecs.deleteService(b -> b.cluster(CLUSTER).service("web")), ServiceNotActiveException.class,
                "Service was not ACTIVE.");
        assertEcsError(() -> ecs.deleteService(b -> b.cluster(CLUSTER).service("nosuch")), ServiceNotFoundException.class,
                "Service not found.");
    }

    // ---- DescribeServices ----

    @Test
    void describeServicesReportsUnknownServicesAsMissingWithTheirFullArn() {
        create("web", 0);

        DescribeServicesResponse r = ecs.describeServices(b -> b.cluster(CLUSTER).services("nosuch", "web", PREFIX + "service/prod/gone"));

        assertThat(r.services()).extracting(Service::serviceName).containsExactly("web");
        assertThat(r.failures()).extracting(Failure::arn, Failure::reason).containsExactly(
                tuple(PREFIX + "service/prod/nosuch", "MISSING"), tuple(PREFIX + "service/prod/gone", "MISSING"));
        // By ARN, also the old short form, and in the default cluster when none is named.
        assertThat(ecs.describeServices(b -> b.cluster(CLUSTER).services(PREFIX + "service/prod/web")).services()).hasSize(1);
        assertThat(ecs.describeServices(b -> b.cluster(CLUSTER).services(PREFIX + "service/web")).services()).hasSize(1);
        assertEcsError(() -> ecs.describeServices(b -> b.services("web")), ClusterNotFoundException.class, "Cluster not found.");
    }

    @Test
    void theArnOfASameNamedServiceElsewhereNamesAnotherService() {
        create("web", 0);
        String staging = PREFIX + "service/staging/web";
        String otherRegion = "arn:aws:ecs:eu-west-1:000000000000:service/prod/web";
        String otherAccount = "arn:aws:ecs:us-east-1:111122223333:service/prod/web";

        DescribeServicesResponse r = ecs.describeServices(b -> b.cluster(CLUSTER).services(staging, otherRegion, otherAccount));

        assertThat(r.services()).isEmpty();
        assertThat(r.failures()).extracting(Failure::arn).containsExactly(staging, otherRegion, otherAccount);
        for (String arn : List.of(staging, otherRegion, otherAccount)) {
            assertEcsError(() -> ecs.deleteService(b -> b.cluster(CLUSTER).service(arn)), ServiceNotFoundException.class, "Service not found.");
            assertEcsError(() -> ecs.updateService(b -> b.cluster(CLUSTER).service(arn).desiredCount(1)), ServiceNotFoundException.class,
                    "Service not found.");
        }
        assertThat(describe("web").status()).isEqualTo("ACTIVE");
        assertThat(describe("web").desiredCount()).isZero();
    }

    @Test
    void describeServicesTakesAtMostTenServices() {
        List<String> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add("s" + i);
        }
        assertEcsError(() -> ecs.describeServices(b -> b.cluster(CLUSTER).services(eleven)), InvalidParameterException.class,
                "DescribeServices takes at most 10 services; 11 were given.");
        assertThat(ecs.describeServices(b -> b.cluster(CLUSTER).services(eleven.subList(0, 10))).failures()).hasSize(10);
    }

    @Test
    void describeServicesShowsTagsOnlyWhenAsked() {
        create("web", b -> b.desiredCount(0).tags(Tag.builder().key("team").value("blue").build()));

        assertThat(describe("web").tags()).isEmpty();
        Service s = ecs.describeServices(b -> b.cluster(CLUSTER).services("web").include(ServiceField.TAGS)).services().get(0);
        assertThat(s.tags()).extracting(Tag::key, Tag::value).containsExactly(tuple("team", "blue"));
    }

    // ---- ListServices ----

    @Test
    void listServicesShowsActiveServicesFilteredByLaunchTypeAndSchedulingStrategy() {
        String web = create("web", 0).serviceArn();
        String agent = create("agent", b -> b.schedulingStrategy(SchedulingStrategy.DAEMON)).serviceArn();
        create("old", 0);
        ecs.deleteService(b -> b.cluster(CLUSTER).service("old"));

        assertThat(ecs.listServices(b -> b.cluster(CLUSTER)).serviceArns()).containsExactlyInAnyOrder(web, agent);
        assertThat(ecs.listServices(b -> b.cluster(CLUSTER).schedulingStrategy(SchedulingStrategy.DAEMON)).serviceArns())
                .containsExactly(agent);
        assertThat(ecs.listServices(b -> b.cluster(CLUSTER).schedulingStrategy(SchedulingStrategy.REPLICA)).serviceArns())
                .containsExactly(web);
        assertThat(ecs.listServices(b -> b.cluster(CLUSTER).launchType(LaunchType.EC2)).serviceArns()).hasSize(2);
        assertThat(ecs.listServices(b -> b.cluster(CLUSTER).launchType(LaunchType.FARGATE)).serviceArns()).isEmpty();
        assertEcsError(() -> ecs.listServices(b -> b.cluster("nosuch")), ClusterNotFoundException.class, "Cluster not found.");
    }

    @Test
    void listServicesPagesTenByDefault() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            created.add(create(String.format("svc%02d", i), 0).serviceArn());
        }
        ListServicesResponse first = ecs.listServices(b -> b.cluster(CLUSTER));
        assertThat(first.serviceArns()).hasSize(10);
        ListServicesResponse second = ecs.listServices(b -> b.cluster(CLUSTER).nextToken(first.nextToken()));
        assertThat(second.serviceArns()).hasSize(2);
        assertThat(second.nextToken()).isNull();
        List<String> all = new ArrayList<>(first.serviceArns());
        all.addAll(second.serviceArns());
        assertThat(all).containsExactlyInAnyOrderElementsOf(created);

        List<String> byFive = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            ListServicesResponse r = ecs.listServices(b -> b.cluster(CLUSTER).maxResults(5).nextToken(t));
            byFive.addAll(r.serviceArns());
            token = r.nextToken();
        } while (token != null);
        assertThat(byFive).containsExactlyElementsOf(all);
        assertEcsError(() -> ecs.listServices(b -> b.cluster(CLUSTER).maxResults(101)), InvalidParameterException.class,
                "maxResults must be between 1 and 100 (was 101).");
    }

    // ---- clusters, tags, namespaces ----

    @Test
    void clustersCountTheirActiveServicesAndCannotBeDeletedWithThem() {
        create("web", 0);
        create("api", 0);
        assertThat(ecs.describeClusters(b -> b.clusters(CLUSTER)).clusters().get(0).activeServicesCount()).isEqualTo(2);

        assertEcsError(() -> ecs.deleteCluster(b -> b.cluster(CLUSTER)), ClusterContainsServicesException.class,
                "The Cluster cannot be deleted while Services are active.");

        ecs.deleteService(b -> b.cluster(CLUSTER).service("web"));
        ecs.deleteService(b -> b.cluster(CLUSTER).service("api"));
        pass();
        assertThat(ecs.describeClusters(b -> b.clusters(CLUSTER)).clusters().get(0).activeServicesCount()).isZero();
        assertThat(ecs.deleteCluster(b -> b.cluster(CLUSTER)).cluster().status()).isEqualTo("INACTIVE");
    }

    @Test
    void servicesAreTaggedByTheirArn() {
        String arn = create("web", b -> b.desiredCount(0).tags(Tag.builder().key("team").value("blue").build())).serviceArn();

        ecs.tagResource(b -> b.resourceArn(arn).tags(Tag.builder().key("env").value("prod").build()));
        assertThat(ecs.listTagsForResource(b -> b.resourceArn(arn)).tags()).extracting(Tag::key, Tag::value)
                .containsExactlyInAnyOrder(tuple("team", "blue"), tuple("env", "prod"));
        ecs.untagResource(b -> b.resourceArn(arn).tagKeys("team"));
        assertThat(ecs.listTagsForResource(b -> b.resourceArn(arn)).tags()).extracting(Tag::key).containsExactly("env");
    }

    @Test
    void listServicesByNamespaceFindsTheServicesThatUseIt() {
        String web = create("web", b -> b.desiredCount(0).serviceConnectConfiguration(c -> c.enabled(true).namespace("shop"))).serviceArn();
        create("api", b -> b.desiredCount(0).serviceConnectConfiguration(c -> c.enabled(true).namespace("other")));
        create("plain", 0);

        assertThat(ecs.listServicesByNamespace(b -> b.namespace("shop")).serviceArns()).containsExactly(web);
        assertEcsError(() -> ecs.listServicesByNamespace(b -> b.namespace("nosuch")), NamespaceNotFoundException.class,
                "The specified namespace wasn't found: no service uses nosuch (ecs-emu knows a namespace from the services that name it in"
                        + " serviceConnectConfiguration).");
    }
}

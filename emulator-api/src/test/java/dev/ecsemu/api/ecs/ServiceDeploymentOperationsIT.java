package dev.ecsemu.api.ecs;

import static dev.ecsemu.api.testing.EcsAssertions.assertEcsError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.ecsemu.api.testing.ModelOnlyIT;
import dev.ecsemu.core.state.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ConflictException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerImage;
import software.amazon.awssdk.services.ecs.model.DeploymentCircuitBreaker;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.DescribeServiceDeploymentsResponse;
import software.amazon.awssdk.services.ecs.model.DescribeServiceRevisionsResponse;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.ListServiceDeploymentsRequest;
import software.amazon.awssdk.services.ecs.model.ListServiceDeploymentsResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentBrief;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentNotFoundException;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentRollbackMonitorsStatus;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentStatus;
import software.amazon.awssdk.services.ecs.model.ServiceNotFoundException;
import software.amazon.awssdk.services.ecs.model.ServiceRevision;
import software.amazon.awssdk.services.ecs.model.ServiceRevisionSummary;
import software.amazon.awssdk.services.ecs.model.StopServiceDeploymentStopType;
import software.amazon.awssdk.services.ecs.model.UnsupportedFeatureException;

/**
 * DescribeServiceDeployments, ListServiceDeployments, DescribeServiceRevisions and
 * StopServiceDeployment through the real SDK client against engine {@code none}. A service with
 * desired count 0 completes its deployments at once; one that wants a task in a cluster without
 * container instances stays IN_PROGRESS, which is how these tests hold a deployment ongoing.
 */
class ServiceDeploymentOperationsIT extends ModelOnlyIT {
    private static final String PREFIX = "arn:aws:ecs:us-east-1:000000000000:";
    private static final String CLUSTER = "prod";
    private static final Scope SCOPE = new Scope("000000000000", "us-east-1");

    private String v1;
    private String v2;
    private String v3;

    @BeforeEach
    void clusterAndTaskDefinitions() {
        ecs.createCluster(b -> b.clusterName(CLUSTER));
        v1 = register("nginx:1.26");
        v2 = register("nginx:1.27");
        v3 = register("nginx:1.28");
    }

    // ---- helpers ----

    private static String register(String image) {
        return ecs.registerTaskDefinition(b -> b.family("web").containerDefinitions(
                        ContainerDefinition.builder().name("app").image(image).memory(128).build(),
                        ContainerDefinition.builder().name("sidecar").image("busybox:1.36").memory(32).essential(false).build()))
                .taskDefinition().taskDefinitionArn();
    }

    private static Service create(String name, String taskDefinition, int desired) {
        return ecs.createService(b -> b.cluster(CLUSTER).serviceName(name).taskDefinition(taskDefinition).desiredCount(desired))
                .service();
    }

    private static Service update(String taskDefinition, int desired) {
        return ecs.updateService(b -> b.cluster(CLUSTER).service("web").taskDefinition(taskDefinition).desiredCount(desired)).service();
    }

    /** Runs a scheduler pass now, so what the tests read next is what the scheduler made of the last call. */
    private static void pass() {
        emu.emulator().services().reconcile(SCOPE);
    }

    /**
     * Passes until {@code done} holds (at most 10 s): a stopped task reports STOPPED from the runtime's
     * own thread, so the pass that sees it may not be the next one.
     */
    private static void passUntil(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        do {
            pass();
            if (done.getAsBoolean()) {
                return;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
    }

    private static List<ServiceDeploymentBrief> list(java.util.function.Consumer<ListServiceDeploymentsRequest.Builder> request) {
        return ecs.listServiceDeployments(b -> {
            b.cluster(CLUSTER).service("web");
            request.accept(b);
        }).serviceDeployments();
    }

    private static List<String> arns(List<ServiceDeploymentBrief> briefs) {
        return briefs.stream().map(ServiceDeploymentBrief::serviceDeploymentArn).toList();
    }

    private static ServiceDeployment describe(String arn) {
        DescribeServiceDeploymentsResponse r = ecs.describeServiceDeployments(b -> b.serviceDeploymentArns(arn));
        assertThat(r.failures()).isEmpty();
        assertThat(r.serviceDeployments()).hasSize(1);
        return r.serviceDeployments().get(0);
    }

    private static ServiceRevision revision(String arn) {
        DescribeServiceRevisionsResponse r = ecs.describeServiceRevisions(b -> b.serviceRevisionArns(arn));
        assertThat(r.failures()).isEmpty();
        assertThat(r.serviceRevisions()).hasSize(1);
        return r.serviceRevisions().get(0);
    }

    /** The service deployment ARN of the service's PRIMARY deployment: the newest one listed. */
    private static String newest() {
        return list(b -> b.maxResults(1)).get(0).serviceDeploymentArn();
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

    /** web: v1 completed (desired 0), then v2 wanting one task where no instance runs it, so it stays IN_PROGRESS. */
    private String completedThenOngoing() {
        create("web", v1, 0);
        pass();
        update(v2, 1);
        pass();
        return newest();
    }

    /**
     * web on one instance with minimumHealthyPercent 0: v1 completed (desired 0), then v2 with one task
     * under scale-in protection, so the v2 deployment keeps a task until the test lifts it.
     */
    private String ongoingWithProtectedTask() {
        emu.emulator().registerInstances(CLUSTER, 1, "c5.xlarge");
        ecs.createService(b -> b.cluster(CLUSTER).serviceName("web").taskDefinition(v1).desiredCount(0)
                .deploymentConfiguration(c -> c.minimumHealthyPercent(0)));
        pass();
        String id = update(v2, 1).deployments().get(0).id();
        pass();
        List<String> tasks = ecs.listTasks(b -> b.cluster(CLUSTER).startedBy(id)).taskArns();
        assertThat(tasks).hasSize(1);
        protect(tasks.get(0), true);
        return newest();
    }

    private static void protect(String task, boolean on) {
        assertThat(ecs.updateTaskProtection(b -> b.cluster(CLUSTER).tasks(task).protectionEnabled(on)).failures()).isEmpty();
    }

    private static String protectedTask() {
        List<String> tasks = new ArrayList<>();
        for (String arn : ecs.listTasks(b -> b.cluster(CLUSTER).serviceName("web")).taskArns()) {
            if (ecs.getTaskProtection(b -> b.cluster(CLUSTER).tasks(arn)).protectedTasks().get(0).protectionEnabled()) {
                tasks.add(arn);
            }
        }
        assertThat(tasks).hasSize(1);
        return tasks.get(0);
    }

    // ---- DescribeServiceDeployments ----

    @Test
    void createServiceMakesOneServiceDeploymentThatSucceedsWithDesiredZero() {
        Service service = create("web", v1, 0);
        String deploymentId = service.deployments().get(0).id();
        pass();

        List<ServiceDeploymentBrief> briefs = list(b -> { });
        assertThat(briefs).hasSize(1);
        ServiceDeploymentBrief brief = briefs.get(0);
        assertThat(brief.serviceDeploymentArn()).matches("arn:aws:ecs:us-east-1:000000000000:service-deployment/prod/web/[A-Za-z0-9_-]{21}");
        assertThat(brief.serviceArn()).isEqualTo(PREFIX + "service/prod/web");
        assertThat(brief.clusterArn()).isEqualTo(PREFIX + "cluster/prod");
        assertThat(brief.status()).isEqualTo(ServiceDeploymentStatus.SUCCESSFUL);
        // The revision number is the number of the deployment id, as in ECS.
        assertThat(brief.targetServiceRevisionArn())
                .isEqualTo(PREFIX + "service-revision/prod/web/" + deploymentId.substring("ecs-svc/".length()));

        ServiceDeployment d = describe(brief.serviceDeploymentArn());
        assertThat(d.serviceDeploymentArn()).isEqualTo(brief.serviceDeploymentArn());
        assertThat(d.serviceArn()).isEqualTo(PREFIX + "service/prod/web");
        assertThat(d.clusterArn()).isEqualTo(PREFIX + "cluster/prod");
        assertThat(d.status()).isEqualTo(ServiceDeploymentStatus.SUCCESSFUL);
        assertThat(d.sourceServiceRevisions()).isEmpty();
        assertThat(d.targetServiceRevision().arn()).isEqualTo(brief.targetServiceRevisionArn());
        assertThat(d.targetServiceRevision().requestedTaskCount()).isZero();
        assertThat(d.targetServiceRevision().runningTaskCount()).isZero();
        assertThat(d.targetServiceRevision().pendingTaskCount()).isZero();
        assertThat(d.createdAt()).isEqualTo(service.deployments().get(0).createdAt());
        assertThat(d.startedAt()).isAfterOrEqualTo(d.createdAt());
        assertThat(d.finishedAt()).isAfterOrEqualTo(d.startedAt());
        assertThat(d.stoppedAt()).isNull();
        assertThat(d.rollback()).isNull();
        assertThat(d.deploymentConfiguration().maximumPercent()).isEqualTo(200);
        assertThat(d.deploymentConfiguration().minimumHealthyPercent()).isEqualTo(100);
        assertThat(d.deploymentCircuitBreaker().status()).isEqualTo(ServiceDeploymentRollbackMonitorsStatus.DISABLED);
    }

    @Test
    void aNewDeploymentNamesTheRevisionItReplacesAsItsSource() {
        create("web", v1, 0);
        pass();
        String first = newest();
        update(v2, 0);
        String second = newest();
        assertThat(second).isNotEqualTo(first);

        ServiceDeployment d = describe(second);
        ServiceDeployment before = describe(first);
        assertThat(d.sourceServiceRevisions()).extracting(ServiceRevisionSummary::arn).containsExactly(before.targetServiceRevision().arn());
        assertThat(d.targetServiceRevision().arn()).isNotEqualTo(before.targetServiceRevision().arn());
        pass();
        assertThat(describe(second).status()).isEqualTo(ServiceDeploymentStatus.SUCCESSFUL);
        assertThat(describe(first).status()).isEqualTo(ServiceDeploymentStatus.SUCCESSFUL);
    }

    @Test
    void describeServiceDeploymentsReportsUnknownArnsAsMissing() {
        create("web", v1, 0);
        String known = newest();
        String unknown = PREFIX + "service-deployment/prod/web/AAAAAAAAAAAAAAAAAAAAA";
        String otherRegion = known.replace("us-east-1", "eu-west-1");
        List<String> asked = List.of(unknown, known, "not-an-arn", PREFIX + "service-deployment/prod/nosuch/AAAAAAAAAAAAAAAAAAAAA",
                otherRegion);

        DescribeServiceDeploymentsResponse r = ecs.describeServiceDeployments(b -> b.serviceDeploymentArns(asked));

        assertThat(r.serviceDeployments()).extracting(ServiceDeployment::serviceDeploymentArn).containsExactly(known);
        assertThat(r.failures()).extracting(Failure::arn, Failure::reason).containsExactly(
                tuple(unknown, "MISSING"), tuple("not-an-arn", "MISSING"),
                tuple(PREFIX + "service-deployment/prod/nosuch/AAAAAAAAAAAAAAAAAAAAA", "MISSING"), tuple(otherRegion, "MISSING"));
    }

    @Test
    void describeTakesOneToTwentyArns() {
        List<String> twentyOne = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            twentyOne.add(PREFIX + "service-deployment/prod/web/" + i);
        }
        assertEcsError(() -> ecs.describeServiceDeployments(b -> b.serviceDeploymentArns(twentyOne)), InvalidParameterException.class,
                "serviceDeploymentArns must name 1 to 20 ARNs; got 21.");
        assertEcsError(() -> ecs.describeServiceDeployments(b -> b.serviceDeploymentArns(List.of())), InvalidParameterException.class,
                "serviceDeploymentArns must name 1 to 20 ARNs; got 0.");
        assertEcsError(() -> ecs.describeServiceRevisions(b -> b.serviceRevisionArns(twentyOne)), InvalidParameterException.class,
                "serviceRevisionArns must name 1 to 20 ARNs; got 21.");
        assertThat(ecs.describeServiceDeployments(b -> b.serviceDeploymentArns(twentyOne.subList(0, 20))).failures()).hasSize(20);
    }

    @Test
    void targetCountsComeFromTheDeploymentsTasks() {
        emu.emulator().registerInstances(CLUSTER, 1, "c5.xlarge");
        create("web", v1, 2);
        String arn = newest();

        await("two running tasks", () -> describe(arn).targetServiceRevision().runningTaskCount() == 2);
        ServiceDeployment d = describe(arn);
        assertThat(d.targetServiceRevision().requestedTaskCount()).isEqualTo(2);
        assertThat(d.targetServiceRevision().pendingTaskCount()).isZero();
    }

    @Test
    void theCircuitBreakerIsMonitoringWhileTheDeploymentIsUnderWay() {
        ecs.createService(b -> b.cluster(CLUSTER).serviceName("web").taskDefinition(v1).desiredCount(8)
                .deploymentConfiguration(c -> c.deploymentCircuitBreaker(DeploymentCircuitBreaker.builder().enable(true).rollback(true)
                        .build())));
        pass();

        ServiceDeployment d = describe(newest());
        assertThat(d.status()).isEqualTo(ServiceDeploymentStatus.IN_PROGRESS);
        assertThat(d.deploymentConfiguration().deploymentCircuitBreaker().rollback()).isTrue();
        assertThat(d.deploymentCircuitBreaker().status()).isEqualTo(ServiceDeploymentRollbackMonitorsStatus.MONITORING);
        assertThat(d.deploymentCircuitBreaker().failureCount()).isZero();
        // Half the desired count, at least 3.
        assertThat(d.deploymentCircuitBreaker().threshold()).isEqualTo(4);
    }

    // ---- DescribeServiceRevisions ----

    @Test
    void aServiceRevisionShowsWhatTheDeploymentRollsOut() {
        Service service = create("web", v1, 0);
        String arn = describe(newest()).targetServiceRevision().arn();

        ServiceRevision r = revision(arn);

        assertThat(r.serviceRevisionArn()).isEqualTo(arn);
        assertThat(r.serviceArn()).isEqualTo(service.serviceArn());
        assertThat(r.clusterArn()).isEqualTo(PREFIX + "cluster/prod");
        assertThat(r.taskDefinition()).isEqualTo(v1);
        assertThat(r.launchType()).isEqualTo(LaunchType.EC2);
        assertThat(r.capacityProviderStrategy()).isEmpty();
        assertThat(r.containerImages()).extracting(ContainerImage::containerName, ContainerImage::image)
                .containsExactly(tuple("app", "nginx:1.26"), tuple("sidecar", "busybox:1.36"));
        assertThat(r.createdAt()).isEqualTo(service.deployments().get(0).createdAt());
    }

    @Test
    void describeServiceRevisionsReportsUnknownArnsAsMissing() {
        create("web", v1, 0);
        String known = describe(newest()).targetServiceRevision().arn();
        String unknown = PREFIX + "service-revision/prod/web/1234567890123456789";

        DescribeServiceRevisionsResponse r = ecs.describeServiceRevisions(b -> b.serviceRevisionArns(known, unknown));

        assertThat(r.serviceRevisions()).extracting(ServiceRevision::serviceRevisionArn).containsExactly(known);
        assertThat(r.failures()).extracting(Failure::arn, Failure::reason).containsExactly(tuple(unknown, "MISSING"));
    }

    @Test
    void theDeploymentsOfADeletedServiceGoWhenItsNameIsUsedAgain() {
        create("web", v1, 0);
        String old = newest();
        String oldRevision = describe(old).targetServiceRevision().arn();
        ecs.deleteService(b -> b.cluster(CLUSTER).service("web"));
        pass();
        // INACTIVE, but still known.
        assertThat(describe(old).serviceDeploymentArn()).isEqualTo(old);

        create("web", v1, 0);

        assertThat(ecs.describeServiceDeployments(b -> b.serviceDeploymentArns(old)).failures())
                .extracting(Failure::reason).containsExactly("MISSING");
        assertThat(ecs.describeServiceRevisions(b -> b.serviceRevisionArns(oldRevision)).failures())
                .extracting(Failure::reason).containsExactly("MISSING");
        assertThat(list(b -> { })).hasSize(1).extracting(ServiceDeploymentBrief::serviceDeploymentArn).doesNotContain(old);
    }

    // ---- ListServiceDeployments ----

    @Test
    void listIsNewestFirstAndPagesTwentyByDefault() {
        create("web", v1, 0);
        for (int i = 0; i < 21; i++) {
            ecs.updateService(b -> b.cluster(CLUSTER).service("web").forceNewDeployment(true));
        }
        List<String> all = new ArrayList<>();
        ListServiceDeploymentsResponse page = ecs.listServiceDeployments(b -> b.cluster(CLUSTER).service("web"));
        assertThat(page.serviceDeployments()).hasSize(20);
        assertThat(page.nextToken()).isNotNull();
        all.addAll(arns(page.serviceDeployments()));
        String token = page.nextToken();
        page = ecs.listServiceDeployments(b -> b.cluster(CLUSTER).service("web").nextToken(token));
        assertThat(page.serviceDeployments()).hasSize(2);
        assertThat(page.nextToken()).isNull();
        all.addAll(arns(page.serviceDeployments()));

        assertThat(all).doesNotHaveDuplicates().hasSize(22);
        List<Instant> created = new ArrayList<>();
        for (String arn : all) {
            created.add(describe(arn).createdAt());
        }
        assertThat(created).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        // The first one listed is the service's PRIMARY deployment.
        Service service = ecs.describeServices(b -> b.cluster(CLUSTER).services("web")).services().get(0);
        assertThat(describe(all.get(0)).targetServiceRevision().arn())
                .isEqualTo(service.currentServiceRevisions().get(0).arn());
    }

    @Test
    void listPagesBySmallerPages() {
        create("web", v1, 0);
        update(v2, 0);
        update(v3, 0);
        List<String> everything = arns(list(b -> { }));
        List<String> paged = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            ListServiceDeploymentsResponse r = ecs.listServiceDeployments(b -> b.cluster(CLUSTER).service("web").maxResults(2).nextToken(t));
            assertThat(r.serviceDeployments().size()).isLessThanOrEqualTo(2);
            paged.addAll(arns(r.serviceDeployments()));
            token = r.nextToken();
        } while (token != null);
        assertThat(paged).containsExactlyElementsOf(everything).hasSize(3);
    }

    @Test
    void listFiltersByStatusAndCreationTime() {
        String ongoing = completedThenOngoing();
        List<String> all = arns(list(b -> { }));
        assertThat(all).hasSize(2).startsWith(ongoing);
        String done = all.get(1);

        assertThat(arns(list(b -> b.status(ServiceDeploymentStatus.SUCCESSFUL)))).containsExactly(done);
        assertThat(arns(list(b -> b.status(ServiceDeploymentStatus.IN_PROGRESS, ServiceDeploymentStatus.SUCCESSFUL))))
                .containsExactly(ongoing, done);
        assertThat(list(b -> b.status(ServiceDeploymentStatus.ROLLBACK_FAILED))).isEmpty();

        Instant ongoingCreated = describe(ongoing).createdAt();
        Instant doneCreated = describe(done).createdAt();
        assertThat(arns(list(b -> b.createdAt(c -> c.after(doneCreated))))).containsExactly(ongoing);
        assertThat(arns(list(b -> b.createdAt(c -> c.before(ongoingCreated))))).containsExactly(done);
        assertThat(list(b -> b.createdAt(c -> c.after(ongoingCreated)))).isEmpty();
        assertThat(arns(list(b -> b.createdAt(c -> c.after(doneCreated.minusSeconds(1)).before(ongoingCreated.plusSeconds(1))))))
                .containsExactly(ongoing, done);
    }

    @Test
    void listRefusesBadInput() {
        create("web", v1, 0);
        assertEcsError(() -> list(b -> b.maxResults(0)), InvalidParameterException.class, "maxResults must be between 1 and 100 (was 0).");
        assertEcsError(() -> list(b -> b.maxResults(101)), InvalidParameterException.class,
                "maxResults must be between 1 and 100 (was 101).");
        assertThat(list(b -> b.maxResults(100))).hasSize(1);
        assertEcsError(() -> list(b -> b.statusWithStrings("DONE")), InvalidParameterException.class,
                "1 validation error detected: Value 'DONE' at 'status' failed to satisfy constraint: Member must satisfy enum value set:"
                        + " [PENDING, SUCCESSFUL, STOPPED, STOP_REQUESTED, IN_PROGRESS, ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS,"
                        + " ROLLBACK_SUCCESSFUL, ROLLBACK_FAILED]");
        assertEcsError(() -> ecs.listServiceDeployments(b -> b.cluster(CLUSTER).service("nosuch")), ServiceNotFoundException.class,
                "Service not found.");
        assertEcsError(() -> ecs.listServiceDeployments(b -> b.cluster("nosuch").service("web")), ClusterNotFoundException.class,
                "Cluster not found.");
        assertEcsError(() -> ecs.listServiceDeployments(b -> b.cluster(CLUSTER)), InvalidParameterException.class,
                "1 validation error detected: Value null at 'service' failed to satisfy constraint: Member must not be null");
        assertEcsError(() -> ecs.listServiceDeployments(b -> b.cluster(CLUSTER).service("")), InvalidParameterException.class,
                "service must be given: the name or ARN of the service whose deployments to list.");
        // By ARN too.
        assertThat(ecs.listServiceDeployments(b -> b.cluster(CLUSTER).service(PREFIX + "service/prod/web")).serviceDeployments())
                .hasSize(1);
    }

    // ---- StopServiceDeployment ----

    @Test
    void stoppingAnOngoingDeploymentRollsBackToTheLastCompletedRevision() throws InterruptedException {
        String first = ongoingWithProtectedTask();
        String completed = arns(list(b -> { })).get(1);
        String completedRevision = describe(completed).targetServiceRevision().arn();

        String answered = ecs.stopServiceDeployment(b -> b.serviceDeploymentArn(first)).serviceDeploymentArn();

        assertThat(answered).isEqualTo(first);
        pass();
        ServiceDeployment stopped = describe(first);
        assertThat(stopped.status()).isEqualTo(ServiceDeploymentStatus.ROLLBACK_IN_PROGRESS);
        assertThat(stopped.statusReason()).isEqualTo(ServiceDeploymentOperations.ROLLBACK_REASON);
        assertThat(stopped.stoppedAt()).isNotNull();
        // The stopped deployment carries the rollback: why, when, and to which revision.
        assertThat(stopped.rollback().reason()).isEqualTo(ServiceDeploymentOperations.ROLLBACK_REASON);
        assertThat(stopped.rollback().serviceRevisionArn()).isEqualTo(completedRevision);
        assertThat(stopped.rollback().startedAt()).isEqualTo(stopped.stoppedAt());

        List<String> all = arns(list(b -> { }));
        assertThat(all).hasSize(3).containsSequence(first, completed);
        ServiceDeployment rollback = describe(all.get(0));
        assertThat(rollback.status()).isEqualTo(ServiceDeploymentStatus.IN_PROGRESS);
        assertThat(rollback.rollback()).isNull();
        assertThat(rollback.sourceServiceRevisions()).extracting(ServiceRevisionSummary::arn)
                .containsExactly(stopped.targetServiceRevision().arn());
        assertThat(revision(rollback.targetServiceRevision().arn()).taskDefinition()).isEqualTo(v1);

        Service service = ecs.describeServices(b -> b.cluster(CLUSTER).services("web")).services().get(0);
        assertThat(service.taskDefinition()).isEqualTo(v1);
        assertThat(service.deployments()).extracting(d -> d.status()).containsExactly("PRIMARY", "ACTIVE");
        assertThat(service.deployments().get(0).rolloutStateReason()).isEqualTo("ECS deployment " + deploymentId(stopped
                .targetServiceRevision().arn()) + " was stopped: rolling back to deploymentId " + deploymentId(completedRevision) + ".");
        assertThat(service.deployments().get(1).rolloutState()).isEqualTo(DeploymentRolloutState.FAILED);

        // Once its task is gone (one pass stops it, the next sees it STOPPED), the stopped deployment leaves the service.
        // Its rollback succeeds when the rollback deployment completes, 40 s after its task runs at this time scale:
        // ServiceSchedulerSimulationTest follows that part on a fake clock.
        protect(protectedTask(), false);
        passUntil(() -> ecs.describeServices(b -> b.cluster(CLUSTER).services("web")).services().get(0).deployments().size() == 1);
        assertThat(describe(first).status()).isEqualTo(ServiceDeploymentStatus.ROLLBACK_IN_PROGRESS);
        assertThat(ecs.describeServices(b -> b.cluster(CLUSTER).services("web")).services().get(0).deployments()).hasSize(1);
    }

    /** The deployment id whose number a service revision ARN ends with. */
    private static String deploymentId(String revisionArn) {
        return "ecs-svc/" + revisionArn.substring(revisionArn.lastIndexOf('/') + 1);
    }

    @Test
    void stoppingADeploymentThatIsAlreadyStoppingOrRollingBackChangesNothing() {
        String first = ongoingWithProtectedTask();
        ecs.stopServiceDeployment(b -> b.serviceDeploymentArn(first));
        String rollback = newest();

        // Asked again, the stopped one goes on stopping and the rollback goes on rolling back.
        assertThat(ecs.stopServiceDeployment(b -> b.serviceDeploymentArn(first)).serviceDeploymentArn()).isEqualTo(first);
        assertThat(ecs.stopServiceDeployment(b -> b.serviceDeploymentArn(rollback)).serviceDeploymentArn()).isEqualTo(rollback);
        pass();
        assertThat(describe(rollback).status()).isEqualTo(ServiceDeploymentStatus.IN_PROGRESS);
        assertThat(ecs.stopServiceDeployment(b -> b.serviceDeploymentArn(rollback).stopType(StopServiceDeploymentStopType.ROLLBACK))
                .serviceDeploymentArn()).isEqualTo(rollback);

        assertThat(list(b -> { })).hasSize(3);
        assertThat(describe(first).status()).isEqualTo(ServiceDeploymentStatus.ROLLBACK_IN_PROGRESS);
        assertThat(describe(rollback).status()).isEqualTo(ServiceDeploymentStatus.IN_PROGRESS);
    }

    @Test
    void aSupersededDeploymentIsStopRequestedAndCanBeAskedToStopAgain() throws InterruptedException {
        String ongoing = ongoingWithProtectedTask();
        update(v3, 1);
        pass();
        ServiceDeployment superseded = describe(ongoing);
        assertThat(superseded.status()).isEqualTo(ServiceDeploymentStatus.STOP_REQUESTED);
        assertThat(superseded.statusReason()).isEqualTo("A newer service deployment replaced this one.");

        assertThat(ecs.stopServiceDeployment(b -> b.serviceDeploymentArn(ongoing)).serviceDeploymentArn()).isEqualTo(ongoing);
        assertThat(list(b -> { })).hasSize(3);
        assertThat(describe(ongoing).status()).isEqualTo(ServiceDeploymentStatus.STOP_REQUESTED);

        protect(protectedTask(), false);
        passUntil(() -> describe(ongoing).status() == ServiceDeploymentStatus.STOPPED);
        assertThat(describe(ongoing).status()).isEqualTo(ServiceDeploymentStatus.STOPPED);
    }

    @Test
    void aFinishedDeploymentCannotBeStopped() {
        create("web", v1, 0);
        pass();
        String done = newest();

        assertEcsError(() -> ecs.stopServiceDeployment(b -> b.serviceDeploymentArn(done)), ConflictException.class,
                "The service deployment " + done + " has finished (SUCCESSFUL); only a PENDING or IN_PROGRESS service deployment can be"
                        + " stopped. To go back to an earlier revision, update the service with that revision's task definition.");
        assertThat(list(b -> { })).hasSize(1);
    }

    @Test
    void aDeploymentWithNothingCompletedBeforeItHasNothingToRollBackTo() {
        create("web", v1, 1);
        String only = newest();

        assertEcsError(() -> ecs.stopServiceDeployment(b -> b.serviceDeploymentArn(only)), ConflictException.class,
                "The service deployment " + only + " has no earlier deployment that completed, so there is no service revision to roll"
                        + " back to. Update the service with the task definition to run instead.");
        assertThat(describe(only).status()).isIn(ServiceDeploymentStatus.PENDING, ServiceDeploymentStatus.IN_PROGRESS);
    }

    @Test
    void theDeploymentOfADeletedServiceIsNotRolledBack() {
        String ongoing = ongoingWithProtectedTask();
        ecs.deleteService(b -> b.cluster(CLUSTER).service("web").force(true));

        assertEcsError(() -> ecs.stopServiceDeployment(b -> b.serviceDeploymentArn(ongoing)), ConflictException.class,
                "The service " + PREFIX + "service/prod/web is DRAINING; the deployments of a deleted service cannot be rolled back.");
        assertThat(list(b -> { })).hasSize(2);
    }

    @Test
    void stopRefusesUnknownDeploymentsAndAbort() {
        String ongoing = completedThenOngoing();
        for (String unknown : List.of(PREFIX + "service-deployment/prod/web/AAAAAAAAAAAAAAAAAAAAA",
                PREFIX + "service-deployment/prod/nosuch/AAAAAAAAAAAAAAAAAAAAA", "ecs-svc/1234567890123456789")) {
            assertEcsError(() -> ecs.stopServiceDeployment(b -> b.serviceDeploymentArn(unknown)), ServiceDeploymentNotFoundException.class,
                    "The service deployment does not exist.");
        }
        assertEcsError(() -> ecs.stopServiceDeployment(b -> b.serviceDeploymentArn(ongoing).stopType(StopServiceDeploymentStopType.ABORT)),
                UnsupportedFeatureException.class,
                "ecs-emu stops service deployments with stopType ROLLBACK only; ABORT is not supported. Leave stopType out or give ROLLBACK.");
        assertEcsError(() -> ecs.stopServiceDeployment(b -> b.serviceDeploymentArn(ongoing).stopType("HALT")),
                InvalidParameterException.class, "1 validation error detected: Value 'HALT' at 'stopType' failed to satisfy constraint:"
                        + " Member must satisfy enum value set: [ABORT, ROLLBACK]");
        assertEcsError(() -> ecs.stopServiceDeployment(b -> { }), InvalidParameterException.class,
                "1 validation error detected: Value null at 'serviceDeploymentArn' failed to satisfy constraint: Member must not be null");
        assertEcsError(() -> ecs.stopServiceDeployment(b -> b.serviceDeploymentArn("")), InvalidParameterException.class,
                "serviceDeploymentArn must be given.");
        assertThat(describe(ongoing).status()).isEqualTo(ServiceDeploymentStatus.IN_PROGRESS);
    }

    @Test
    void deploymentsOfAnotherAccountAreNotSeen() {
        String ongoing = completedThenOngoing();
        try (EcsClient other = emu.ecs("111122223333", Region.US_EAST_1)) {
            assertThat(other.describeServiceDeployments(b -> b.serviceDeploymentArns(ongoing)).failures())
                    .extracting(Failure::reason).containsExactly("MISSING");
            assertEcsError(() -> other.stopServiceDeployment(b -> b.serviceDeploymentArn(ongoing)),
                    ServiceDeploymentNotFoundException.class, "The service deployment does not exist.");
        }
    }
}

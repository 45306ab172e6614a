package dev.ecsemu.core.taskdefinition;

import static dev.ecsemu.core.testing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.core.state.Scope;
import dev.ecsemu.core.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerCondition;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerDependency;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.HealthCheck;
import software.amazon.awssdk.services.ecs.model.LogConfiguration;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionFamilyStatus;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.ecs.model.TransportProtocol;
import software.amazon.awssdk.services.ecs.model.Volume;

class TaskDefinitionsTest {
    private static final Scope SCOPE = new Scope("123456789012", "eu-west-1");
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final String ARN_PREFIX = "arn:aws:ecs:eu-west-1:123456789012:task-definition/";

    private TaskDefinitions tds;

    @BeforeEach
    void setUp() {
        tds = new TaskDefinitions(SCOPE, Clock.fixed(T0, ZoneOffset.UTC));
    }

    static ContainerDefinition.Builder container(String name) {
        return ContainerDefinition.builder().name(name).image("busybox:1.36").memory(128);
    }

    static TaskDefinition.Builder draft(String family) {
        return TaskDefinition.builder().family(family).containerDefinitions(container("app").build());
    }

    static TaskDefinition.Builder fargate(String family, String cpu, String memory) {
        return TaskDefinition.builder()
                .family(family)
                .requiresCompatibilities(Compatibility.FARGATE)
                .networkMode(NetworkMode.AWSVPC)
                .cpu(cpu)
                .memory(memory)
                .containerDefinitions(ContainerDefinition.builder().name("app").image("busybox:1.36").build());
    }

    private TaskDefinition register(String family) {
        return tds.register(draft(family).build());
    }

    private static List<String> arns(List<TaskDefinition> list) {
        return list.stream().map(TaskDefinition::taskDefinitionArn).toList();
    }

    @Nested
    class Revisions {
        @Test
        void startAtOneAndCountPerFamily() {
            assertThat(register("web").revision()).isEqualTo(1);
            assertThat(register("web").revision()).isEqualTo(2);
            assertThat(register("api").revision()).isEqualTo(1);
            assertThat(register("web").revision()).isEqualTo(3);
            assertThat(register("api").revision()).isEqualTo(2);
        }

        @Test
        void areNeverReusedAfterDeregisterAndDelete() {
            register("web");
            register("web");
            tds.deregister("web:1");
            tds.deregister("web:2");
            assertThat(tds.delete(List.of("web:1", "web:2")).deleted()).hasSize(2);

            TaskDefinition next = register("web");
            assertThat(next.revision()).isEqualTo(3);
            assertThat(next.taskDefinitionArn()).isEqualTo(ARN_PREFIX + "web:3");
            assertThat(tds.find("web:1")).get().extracting(TaskDefinition::status).isEqualTo(TaskDefinitionStatus.DELETE_IN_PROGRESS);
        }

        @Test
        void aRefusedRegistrationUsesNoRevisionAndLeavesNoTrace() {
            assertRefused(() -> tds.register(draft("web").containerDefinitions(List.of()).build()),
                    "ClientException", "Container list cannot be empty.");
            assertThat(tds.families(null, TaskDefinitionFamilyStatus.ALL)).isEmpty();
            assertThat(tds.list(null, TaskDefinitionStatus.ACTIVE)).isEmpty();

            assertThat(register("web").revision()).isEqualTo(1);
            assertRefused(() -> tds.register(fargate("web", "256", "4096").build()), "ClientException",
                    "No Fargate configuration exists for given values: 256 CPU, 4096 memory. See the Amazon ECS documentation for the valid values.");
            assertThat(register("web").revision()).isEqualTo(2);
        }
    }

    @Test
    void storedRevisionCarriesArnStatusRegistrationTimeAndPrincipal() {
        TaskDefinition td = register("web");

        assertThat(td.taskDefinitionArn()).isEqualTo("arn:aws:ecs:eu-west-1:123456789012:task-definition/web:1");
        assertThat(td.family()).isEqualTo("web");
        assertThat(td.status()).isEqualTo(TaskDefinitionStatus.ACTIVE);
        assertThat(td.registeredAt()).isEqualTo(T0);
        assertThat(td.registeredBy()).isEqualTo("arn:aws:iam::123456789012:root");
        assertThat(td.deregisteredAt()).isNull();
    }

    @Test
    void registrationAndDeregistrationTimesComeFromTheClock() {
        MutableClock clock = new MutableClock(T0);
        TaskDefinitions defs = new TaskDefinitions(SCOPE, clock);
        TaskDefinition first = defs.register(draft("web").build());
        clock.advance(Duration.ofMinutes(5));
        TaskDefinition second = defs.register(draft("web").build());
        clock.advance(Duration.ofMinutes(5));
        TaskDefinition inactive = defs.deregister("web:1");

        assertThat(first.registeredAt()).isEqualTo(T0);
        assertThat(second.registeredAt()).isEqualTo(T0.plusSeconds(300));
        assertThat(inactive.registeredAt()).isEqualTo(T0);
        assertThat(inactive.deregisteredAt()).isEqualTo(T0.plusSeconds(600));
    }

    @Nested
    class Find {
        @BeforeEach
        void registerSome() {
            register("web");
            register("web");
            register("api");
        }

        @Test
        void byFamilyAnswersTheLatestActiveRevision() {
            assertThat(tds.find("web")).get().extracting(TaskDefinition::revision).isEqualTo(2);
            assertThat(tds.find("api")).get().extracting(TaskDefinition::revision).isEqualTo(1);
        }

        @Test
        void byFamilyAndRevision() {
            assertThat(tds.find("web:1")).get().extracting(TaskDefinition::taskDefinitionArn).isEqualTo(ARN_PREFIX + "web:1");
            assertThat(tds.find("web:2")).get().extracting(TaskDefinition::taskDefinitionArn).isEqualTo(ARN_PREFIX + "web:2");
        }

        @Test
        void byArn() {
            assertThat(tds.find(ARN_PREFIX + "web:1")).get().extracting(TaskDefinition::revision).isEqualTo(1);
            assertThat(tds.find(ARN_PREFIX + "api:1")).get().extracting(TaskDefinition::family).isEqualTo("api");
        }

        @Test
        void arnsOfOtherRegionsAccountsOrTypesAreNotFound() {
            assertThat(tds.find("arn:aws:ecs:us-east-1:123456789012:task-definition/web:1")).isEmpty();
            assertThat(tds.find("arn:aws:ecs:eu-west-1:210987654321:task-definition/web:1")).isEmpty();
            assertThat(tds.find("arn:aws:ecs:eu-west-1:123456789012:cluster/web:1")).isEmpty();
            assertThat(tds.find(ARN_PREFIX + "web")).as("an ARN names a revision").isEmpty();
            assertThat(tds.find("arn:aws:ecs")).isEmpty();
        }

        @Test
        void unknownOrMalformedReferencesAreNotFound() {
            assertThat(tds.find("nope")).isEmpty();
            assertThat(tds.find("web:3")).isEmpty();
            assertThat(tds.find("web:0")).isEmpty();
            assertThat(tds.find("web:x")).isEmpty();
            assertThat(tds.find("web:")).isEmpty();
            assertThat(tds.find("")).isEmpty();
            assertThat(tds.find(null)).isEmpty();
        }

        @Test
        void latestActiveSkipsInactiveRevisions() {
            register("web");
            tds.deregister("web:3");
            assertThat(tds.find("web")).get().extracting(TaskDefinition::revision).isEqualTo(2);
            tds.deregister("web:2");
            assertThat(tds.find("web")).get().extracting(TaskDefinition::revision).isEqualTo(1);
            tds.deregister("web:1");
            assertThat(tds.find("web")).isEmpty();
            assertRefused(() -> tds.describe("web"), "ClientException", "Unable to describe task definition.");

            assertThat(tds.find("web:3")).get().extracting(TaskDefinition::status).isEqualTo(TaskDefinitionStatus.INACTIVE);
            assertThat(tds.describe("web:3").status()).isEqualTo(TaskDefinitionStatus.INACTIVE);
        }

        @Test
        void describeRefusesWhatIsNotThere() {
            assertThat(tds.describe("web").revision()).isEqualTo(2);
            assertRefused(() -> tds.describe("web:9"), "ClientException", "Unable to describe task definition.");
            assertRefused(() -> tds.describe("arn:aws:ecs:us-east-1:123456789012:task-definition/web:1"),
                    "ClientException", "Unable to describe task definition.");
        }
    }

    @Nested
    class Deregister {
        @Test
        void marksTheRevisionInactive() {
            register("web");
            register("web");
            TaskDefinition inactive = tds.deregister("web:1");

            assertThat(inactive.status()).isEqualTo(TaskDefinitionStatus.INACTIVE);
            assertThat(inactive.deregisteredAt()).isEqualTo(T0);
            assertThat(inactive.taskDefinitionArn()).isEqualTo(ARN_PREFIX + "web:1");
            assertThat(tds.find("web:1")).contains(inactive);
            assertThat(tds.find("web:2")).get().extracting(TaskDefinition::status).isEqualTo(TaskDefinitionStatus.ACTIVE);
        }

        @Test
        void byArn() {
            register("web");
            assertThat(tds.deregister(ARN_PREFIX + "web:1").status()).isEqualTo(TaskDefinitionStatus.INACTIVE);
        }

        @Test
        void twiceAnswersTheInactiveRevisionUnchanged() {
            register("web");
            TaskDefinition first = tds.deregister("web:1");
            assertThat(tds.deregister("web:1")).isEqualTo(first);
        }

        @Test
        void needsARevision() {
            register("web");
            assertRefused(() -> tds.deregister("web"), "InvalidParameterException",
                    "Give the task definition to deregister as family:revision or as its full ARN (got 'web').");
            assertRefused(() -> tds.deregister("arn:aws:ecs:us-east-1:123456789012:task-definition/web:1"), "InvalidParameterException",
                    "Give the task definition to deregister as family:revision or as its full ARN"
                            + " (got 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1').");
            assertThat(tds.find("web:1")).get().extracting(TaskDefinition::status).isEqualTo(TaskDefinitionStatus.ACTIVE);
        }

        @Test
        void unknownRevisionRefused() {
            register("web");
            assertRefused(() -> tds.deregister("web:2"), "ClientException", "The specified task definition does not exist.");
            assertRefused(() -> tds.deregister("nope:1"), "ClientException", "The specified task definition does not exist.");
        }
    }

    @Nested
    class Delete {
        private static final String STILL_ACTIVE =
                "The specified task definition is still in ACTIVE status. Please deregister the target and try again.";
        private static final String INVALID =
                "The specified task definition identifier is invalid. Specify a valid name or ARN and try again.";
        private static final String MISSING =
                "The specified task definition does not exist. Specify a valid account, family, revision and try again.";

        @Test
        void activeRevisionIsAFailure() {
            register("web");
            TaskDefinitions.Deletion d = tds.delete(List.of("web:1"));

            assertThat(d.deleted()).isEmpty();
            assertThat(d.failures()).containsExactly(Failure.builder().arn("web:1").reason(STILL_ACTIVE).build());
            assertThat(tds.find("web:1")).get().extracting(TaskDefinition::status).isEqualTo(TaskDefinitionStatus.ACTIVE);
        }

        @Test
        void inactiveRevisionGoesToDeleteInProgress() {
            register("web");
            register("web");
            tds.deregister("web:1");
            TaskDefinitions.Deletion d = tds.delete(List.of(ARN_PREFIX + "web:1"));

            assertThat(d.failures()).isEmpty();
            assertThat(d.deleted()).singleElement().satisfies(td -> {
                assertThat(td.status()).isEqualTo(TaskDefinitionStatus.DELETE_IN_PROGRESS);
                assertThat(td.taskDefinitionArn()).isEqualTo(ARN_PREFIX + "web:1");
            });
            assertThat(tds.find("web:1")).get().extracting(TaskDefinition::status).isEqualTo(TaskDefinitionStatus.DELETE_IN_PROGRESS);
            assertThat(tds.list("web", TaskDefinitionStatus.INACTIVE)).isEmpty();
            assertThat(tds.list("web", TaskDefinitionStatus.DELETE_IN_PROGRESS)).extracting(TaskDefinition::revision).containsExactly(1);

            TaskDefinitions.Deletion again = tds.delete(List.of("web:1"));
            assertThat(again.failures()).isEmpty();
            assertThat(again.deleted()).extracting(TaskDefinition::status).containsExactly(TaskDefinitionStatus.DELETE_IN_PROGRESS);
        }

        @Test
        void invalidIdentifiersAndMissingRevisionsAreFailures() {
            register("web");
            tds.deregister("web:1");
            String otherRegion = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1";
            TaskDefinitions.Deletion d = tds.delete(List.of("web", otherRegion, "web:x", "web:7", "nope:1", "web:1"));

            assertThat(d.failures()).containsExactly(
                    Failure.builder().arn("web").reason(INVALID).build(),
                    Failure.builder().arn(otherRegion).reason(INVALID).build(),
                    Failure.builder().arn("web:x").reason(INVALID).build(),
                    Failure.builder().arn("web:7").reason(MISSING).build(),
                    Failure.builder().arn("nope:1").reason(MISSING).build());
            assertThat(arns(d.deleted())).containsExactly(ARN_PREFIX + "web:1");
        }

        @Test
        void emptyListRefused() {
            assertRefused(() -> tds.delete(List.of()), "InvalidParameterException",
                    "size of TaskDefinition references list must be greater than 0");
        }

        @Test
        void moreThanTenRefusedAndNothingChanges() {
            register("web");
            tds.deregister("web:1");
            List<String> eleven = new ArrayList<>(Collections.nCopies(10, "nope:1"));
            eleven.add(0, "web:1");
            assertRefused(() -> tds.delete(eleven), "InvalidParameterException",
                    "Size of TaskDefinition references list cannot exceed 10");
            assertThat(tds.find("web:1")).get().extracting(TaskDefinition::status).isEqualTo(TaskDefinitionStatus.INACTIVE);

            assertThat(tds.delete(eleven.subList(0, 10)).failures()).hasSize(9);
        }
    }

    @Nested
    class Listing {
        @BeforeEach
        void registerSome() {
            register("web");    // web:1
            register("api");    // api:1
            register("web");    // web:2
            register("worker"); // worker:1
            register("api");    // api:2
            tds.deregister("api:1");
            tds.deregister("worker:1");
        }

        @Test
        void listsByStatusInFamilyThenRevisionOrder() {
            assertThat(arns(tds.list(null, TaskDefinitionStatus.ACTIVE)))
                    .containsExactly(ARN_PREFIX + "api:2", ARN_PREFIX + "web:1", ARN_PREFIX + "web:2");
            assertThat(arns(tds.list(null, TaskDefinitionStatus.INACTIVE)))
                    .containsExactly(ARN_PREFIX + "api:1", ARN_PREFIX + "worker:1");
            assertThat(tds.list(null, TaskDefinitionStatus.DELETE_IN_PROGRESS)).isEmpty();
        }

        @Test
        void listsOneFamilyByItsExactName() {
            assertThat(arns(tds.list("web", TaskDefinitionStatus.ACTIVE))).containsExactly(ARN_PREFIX + "web:1", ARN_PREFIX + "web:2");
            assertThat(arns(tds.list("api", TaskDefinitionStatus.INACTIVE))).containsExactly(ARN_PREFIX + "api:1");
            assertThat(tds.list("we", TaskDefinitionStatus.ACTIVE)).isEmpty();
            assertThat(tds.list("nope", TaskDefinitionStatus.ACTIVE)).isEmpty();
        }

        @Test
        void revisionsSortNumericallyBySortKey() {
            for (int i = 0; i < 9; i++) {
                register("web");
            }
            register("web-x");
            // Family first, alphabetically ("web" before "web-x"), then revision numerically.
            assertThat(TaskDefinitions.sortKey(tds.find("web:11").orElseThrow()))
                    .isLessThan(TaskDefinitions.sortKey(tds.find("web-x:1").orElseThrow()));
            assertThat(TaskDefinitions.sortKey(tds.find("web:2").orElseThrow()))
                    .isLessThan(TaskDefinitions.sortKey(tds.find("web:10").orElseThrow()));
            assertThat(tds.list("web", TaskDefinitionStatus.ACTIVE)).extracting(TaskDefinition::revision)
                    .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        }

        @Test
        void familiesFilteredByStatus() {
            assertThat(tds.families(null, TaskDefinitionFamilyStatus.ALL)).containsExactly("api", "web", "worker");
            assertThat(tds.families(null, TaskDefinitionFamilyStatus.ACTIVE)).containsExactly("api", "web");
            assertThat(tds.families(null, TaskDefinitionFamilyStatus.INACTIVE)).containsExactly("worker");
        }

        @Test
        void familiesFilteredByPrefix() {
            assertThat(tds.families("w", TaskDefinitionFamilyStatus.ALL)).containsExactly("web", "worker");
            assertThat(tds.families("w", TaskDefinitionFamilyStatus.ACTIVE)).containsExactly("web");
            assertThat(tds.families("web", TaskDefinitionFamilyStatus.ALL)).containsExactly("web");
            assertThat(tds.families("x", TaskDefinitionFamilyStatus.ALL)).isEmpty();
        }

        @Test
        void aFamilyWithNoActiveRevisionLeftIsInactive() {
            tds.deregister("web:1");
            tds.deregister("web:2");
            tds.delete(List.of("web:1"));
            assertThat(tds.families(null, TaskDefinitionFamilyStatus.INACTIVE)).containsExactly("web", "worker");
            assertThat(tds.families(null, TaskDefinitionFamilyStatus.ACTIVE)).containsExactly("api");
        }
    }

    @Nested
    class RegistrationRefusals {
        private void refused(TaskDefinition.Builder draft, String message) {
            assertRefused(() -> tds.register(draft.build()), "ClientException", message);
            assertThat(tds.families(null, TaskDefinitionFamilyStatus.ALL)).as("a refused registration leaves no trace").isEmpty();
        }

        @Test
        void dependsOnAContainerThatIsNotInTheDefinition() {
            refused(TaskDefinition.builder().family("web").containerDefinitions(container("app")
                    .dependsOn(d -> d.containerName("db").condition(ContainerCondition.START)).build()),
                    "Container 'app' depends on 'db', which is not a container of this task definition.");
        }

        @Test
        void dependenciesThatFormACycle() {
            refused(TaskDefinition.builder().family("web").containerDefinitions(
                    container("a").dependsOn(d -> d.containerName("b").condition(ContainerCondition.START)).build(),
                    container("b").dependsOn(d -> d.containerName("c").condition(ContainerCondition.START)).build(),
                    container("c").dependsOn(d -> d.containerName("a").condition(ContainerCondition.HEALTHY)).build()),
                    "The container dependencies form a cycle: a -> b -> c -> a.");
        }

        @Test
        void blankFamily() {
            refused(draft(null), "Family can not be blank.");
            refused(draft(""), "Family can not be blank.");
            refused(draft("   "), "Family can not be blank.");
        }

        @Test
        void familyWithInvalidCharactersOrTooLong() {
            String invalid = "Family contains invalid characters. Up to 255 letters (uppercase and lowercase), numbers,"
                    + " hyphens, and underscores are allowed; got '%s'.";
            for (String family : List.of("my family", "web:1", "web/1", "wéb", "a".repeat(256))) {
                refused(draft(family), invalid.formatted(family));
            }
            assertThat(tds.register(draft("Az09_-" + "a".repeat(249)).build()).revision()).isEqualTo(1);
        }

        @Test
        void noContainers() {
            refused(draft("web").containerDefinitions(List.of()), "Container list cannot be empty.");
            refused(TaskDefinition.builder().family("web"), "Container list cannot be empty.");
        }

        @Test
        void moreThanTenContainers() {
            List<ContainerDefinition> eleven = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                eleven.add(container("c" + i).build());
            }
            refused(draft("web").containerDefinitions(eleven),
                    "Too many containers. A task definition can have at most 10; this one has 11.");
            assertThat(tds.register(draft("web").containerDefinitions(eleven.subList(0, 10)).build()).containerDefinitions()).hasSize(10);
        }

        @Test
        void fargateNeedsAwsvpc() {
            String message = "Fargate only supports network mode \u2018awsvpc\u2019.";
            refused(fargate("web", "256", "512").networkMode(NetworkMode.BRIDGE), message);
            refused(fargate("web", "256", "512").networkMode(NetworkMode.HOST), message);
            refused(fargate("web", "256", "512").networkMode((NetworkMode) null), message);
        }

        @Test
        void fargateNeedsTaskCpuAndMemory() {
            refused(fargate("web", null, "512"), "Fargate requires that 'cpu' be defined at the task level.");
            refused(fargate("web", "256", null), "Fargate requires that 'memory' be defined at the task level.");
        }

        @Test
        void fargateNeedsAPairFromTheSizeTable() {
            refused(fargate("web", "256", "4096"),
                    "No Fargate configuration exists for given values: 256 CPU, 4096 memory. See the Amazon ECS documentation for the valid values.");
            refused(fargate("web", "1 vCPU", "1GB"),
                    "No Fargate configuration exists for given values: 1024 CPU, 1024 memory. See the Amazon ECS documentation for the valid values.");
            refused(fargate("web", "128", "512"),
                    "No Fargate configuration exists for given values: 128 CPU, 512 memory. See the Amazon ECS documentation for the valid values.");
        }

        @Test
        void invalidTaskSizeStrings() {
            refused(fargate("web", "lots", "512"),
                    "Invalid 'cpu' setting for task. Got 'lots'. Give CPU units (for example 1024) or vCPUs (for example '1 vCPU').");
            refused(draft("web").memory("2 GiB"),
                    "Invalid 'memory' setting for task. Got '2 GiB'. Give MiB (for example 2048) or GB (for example '2GB').");
        }

        @Test
        void containerNames() {
            refused(draft("web").containerDefinitions(container(null).build()), "Container.name should not be null or empty.");
            refused(draft("web").containerDefinitions(container("").build()), "Container.name should not be null or empty.");
            refused(draft("web").containerDefinitions(container("my.app").build()),
                    "Container.name contains invalid characters. Up to 255 letters (uppercase and lowercase), numbers, hyphens,"
                            + " and underscores are allowed; got 'my.app'.");
            refused(draft("web").containerDefinitions(container("app").build(), container("side").build(), container("app").build()),
                    "Container names must be unique within a Task Definition. 'app' is used more than once.");
        }

        @Test
        void containerImage() {
            refused(draft("web").containerDefinitions(container("app").image(null).build()), "Container.image should not be null or empty.");
            refused(draft("web").containerDefinitions(container("app").image(" ").build()), "Container.image should not be null or empty.");
        }

        @Test
        void containerMemory() {
            refused(draft("web").containerDefinitions(container("app").memory(null).build()),
                    "Invalid setting for container 'app'. At least one of 'memory' or 'memoryReservation' must be specified.");
            refused(draft("web").containerDefinitions(container("app").memory(128).memoryReservation(256).build()),
                    "Invalid setting for container 'app'. 'memory' must be greater than or equal to 'memoryReservation' (128 < 256).");
            refused(draft("web").memory("512").containerDefinitions(container("app").memory(1024).build()),
                    "The 'memory' setting for container 'app' is greater than for the task.");
            refused(draft("web").memory("512").containerDefinitions(
                            container("a").memory(null).memoryReservation(256).build(),
                            container("b").memory(null).memoryReservation(512).build()),
                    "The sum of all container 'memoryReservation' values cannot be greater than the value of the task 'memory'."
                            + " The containers reserve 768 MiB; the task has 512 MiB.");

            // Any one of them is enough.
            assertThat(tds.register(draft("ok1").containerDefinitions(container("app").memory(null).memoryReservation(64).build())
                    .build())).isNotNull();
            assertThat(tds.register(draft("ok2").memory("512").containerDefinitions(container("app").memory(null).build())
                    .build())).isNotNull();
            assertThat(tds.register(draft("ok3").memory("512").containerDefinitions(
                    container("a").memory(null).memoryReservation(256).build(),
                    container("b").memory(null).memoryReservation(256).build()).build())).isNotNull();
        }

        @Test
        void noEssentialContainer() {
            refused(draft("web").containerDefinitions(container("a").essential(false).build(), container("b").essential(false).build()),
                    "Task definition doesn't have any essential container.");
        }

        @Test
        void hostPortMustMatchContainerPortInAwsvpcAndHostModes() {
            PortMapping mismatch = PortMapping.builder().containerPort(80).hostPort(8080).build();
            refused(draft("web").networkMode(NetworkMode.AWSVPC).containerDefinitions(container("app").portMappings(mismatch).build()),
                    "When networkMode=awsvpc, the host ports and container ports in port mappings must match.");
            refused(draft("web").networkMode(NetworkMode.HOST).containerDefinitions(container("app").portMappings(mismatch).build()),
                    "When networkMode=host, the host ports and container ports in port mappings must match.");
            refused(fargate("web", "256", "512").containerDefinitions(container("app").portMappings(mismatch).build()),
                    "When networkMode=awsvpc, the host ports and container ports in port mappings must match.");
        }
    }

    @Nested
    class Normalisation {
        private ContainerDefinition only(TaskDefinition td) {
            assertThat(td.containerDefinitions()).hasSize(1);
            return td.containerDefinitions().get(0);
        }

        @Test
        void essentialDefaultsToTrue() {
            TaskDefinition td = tds.register(draft("web").containerDefinitions(
                    container("a").build(), container("b").essential(false).build(), container("c").essential(true).build()).build());
            assertThat(td.containerDefinitions()).extracting(ContainerDefinition::essential).containsExactly(true, false, true);
        }

        @Test
        void containerCpuDefaultsToZero() {
            TaskDefinition td = tds.register(draft("web").containerDefinitions(container("a").build(), container("b").cpu(128).build()).build());
            assertThat(td.containerDefinitions()).extracting(ContainerDefinition::cpu).containsExactly(0, 128);
        }

        @Test
        void protocolDefaultsToTcp() {
            TaskDefinition td = tds.register(draft("web").containerDefinitions(container("app").portMappings(
                    PortMapping.builder().containerPort(80).build(),
                    PortMapping.builder().containerPort(53).protocol(TransportProtocol.UDP).build()).build()).build());
            assertThat(only(td).portMappings()).extracting(PortMapping::protocol).containsExactly(TransportProtocol.TCP, TransportProtocol.UDP);
        }

        @Test
        void awsvpcAndHostModesSetHostPortToContainerPort() {
            for (NetworkMode mode : List.of(NetworkMode.AWSVPC, NetworkMode.HOST)) {
                TaskDefinition td = tds.register(draft("web-" + mode).networkMode(mode).containerDefinitions(container("app").portMappings(
                        PortMapping.builder().containerPort(80).build(),
                        PortMapping.builder().containerPort(81).hostPort(0).build(),
                        PortMapping.builder().containerPort(82).hostPort(82).build()).build()).build());
                assertThat(only(td).portMappings()).as(mode.toString())
                        .extracting(PortMapping::containerPort, PortMapping::hostPort)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(80, 80), org.assertj.core.groups.Tuple.tuple(81, 81),
                                org.assertj.core.groups.Tuple.tuple(82, 82));
            }
        }

        @Test
        void bridgeModeKeepsHostPortsAsGiven() {
            TaskDefinition td = tds.register(draft("web").networkMode(NetworkMode.BRIDGE).containerDefinitions(container("app").portMappings(
                    PortMapping.builder().containerPort(80).build(),
                    PortMapping.builder().containerPort(81).hostPort(8081).build()).build()).build());
            assertThat(only(td).portMappings().get(0).hostPort()).isNull();
            assertThat(only(td).portMappings().get(1).hostPort()).isEqualTo(8081);
        }

        @Test
        void taskSizesAreStoredAsIntegers() {
            TaskDefinition f = tds.register(fargate("f", "1 vCPU", "2GB").build());
            assertThat(f.cpu()).isEqualTo("1024");
            assertThat(f.memory()).isEqualTo("2048");
            TaskDefinition e = tds.register(draft("e").cpu("0.25 vcpu").memory("0.5 GB").build());
            assertThat(e.cpu()).isEqualTo("256");
            assertThat(e.memory()).isEqualTo("512");
            TaskDefinition none = tds.register(draft("n").build());
            assertThat(none.cpu()).isNull();
            assertThat(none.memory()).isNull();
        }

        @Test
        void compatibilitiesFollowNetworkModeAndFargate() {
            assertThat(tds.register(fargate("f", "256", "512").build()).compatibilities())
                    .containsExactly(Compatibility.EC2, Compatibility.MANAGED_INSTANCES, Compatibility.FARGATE);
            assertThat(tds.register(draft("a").networkMode(NetworkMode.AWSVPC).build()).compatibilities())
                    .containsExactly(Compatibility.EC2, Compatibility.MANAGED_INSTANCES);
            assertThat(tds.register(draft("h").networkMode(NetworkMode.HOST).build()).compatibilities())
                    .containsExactly(Compatibility.EC2, Compatibility.MANAGED_INSTANCES);
            assertThat(tds.register(draft("b").networkMode(NetworkMode.BRIDGE).build()).compatibilities())
                    .containsExactly(Compatibility.EXTERNAL, Compatibility.EC2);
            assertThat(tds.register(draft("d").build()).compatibilities())
                    .containsExactly(Compatibility.EXTERNAL, Compatibility.EC2);
            assertThat(tds.register(fargate("f", "256", "512").build()).requiresCompatibilities()).containsExactly(Compatibility.FARGATE);
        }

        private List<String> required(TaskDefinition td) {
            assertThat(td.hasRequiresAttributes()).isTrue();
            return td.requiresAttributes().stream().map(Attribute::name).toList();
        }

        @Test
        void requiresAttributesFromWhatTheDefinitionUses() {
            assertThat(required(tds.register(draft("plain").build()))).isEmpty();
            assertThat(required(tds.register(draft("vpc").networkMode(NetworkMode.AWSVPC).build())))
                    .containsExactly("ecs.capability.task-eni");
            assertThat(required(tds.register(draft("hc").containerDefinitions(container("app")
                    .healthCheck(HealthCheck.builder().command("CMD-SHELL", "true").build()).build()).build())))
                    .containsExactly("ecs.capability.container-health-check");
            assertThat(required(tds.register(draft("dep").containerDefinitions(
                    container("init").essential(false).build(),
                    container("app").dependsOn(ContainerDependency.builder().containerName("init")
                            .condition(ContainerCondition.COMPLETE).build()).build()).build())))
                    .containsExactly("ecs.capability.container-ordering");
            assertThat(required(tds.register(draft("logs").containerDefinitions(container("app")
                    .logConfiguration(LogConfiguration.builder().logDriver(LogDriver.AWSLOGS).build()).build()).build())))
                    .containsExactly("com.amazonaws.ecs.capability.logging-driver.awslogs",
                            "com.amazonaws.ecs.capability.docker-remote-api.1.19");
            assertThat(required(tds.register(draft("json").containerDefinitions(container("app")
                    .logConfiguration(LogConfiguration.builder().logDriver(LogDriver.JSON_FILE).build()).build()).build())))
                    .isEmpty();
        }

        @Test
        void requiresAttributesCombineWithoutDuplicates() {
            LogConfiguration awslogs = LogConfiguration.builder().logDriver(LogDriver.AWSLOGS).build();
            HealthCheck hc = HealthCheck.builder().command("CMD", "true").build();
            TaskDefinition td = tds.register(fargate("all", "256", "512").executionRoleArn("arn:aws:iam::123456789012:role/exec").containerDefinitions(
                    ContainerDefinition.builder().name("a").image("i").logConfiguration(awslogs).healthCheck(hc).build(),
                    ContainerDefinition.builder().name("b").image("i").logConfiguration(awslogs).healthCheck(hc)
                            .dependsOn(ContainerDependency.builder().containerName("a").condition(ContainerCondition.HEALTHY).build())
                            .build()).build());
            assertThat(required(td)).containsExactly(
                    "com.amazonaws.ecs.capability.logging-driver.awslogs",
                    "com.amazonaws.ecs.capability.docker-remote-api.1.19",
                    "ecs.capability.container-health-check",
                    "ecs.capability.container-ordering",
                    "ecs.capability.task-eni");
        }

        @Test
        void absentListsArePresentAndEmpty() {
            TaskDefinition td = tds.register(draft("web").build());
            assertThat(td.hasVolumes()).isTrue();
            assertThat(td.volumes()).isEmpty();
            assertThat(td.hasPlacementConstraints()).isTrue();
            assertThat(td.placementConstraints()).isEmpty();
            assertThat(td.hasCompatibilities()).isTrue();
            assertThat(td.hasRequiresAttributes()).isTrue();
            ContainerDefinition c = only(td);
            assertThat(c.hasPortMappings()).isTrue();
            assertThat(c.portMappings()).isEmpty();
            assertThat(c.hasEnvironment()).isTrue();
            assertThat(c.environment()).isEmpty();
            assertThat(c.hasMountPoints()).isTrue();
            assertThat(c.mountPoints()).isEmpty();
            assertThat(c.hasVolumesFrom()).isTrue();
            assertThat(c.volumesFrom()).isEmpty();
        }

        @Test
        void givenValuesAreKept() {
            TaskDefinition td = tds.register(draft("web")
                    .executionRoleArn("arn:aws:iam::123456789012:role/exec")
                    .volumes(Volume.builder().name("data").build())
                    .containerDefinitions(container("app").command("sleep", "60").build())
                    .build());
            assertThat(td.executionRoleArn()).isEqualTo("arn:aws:iam::123456789012:role/exec");
            assertThat(td.volumes()).extracting(Volume::name).containsExactly("data");
            assertThat(only(td).command()).containsExactly("sleep", "60");
            assertThat(only(td).image()).isEqualTo("busybox:1.36");
            assertThat(only(td).memory()).isEqualTo(128);
        }
    }
}

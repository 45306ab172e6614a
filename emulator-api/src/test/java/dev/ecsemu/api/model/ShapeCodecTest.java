package dev.ecsemu.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ecsemu.api.testing.Json;
import dev.ecsemu.core.error.ApiException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.ecs.model.ApplicationProtocol;
import software.amazon.awssdk.services.ecs.model.ContainerCondition;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.ListClustersRequest;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TransportProtocol;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/** The generic JSON 1.1 codec on real ECS shapes, without a server. */
class ShapeCodecTest {
    private final ShapeCodec codec = new ShapeCodec("InvalidParameterException");

    private static final String CREATE_SERVICE = """
            {
              "cluster": "prod",
              "serviceName": "web",
              "taskDefinition": "web:3",
              "availabilityZoneRebalancing": "ENABLED",
              "loadBalancers": [{"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/tg/0123456789abcdef",
                                 "containerName": "app", "containerPort": 80}],
              "serviceRegistries": [{"registryArn": "arn:aws:servicediscovery:us-east-1:000000000000:service/srv-1", "port": 80}],
              "desiredCount": 3,
              "clientToken": "token-1",
              "launchType": "FARGATE",
              "platformVersion": "1.4.0",
              "deploymentConfiguration": {
                "deploymentCircuitBreaker": {"enable": true, "rollback": true},
                "maximumPercent": 200,
                "minimumHealthyPercent": 50,
                "alarms": {"alarmNames": ["high-cpu"], "enable": true, "rollback": false}
              },
              "placementConstraints": [{"type": "distinctInstance"}, {"type": "memberOf", "expression": "attribute:ecs.os-type == linux"}],
              "placementStrategy": [{"type": "spread", "field": "attribute:ecs.availability-zone"}, {"type": "binpack", "field": "memory"}],
              "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1", "subnet-2"], "securityGroups": ["sg-1"],
                                                               "assignPublicIp": "ENABLED"}},
              "healthCheckGracePeriodSeconds": 30,
              "schedulingStrategy": "REPLICA",
              "deploymentController": {"type": "ECS"},
              "tags": [{"key": "team", "value": "web"}, {"key": "empty", "value": ""}],
              "enableECSManagedTags": true,
              "propagateTags": "SERVICE",
              "enableExecuteCommand": false,
              "serviceConnectConfiguration": {
                "enabled": true,
                "namespace": "local",
                "services": [{"portName": "http", "discoveryName": "web",
                              "clientAliases": [{"port": 8080, "dnsName": "web.local"}]}],
                "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/sc", "awslogs-region": "us-east-1"}}
              },
              "volumeConfigurations": [{"name": "data", "managedEBSVolume": {
                "roleArn": "arn:aws:iam::000000000000:role/ebs", "sizeInGiB": 20, "volumeType": "gp3", "encrypted": true,
                "tagSpecifications": [{"resourceType": "volume", "tags": [{"key": "k", "value": "v"}], "propagateTags": "SERVICE"}],
                "filesystemType": "ext4"}}]
            }
            """;

    private static final String REGISTER_TASK_DEFINITION = """
            {
              "family": "web",
              "taskRoleArn": "arn:aws:iam::000000000000:role/task",
              "executionRoleArn": "arn:aws:iam::000000000000:role/exec",
              "networkMode": "awsvpc",
              "containerDefinitions": [
                {
                  "name": "app",
                  "image": "public.ecr.aws/nginx/nginx:1.27",
                  "repositoryCredentials": {"credentialsParameter": "arn:aws:secretsmanager:us-east-1:000000000000:secret:creds"},
                  "cpu": 128,
                  "memory": 256,
                  "memoryReservation": 128,
                  "portMappings": [{"containerPort": 80, "hostPort": 80, "protocol": "tcp", "name": "http", "appProtocol": "http"},
                                   {"containerPort": 53, "protocol": "udp"}],
                  "essential": true,
                  "restartPolicy": {"enabled": true, "ignoredExitCodes": [0, 137], "restartAttemptPeriod": 60},
                  "entryPoint": ["sh", "-c"],
                  "command": ["nginx -g 'daemon off;'"],
                  "environment": [{"name": "MODE", "value": "prod"}, {"name": "UNICODE", "value": "h\\u00e9llo \\u2603"}],
                  "environmentFiles": [{"value": "arn:aws:s3:::bucket/app.env", "type": "s3"}],
                  "mountPoints": [{"sourceVolume": "data", "containerPath": "/data", "readOnly": false}],
                  "volumesFrom": [{"sourceContainer": "sidecar", "readOnly": true}],
                  "linuxParameters": {"capabilities": {"add": ["NET_ADMIN"], "drop": ["MKNOD"]}, "initProcessEnabled": true,
                                      "tmpfs": [{"containerPath": "/tmp", "size": 64, "mountOptions": ["rw", "noexec"]}]},
                  "secrets": [{"name": "DB_PASSWORD", "valueFrom": "arn:aws:ssm:us-east-1:000000000000:parameter/db"}],
                  "dependsOn": [{"containerName": "sidecar", "condition": "HEALTHY"}],
                  "startTimeout": 30,
                  "stopTimeout": 45,
                  "user": "1000:1000",
                  "workingDirectory": "/srv",
                  "readonlyRootFilesystem": true,
                  "dockerLabels": {"com.example.team": "web", "empty": ""},
                  "ulimits": [{"name": "nofile", "softLimit": 1024, "hardLimit": 4096}],
                  "logConfiguration": {"logDriver": "awslogs",
                                       "options": {"awslogs-group": "/ecs/web", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "web"},
                                       "secretOptions": [{"name": "token", "valueFrom": "arn:aws:ssm:us-east-1:000000000000:parameter/t"}]},
                  "healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"], "interval": 10, "timeout": 5,
                                  "retries": 3, "startPeriod": 20},
                  "systemControls": [{"namespace": "net.core.somaxconn", "value": "1024"}]
                },
                {
                  "name": "sidecar",
                  "image": "busybox",
                  "essential": false,
                  "firelensConfiguration": {"type": "fluentbit", "options": {"enable-ecs-log-metadata": "true"}}
                }
              ],
              "volumes": [
                {"name": "data", "efsVolumeConfiguration": {"fileSystemId": "fs-1", "rootDirectory": "/", "transitEncryption": "ENABLED",
                                                            "authorizationConfig": {"accessPointId": "fsap-1", "iam": "ENABLED"}}},
                {"name": "scratch", "host": {"sourcePath": "/var/scratch"}},
                {"name": "shared", "dockerVolumeConfiguration": {"scope": "shared", "autoprovision": true, "driver": "local",
                                                                 "driverOpts": {"type": "tmpfs"}, "labels": {"a": "b"}}}
              ],
              "placementConstraints": [{"type": "memberOf", "expression": "attribute:ecs.instance-type =~ t3.*"}],
              "requiresCompatibilities": ["FARGATE", "EC2"],
              "cpu": "1 vCPU",
              "memory": "2 GB",
              "tags": [{"key": "team", "value": "web"}],
              "pidMode": "task",
              "proxyConfiguration": {"type": "APPMESH", "containerName": "envoy",
                                     "properties": [{"name": "IgnoredUID", "value": "1337"}]},
              "runtimePlatform": {"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"},
              "ephemeralStorage": {"sizeInGiB": 21},
              "enableFaultInjection": false
            }
            """;

    // Round trips ----------------------------------------------------------------------------------

    @Test
    void createServiceRequestRoundTrips() {
        CreateServiceRequest first = read(CREATE_SERVICE, CreateServiceRequest::builder);
        assertThat(first.serviceName()).isEqualTo("web");
        assertThat(first.launchType()).isEqualTo(LaunchType.FARGATE);
        assertThat(first.loadBalancers()).singleElement().satisfies(lb -> assertThat(lb.containerPort()).isEqualTo(80));
        assertThat(first.deploymentConfiguration().deploymentCircuitBreaker().rollback()).isTrue();
        assertThat(first.networkConfiguration().awsvpcConfiguration().subnets()).containsExactly("subnet-1", "subnet-2");
        assertThat(first.serviceConnectConfiguration().logConfiguration().options()).containsEntry("awslogs-group", "/sc");
        assertThat(first.tags()).hasSize(2);
        assertThat(first.volumeConfigurations().get(0).managedEBSVolume().tagSpecifications().get(0).resourceTypeAsString())
                .isEqualTo("volume");

        assertRoundTrip(CREATE_SERVICE, first, CreateServiceRequest::builder);
    }

    @Test
    void registerTaskDefinitionRequestRoundTrips() {
        RegisterTaskDefinitionRequest first = read(REGISTER_TASK_DEFINITION, RegisterTaskDefinitionRequest::builder);
        assertThat(first.networkMode()).isEqualTo(NetworkMode.AWSVPC);
        ContainerDefinition app = first.containerDefinitions().get(0);
        assertThat(app.portMappings()).extracting(PortMapping::protocol).containsExactly(TransportProtocol.TCP, TransportProtocol.UDP);
        assertThat(app.portMappings().get(0).appProtocol()).isEqualTo(ApplicationProtocol.HTTP);
        assertThat(app.dependsOn().get(0).condition()).isEqualTo(ContainerCondition.HEALTHY);
        assertThat(app.logConfiguration().logDriver()).isEqualTo(LogDriver.AWSLOGS);
        assertThat(app.dockerLabels()).containsEntry("com.example.team", "web").containsEntry("empty", "");
        assertThat(app.environment().get(1).value()).isEqualTo("h\u00e9llo \u2603");
        assertThat(app.restartPolicy().ignoredExitCodes()).containsExactly(0, 137);
        assertThat(first.volumes().get(2).dockerVolumeConfiguration().driverOpts()).containsEntry("type", "tmpfs");
        assertThat(first.cpu()).isEqualTo("1 vCPU");
        assertThat(first.enableFaultInjection()).isFalse();

        assertRoundTrip(REGISTER_TASK_DEFINITION, first, RegisterTaskDefinitionRequest::builder);
    }

    /** Written JSON reads back to an equal object, and says what the original JSON said. */
    private <B extends SdkPojo & SdkBuilder<B, T>, T extends SdkPojo> void assertRoundTrip(String original, T first, Supplier<B> builder) {
        String written = write(first);
        T second = read(written, builder);
        assertThat(second).isEqualTo(first);
        assertThat(Json.parse(written)).as("written JSON").isEqualTo(Json.parse(original));
        assertThat(write(second)).isEqualTo(written);
    }

    // Timestamps -----------------------------------------------------------------------------------

    @Test
    void timestampsAreEpochSecondsWithMillisecondFraction() {
        assertThat(timestampJson(Instant.ofEpochMilli(1619719924711L))).isEqualTo("1619719924.711");
        assertThat(timestampJson(Instant.ofEpochMilli(1619719924710L))).isEqualTo("1619719924.71");
        assertThat(timestampJson(Instant.ofEpochSecond(1619719924))).isEqualTo("1619719924");
        assertThat(timestampJson(Instant.ofEpochSecond(1619719924, 711_999_999))).as("sub-millisecond digits are cut").isEqualTo("1619719924.711");
        assertThat(timestampJson(Instant.ofEpochSecond(1619719920))).as("no exponent").isEqualTo("1619719920");
        assertThat(timestampJson(Instant.ofEpochMilli(-1500))).isEqualTo("-1.5");
        assertThat(timestampJson(Instant.EPOCH)).isEqualTo("0");
    }

    @Test
    void timestampsReadFromEpochSecondsInAnyNumberForm() {
        Instant expected = Instant.ofEpochMilli(1619719924711L);
        for (String form : List.of("1619719924.711", "1.619719924711E9", "1619719924.7110")) {
            TaskDefinition td = read("{\"registeredAt\":" + form + "}", TaskDefinition::builder);
            assertThat(td.registeredAt()).as(form).isEqualTo(expected);
        }
        assertThat(read("{\"registeredAt\":1619719924}", TaskDefinition::builder).registeredAt())
                .isEqualTo(Instant.ofEpochSecond(1619719924));
        assertThat(read("{\"registeredAt\":-1.5}", TaskDefinition::builder).registeredAt()).isEqualTo(Instant.ofEpochMilli(-1500));
    }

    @Test
    void everyTimestampTheReaderAcceptsCanBeWritten() {
        TaskDefinition far = read("{\"registeredAt\":20000000000000000.5}", TaskDefinition::builder);
        assertThat(far.registeredAt()).isEqualTo(Instant.ofEpochSecond(20_000_000_000_000_000L, 500_000_000));
        assertThat(write(far)).isEqualTo("{\"registeredAt\":20000000000000000.5}");
        assertThat(read(write(far), TaskDefinition::builder)).isEqualTo(far);

        ApiException e = refusal("{\"registeredAt\":1e30}", TaskDefinition::builder);
        assertThat(e.errorType()).isEqualTo("SerializationException");
        assertThat(e.getMessage()).contains("'registeredAt'").contains("timestamp");
        assertThat(refusal("{\"registeredAt\":\"2021-04-29T18:12:04Z\"}", TaskDefinition::builder).getMessage())
                .contains("'registeredAt'").contains("a number").contains("a string");
    }

    private String timestampJson(Instant at) {
        Map<String, Object> json = Json.object(write(TaskDefinition.builder().registeredAt(at).build()));
        return new java.math.BigDecimal(json.get("registeredAt").toString()).toPlainString().equals(json.get("registeredAt").toString())
                ? json.get("registeredAt").toString()
                : "not plain: " + json.get("registeredAt");
    }

    // Lists and maps -------------------------------------------------------------------------------

    @Test
    void absentListsAreOmittedAndEmptyListsWritten() {
        TaskDefinition td = TaskDefinition.builder()
                .family("f")
                .volumes(List.of())
                .containerDefinitions(ContainerDefinition.builder().name("a").dockerLabels(Map.of()).build())
                .build();
        Map<String, Object> json = Json.object(write(td));
        assertThat(json).containsEntry("volumes", List.of()).doesNotContainKeys("requiresCompatibilities", "placementConstraints",
                "requiresAttributes", "compatibilities", "registeredAt", "revision");
        @SuppressWarnings("unchecked")
        Map<String, Object> container = ((List<Map<String, Object>>) json.get("containerDefinitions")).get(0);
        assertThat(container).containsOnlyKeys("name", "dockerLabels").containsEntry("dockerLabels", Map.of());
    }

    @Test
    void readingKeepsEmptyListsApartFromAbsentOnes() {
        TaskDefinition td = read("{\"volumes\":[],\"placementConstraints\":null,\"containerDefinitions\":[{\"environment\":[]}]}",
                TaskDefinition::builder);
        assertThat(td.hasVolumes()).isTrue();
        assertThat(td.volumes()).isEmpty();
        assertThat(td.hasPlacementConstraints()).as("null is absent").isFalse();
        assertThat(td.containerDefinitions().get(0).hasEnvironment()).isTrue();
        assertThat(td.containerDefinitions().get(0).hasMountPoints()).isFalse();
        assertThat(Json.object(write(td))).containsEntry("volumes", List.of()).doesNotContainKey("placementConstraints");
    }

    @Test
    void nullListElementsAndMapValuesAreDropped() {
        ContainerDefinition c = read("{\"command\":[\"a\",null,\"b\"],\"dockerLabels\":{\"x\":null,\"y\":\"1\"}}", ContainerDefinition::builder);
        assertThat(c.command()).containsExactly("a", "b");
        assertThat(c.dockerLabels()).containsOnlyKeys("y");
    }

    // Leniency where AWS is lenient ----------------------------------------------------------------

    @Test
    void unknownMembersAreIgnoredAtEveryLevel() {
        CreateServiceRequest r = read("""
                {"futureScalar": 1, "serviceName": "s",
                 "futureObject": {"a": [1, {"b": null}, [[]]], "c": {"d": "e"}},
                 "loadBalancers": [{"containerPort": 80, "futureNested": {"x": [true]}}],
                 "futureArray": [{"serviceName": 42}],
                 "cluster": "c"}
                """, CreateServiceRequest::builder);
        assertThat(r.serviceName()).isEqualTo("s");
        assertThat(r.cluster()).isEqualTo("c");
        assertThat(r.loadBalancers()).singleElement().satisfies(lb -> assertThat(lb.containerPort()).isEqualTo(80));
    }

    @Test
    void anEmptyBodyIsAnEmptyObject() {
        assertThat(read("", ListClustersRequest::builder)).isEqualTo(ListClustersRequest.builder().build());
        assertThat(read("  \n ", ListClustersRequest::builder)).isEqualTo(ListClustersRequest.builder().build());
        ApiException e = refusal("", CreateServiceRequest::builder);
        assertThat(e.errorType()).isEqualTo("InvalidParameterException");
        assertThat(e.getMessage()).contains("'serviceName'");
    }

    // Errors name the member by its full path -------------------------------------------------------

    @Test
    void aWrongTypeIsNamedByItsNestedPath() {
        ApiException e = refusal("{\"family\":\"f\",\"containerDefinitions\":[{\"name\":\"a\",\"portMappings\":[{\"containerPort\":\"80\"}]}]}",
                RegisterTaskDefinitionRequest::builder);
        assertThat(e.errorType()).isEqualTo("SerializationException");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo(
                "Expected an integer for 'containerDefinitions[0].portMappings[0].containerPort' but found a string.");

        assertThat(refusal("{\"containerDefinitions\":[{},{\"portMappings\":[{},{},{\"hostPort\":80.5}]}]}",
                RegisterTaskDefinitionRequest::builder).getMessage())
                .contains("'containerDefinitions[1].portMappings[2].hostPort'").contains("a decimal number");
        assertThat(refusal("{\"containerDefinitions\":[{\"dockerLabels\":{\"team\":7}}]}", RegisterTaskDefinitionRequest::builder)
                .getMessage()).contains("'containerDefinitions[0].dockerLabels.team'").contains("a string");
        assertThat(refusal("{\"volumes\":[{\"efsVolumeConfiguration\":{\"authorizationConfig\":[]}}]}",
                RegisterTaskDefinitionRequest::builder).getMessage())
                .contains("'volumes[0].efsVolumeConfiguration.authorizationConfig'").contains("a JSON object").contains("an array");
        assertThat(refusal("{\"containerDefinitions\":{}}", RegisterTaskDefinitionRequest::builder).getMessage())
                .contains("'containerDefinitions'").contains("a JSON array").contains("an object");
        assertThat(refusal("{\"containerDefinitions\":[{\"essential\":\"yes\"}]}", RegisterTaskDefinitionRequest::builder).getMessage())
                .contains("'containerDefinitions[0].essential'").contains("a boolean");
    }

    @Test
    void numbersOutOfRangeAreRefused() {
        assertThat(refusal("{\"desiredCount\":2147483648}", CreateServiceRequest::builder).getMessage())
                .contains("'desiredCount'").contains("out of range");
        assertThat(refusal("{\"desiredCount\":123456789012345678901234567890}", CreateServiceRequest::builder).getMessage())
                .contains("'desiredCount'").contains("out of range");
        assertThat(refusal("{\"desiredCount\":1e3}", CreateServiceRequest::builder).errorType()).isEqualTo("SerializationException");
    }

    @Test
    void enumAndRequiredProblemsAreNamedByTheirNestedPath() {
        ApiException e = refusal("{\"family\":\"f\",\"containerDefinitions\":[{\"portMappings\":[{\"protocol\":\"sctp\"}]}]}",
                RegisterTaskDefinitionRequest::builder);
        assertThat(e.errorType()).isEqualTo("InvalidParameterException");
        assertThat(e.getMessage()).startsWith("1 validation error detected: Value 'sctp' at 'containerDefinitions[0].portMappings[0].protocol'")
                .contains("enum value set").contains("tcp").contains("udp");

        ApiException missing = refusal("{\"family\":\"f\",\"containerDefinitions\":[{\"secrets\":[{\"name\":\"s\"}]}]}",
                RegisterTaskDefinitionRequest::builder);
        assertThat(missing.errorType()).isEqualTo("InvalidParameterException");
        assertThat(missing.getMessage()).isEqualTo("1 validation error detected: Value null at 'containerDefinitions[0].secrets[0].valueFrom'"
                + " failed to satisfy constraint: Member must not be null");
    }

    @Test
    void everyValidationProblemIsReportedTogether() {
        ApiException e = refusal("{\"requiresCompatibilities\":[\"EC2\",\"MARS\"],\"containerDefinitions\":[{\"ulimits\":[{\"name\":\"nofile\"}]}]}",
                RegisterTaskDefinitionRequest::builder);
        assertThat(e.errorType()).isEqualTo("InvalidParameterException");
        assertThat(e.getMessage()).startsWith("4 validation errors detected: ")
                .contains("Value 'MARS' at 'requiresCompatibilities'")
                .contains("Value null at 'containerDefinitions[0].ulimits[0].softLimit'")
                .contains("Value null at 'containerDefinitions[0].ulimits[0].hardLimit'")
                .contains("Value null at 'family'");
    }

    @Test
    void aBodyThatDoesNotReadIsASerializationErrorEvenAfterInvalidValues() {
        // AWS deserializes the whole body before it validates: syntax and type problems come first.
        ApiException syntax = refusal("{\"launchType\":\"MOON\", \"serviceName\": }", CreateServiceRequest::builder);
        assertThat(syntax.errorType()).isEqualTo("SerializationException");
        assertThat(syntax.getMessage()).contains("not valid JSON");

        ApiException type = refusal("{\"launchType\":\"MOON\", \"desiredCount\": \"3\"}", CreateServiceRequest::builder);
        assertThat(type.errorType()).isEqualTo("SerializationException");
        assertThat(type.getMessage()).contains("'desiredCount'");

        ApiException trailing = refusal("{\"launchType\":\"MOON\"} {}", CreateServiceRequest::builder);
        assertThat(trailing.errorType()).isEqualTo("SerializationException");
        assertThat(trailing.getMessage()).contains("after the JSON object");
    }

    @Test
    void bodiesThatAreNotJsonSayWhy() {
        assertThat(refusal("nope", ListClustersRequest::builder).getMessage())
                .startsWith("The request body is not valid JSON: ").contains("'nope'").contains("line 1");
        assertThat(refusal("null", ListClustersRequest::builder).getMessage())
                .isEqualTo("Expected a JSON object for 'the request body' but found null.");
        assertThat(refusal("[{}]", ListClustersRequest::builder).getMessage())
                .isEqualTo("Expected a JSON object for 'the request body' but found an array.");
        assertThat(refusal("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}", ListClustersRequest::builder).getMessage())
                .contains("not valid JSON").contains("nesting depth");
        ApiException utf32 = refusal(new byte[] {0, 0, 0, '{', (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF},
                ListClustersRequest::builder);
        assertThat(utf32.errorType()).isEqualTo("SerializationException");
        assertThat(utf32.getMessage()).contains("not valid JSON");
        ApiException utf8 = refusal(new byte[] {'{', '"', (byte) 0xC3, 0x28, '"', ':', '1', '}'}, ListClustersRequest::builder);
        assertThat(utf8.errorType()).isEqualTo("SerializationException");
        assertThat(utf8.getMessage()).contains("UTF-8");
    }

    // helpers --------------------------------------------------------------------------------------

    /** Reads JSON into the shape the builder builds, typed as that shape. */
    private <B extends SdkPojo & SdkBuilder<B, T>, T extends SdkPojo> T read(String json, Supplier<B> builder) {
        return codec.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), builder);
    }

    private String write(SdkPojo pojo) {
        return new String(codec.write(pojo), StandardCharsets.UTF_8);
    }

    private ApiException refusal(String json, Supplier<? extends SdkPojo> builder) {
        return refusal(json.getBytes(StandardCharsets.UTF_8), builder);
    }

    private ApiException refusal(byte[] body, Supplier<? extends SdkPojo> builder) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> codec.read(new ByteArrayInputStream(body), builder));
        assertThat(e).as("refusal of %s", new String(body, StandardCharsets.UTF_8)).isNotNull();
        assertThat(e.status()).isEqualTo(400);
        return e;
    }
}

package dev.ecsemu.api.ecr;

import static dev.ecsemu.api.testing.EcrAssertions.assertEcrError;
import static dev.ecsemu.api.testing.EcrAssertions.ecrError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.core.registry.AuthorizationTokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;
import software.amazon.awssdk.services.ecr.model.DescribeRegistryResponse;
import software.amazon.awssdk.services.ecr.model.InvalidParameterException;
import software.amazon.awssdk.services.ecr.model.RegistryPolicyNotFoundException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecr.model.RepositoryPolicyNotFoundException;

/** GetAuthorizationToken, DescribeRegistry, the registry policy and repository policies through the SDK. */
class RegistryOperationsIT extends EcrIT {
    static final String REPOSITORY_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"pull\",\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":[\"ecr:BatchGetImage\",\"ecr:GetDownloadUrlForLayer\"]}]}";
    static final String REGISTRY_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"replicate\",\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":[\"ecr:CreateRepository\",\"ecr:ReplicateImage\"],"
            + "\"Resource\":\"arn:aws:ecr:us-east-1:000000000000:repository/*\"}]}";

    @Test
    void getAuthorizationTokenIssuesADockerLoginPasswordForTwelveHours() {
        Instant before = Instant.now();
        List<AuthorizationData> data = ecr.getAuthorizationToken(r -> { }).authorizationData();

        assertThat(data).hasSize(1);
        AuthorizationData auth = data.get(0);
        assertThat(auth.proxyEndpoint()).isEqualTo("http://" + emu.emulator().registryHost());
        assertThat(auth.proxyEndpoint()).isEqualTo("http://localhost:" + emu.emulator().port());
        assertThat(auth.expiresAt()).isBetween(before.plus(Duration.ofHours(12)).minusSeconds(2), Instant.now().plus(Duration.ofHours(12)));
        String decoded = new String(Base64.getDecoder().decode(auth.authorizationToken()), StandardCharsets.UTF_8);
        assertThat(decoded).startsWith("AWS:");
        // The password is one the registry accepts, for this account and region.
        assertThat(emu.emulator().registry().tokens().verify(decoded.substring(4)))
                .hasValue(new AuthorizationTokens.Holder(ACCOUNT, "us-east-1"));
        assertThat(AuthorizationTokens.passwordOfBasic("Basic " + auth.authorizationToken())).isEqualTo(decoded.substring(4));

        try (EcrClient other = emu.ecr("123456789012", Region.EU_CENTRAL_1)) {
            String password = new String(Base64.getDecoder().decode(other.getAuthorizationToken(r -> { }).authorizationData().get(0)
                    .authorizationToken()), StandardCharsets.UTF_8).substring(4);
            assertThat(emu.emulator().registry().tokens().verify(password)).hasValue(new AuthorizationTokens.Holder("123456789012",
                    "eu-central-1"));
        }
    }

    @Test
    void getAuthorizationTokenAnswersOncePerRegistryIdAskedFor() {
        assertThat(ecr.getAuthorizationToken(r -> r.registryIds(ACCOUNT, "123456789012")).authorizationData()).hasSize(2);
        assertThat(ecrError(() -> ecr.getAuthorizationToken(r -> r.registryIds("12")), InvalidParameterException.class))
                .contains("registryId");
    }

    @Test
    void describeRegistry() {
        DescribeRegistryResponse registry = ecr.describeRegistry(r -> { });
        assertThat(registry.registryId()).isEqualTo(ACCOUNT);
        assertThat(registry.replicationConfiguration().rules()).isEmpty();
    }

    @Test
    void registryPolicyIsStoredAndAnswered() {
        assertEcrError(() -> ecr.getRegistryPolicy(r -> { }), RegistryPolicyNotFoundException.class,
                "Registry policy does not exist in the registry with id '" + ACCOUNT + "'");
        var put = ecr.putRegistryPolicy(r -> r.policyText(REGISTRY_POLICY));
        assertThat(put.registryId()).isEqualTo(ACCOUNT);
        assertThat(put.policyText()).isEqualTo(REGISTRY_POLICY);
        assertThat(ecr.getRegistryPolicy(r -> { }).policyText()).isEqualTo(REGISTRY_POLICY);

        var deleted = ecr.deleteRegistryPolicy(r -> { });
        assertThat(deleted.policyText()).isEqualTo(REGISTRY_POLICY);
        assertThat(deleted.registryId()).isEqualTo(ACCOUNT);
        assertEcrError(() -> ecr.deleteRegistryPolicy(r -> { }), RegistryPolicyNotFoundException.class,
                "Registry policy does not exist in the registry with id '" + ACCOUNT + "'");
    }

    @Test
    void registryPolicyRefusals() {
        for (String bad : List.of("", "not json", "[]", "{\"Statement\":[]}",
                REGISTRY_POLICY.replace("2012-10-17", "2020-01-01"),
                REGISTRY_POLICY.replace("\"Effect\":\"Allow\",", ""),
                REGISTRY_POLICY.replace("ecr:ReplicateImage", "ecr:BatchGetImage"),
                "x".repeat(10241))) {
            assertThat(ecrError(() -> ecr.putRegistryPolicy(r -> r.policyText(bad)), InvalidParameterException.class))
                    .as("policy %s", bad.length() > 50 ? bad.substring(0, 50) : bad)
                    .startsWith("Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid registry policy provided'");
        }
        assertThat(ecrError(() -> ecr.putRegistryPolicy(r -> r.policyText(REGISTRY_POLICY.replace("ecr:ReplicateImage", "ecr:BatchGetImage"))),
                InvalidParameterException.class)).contains("ecr:BatchGetImage");
        ecrError(() -> ecr.getRegistryPolicy(r -> { }), RegistryPolicyNotFoundException.class);
    }

    @Test
    void repositoryPolicyIsStoredAndAnswered() {
        ecr.createRepository(r -> r.repositoryName("app"));
        String notFound = "Repository policy does not exist for the repository with name 'app' in the registry with id '" + ACCOUNT + "'";
        assertEcrError(() -> ecr.getRepositoryPolicy(r -> r.repositoryName("app")), RepositoryPolicyNotFoundException.class, notFound);

        var set = ecr.setRepositoryPolicy(r -> r.repositoryName("app").policyText(REPOSITORY_POLICY));
        assertThat(set.registryId()).isEqualTo(ACCOUNT);
        assertThat(set.repositoryName()).isEqualTo("app");
        assertThat(set.policyText()).isEqualTo(REPOSITORY_POLICY);
        assertThat(ecr.getRepositoryPolicy(r -> r.repositoryName("app")).policyText()).isEqualTo(REPOSITORY_POLICY);
        // The old Version and a single statement object are accepted too; a later policy replaces the earlier.
        String older = "{\"Version\":\"2008-10-17\",\"Statement\":{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"ecr:*\"}}";
        ecr.setRepositoryPolicy(r -> r.repositoryName("app").policyText(older).force(true));
        assertThat(ecr.getRepositoryPolicy(r -> r.repositoryName("app")).policyText()).isEqualTo(older);

        assertThat(ecr.deleteRepositoryPolicy(r -> r.repositoryName("app")).policyText()).isEqualTo(older);
        assertEcrError(() -> ecr.deleteRepositoryPolicy(r -> r.repositoryName("app")), RepositoryPolicyNotFoundException.class, notFound);
    }

    @Test
    void repositoryPolicyRefusals() {
        ecr.createRepository(r -> r.repositoryName("app"));
        for (String bad : List.of("{", "{\"Version\":\"2012-10-17\"}", REPOSITORY_POLICY.replace("\"Principal\"", "\"Who\""),
                REPOSITORY_POLICY.replace("\"Action\"", "\"Verb\""), REPOSITORY_POLICY.replace("Allow", "Maybe"))) {
            assertThat(ecrError(() -> ecr.setRepositoryPolicy(r -> r.repositoryName("app").policyText(bad)), InvalidParameterException.class))
                    .as("policy %s", bad)
                    .startsWith("Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'");
        }
        assertThat(ecrError(() -> ecr.setRepositoryPolicy(r -> r.repositoryName("app")
                .policyText(REPOSITORY_POLICY.replace("\"Principal\"", "\"Who\""))), InvalidParameterException.class)).contains("Principal");
        ecrError(() -> ecr.getRepositoryPolicy(r -> r.repositoryName("app")), RepositoryPolicyNotFoundException.class);
        assertEcrError(() -> ecr.setRepositoryPolicy(r -> r.repositoryName("nope").policyText(REPOSITORY_POLICY)),
                RepositoryNotFoundException.class, "The repository with name 'nope' does not exist in the registry with id '" + ACCOUNT + "'");
        ecrError(() -> ecr.getRepositoryPolicy(r -> r.repositoryName("nope")), RepositoryNotFoundException.class);
        ecrError(() -> ecr.deleteRepositoryPolicy(r -> r.repositoryName("nope")), RepositoryNotFoundException.class);
    }
}

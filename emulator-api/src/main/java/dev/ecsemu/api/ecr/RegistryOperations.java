package dev.ecsemu.api.ecr;

import dev.ecsemu.api.protocol.RequestContext;
import dev.ecsemu.core.ecr.PolicyDocument;
import dev.ecsemu.core.error.ApiException;
import dev.ecsemu.core.registry.AuthorizationTokens;
import dev.ecsemu.core.registry.Registry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;
import software.amazon.awssdk.services.ecr.model.DeleteRegistryPolicyRequest;
import software.amazon.awssdk.services.ecr.model.DeleteRegistryPolicyResponse;
import software.amazon.awssdk.services.ecr.model.DescribeRegistryRequest;
import software.amazon.awssdk.services.ecr.model.DescribeRegistryResponse;
import software.amazon.awssdk.services.ecr.model.GetAuthorizationTokenRequest;
import software.amazon.awssdk.services.ecr.model.GetAuthorizationTokenResponse;
import software.amazon.awssdk.services.ecr.model.GetRegistryPolicyRequest;
import software.amazon.awssdk.services.ecr.model.GetRegistryPolicyResponse;
import software.amazon.awssdk.services.ecr.model.PutRegistryPolicyRequest;
import software.amazon.awssdk.services.ecr.model.PutRegistryPolicyResponse;
import software.amazon.awssdk.services.ecr.model.RegistryPolicyNotFoundException;
import software.amazon.awssdk.services.ecr.model.ReplicationConfiguration;

/** GetAuthorizationToken, DescribeRegistry, PutRegistryPolicy, GetRegistryPolicy, DeleteRegistryPolicy. */
public final class RegistryOperations {
    private final Registry registry;
    private final Supplier<String> registryHost;

    public RegistryOperations(Registry registry, Supplier<String> registryHost) {
        this.registry = registry;
        this.registryHost = registryHost;
    }

    /**
     * A {@code docker login} password for the caller's account and region, valid 12 hours. The
     * proxy endpoint is the emulator's registry over plain HTTP; one entry per registry id asked
     * for (a deprecated parameter), else one.
     */
    public GetAuthorizationTokenResponse getAuthorizationToken(GetAuthorizationTokenRequest r, RequestContext ctx) {
        if (r.hasRegistryIds()) {
            EcrRequests.checkCount("registryIds", r.registryIds(), 1, 10);
            r.registryIds().forEach(EcrRequests::checkRegistryId);
        }
        AuthorizationTokens.Token token = registry.tokens().issue(ctx.scope().account(), ctx.scope().region());
        int entries = r.hasRegistryIds() ? r.registryIds().size() : 1;
        List<AuthorizationData> data = new ArrayList<>(entries);
        for (int i = 0; i < entries; i++) {
            data.add(AuthorizationData.builder()
                    .authorizationToken(token.authorizationToken())
                    .expiresAt(token.expiresAt())
                    .proxyEndpoint("http://" + registryHost.get())
                    .build());
        }
        return GetAuthorizationTokenResponse.builder().authorizationData(data).build();
    }

    /** The registry and its replication configuration: ecs-emu replicates nothing, so it has no rules. */
    public DescribeRegistryResponse describeRegistry(DescribeRegistryRequest r, RequestContext ctx) {
        return DescribeRegistryResponse.builder()
                .registryId(ctx.scope().account())
                .replicationConfiguration(ReplicationConfiguration.builder().rules(List.of()).build())
                .build();
    }

    public PutRegistryPolicyResponse putRegistryPolicy(PutRegistryPolicyRequest r, RequestContext ctx) {
        PolicyDocument.checkRegistryPolicy(r.policyText());
        return ctx.store().write(state -> {
            state.repositories().registryPolicyText(r.policyText());
            return PutRegistryPolicyResponse.builder().registryId(state.repositories().registryId()).policyText(r.policyText()).build();
        });
    }

    public GetRegistryPolicyResponse getRegistryPolicy(GetRegistryPolicyRequest r, RequestContext ctx) {
        return ctx.store().read(state -> GetRegistryPolicyResponse.builder()
                .registryId(state.repositories().registryId())
                .policyText(policy(state.repositories().registryPolicyText(), state.repositories().registryId()))
                .build());
    }

    public DeleteRegistryPolicyResponse deleteRegistryPolicy(DeleteRegistryPolicyRequest r, RequestContext ctx) {
        return ctx.store().write(state -> {
            String text = policy(state.repositories().registryPolicyText(), state.repositories().registryId());
            state.repositories().registryPolicyText(null);
            return DeleteRegistryPolicyResponse.builder().registryId(state.repositories().registryId()).policyText(text).build();
        });
    }

    private static String policy(String text, String registryId) {
        if (text == null) {
            throw ApiException.of(RegistryPolicyNotFoundException.class, "Registry policy does not exist in the registry with id '"
                    + registryId + "'");
        }
        return text;
    }
}

package dev.ecsemu.api.ecr;

import dev.ecsemu.api.protocol.RequestContext;
import dev.ecsemu.core.ecr.PolicyDocument;
import dev.ecsemu.core.ecr.Repository;
import dev.ecsemu.core.error.ApiException;
import software.amazon.awssdk.services.ecr.model.DeleteRepositoryPolicyRequest;
import software.amazon.awssdk.services.ecr.model.DeleteRepositoryPolicyResponse;
import software.amazon.awssdk.services.ecr.model.GetRepositoryPolicyRequest;
import software.amazon.awssdk.services.ecr.model.GetRepositoryPolicyResponse;
import software.amazon.awssdk.services.ecr.model.RepositoryPolicyNotFoundException;
import software.amazon.awssdk.services.ecr.model.SetRepositoryPolicyRequest;
import software.amazon.awssdk.services.ecr.model.SetRepositoryPolicyResponse;

/** SetRepositoryPolicy, GetRepositoryPolicy, DeleteRepositoryPolicy: checked and stored; the emulator enforces no permissions. */
public final class RepositoryPolicyOperations {

    public SetRepositoryPolicyResponse setRepositoryPolicy(SetRepositoryPolicyRequest r, RequestContext ctx) {
        PolicyDocument.checkRepositoryPolicy(r.policyText());
        return ctx.store().write(state -> {
            Repository repo = EcrRequests.repository(state, r.registryId(), r.repositoryName());
            repo.policyText(r.policyText());
            return SetRepositoryPolicyResponse.builder()
                    .registryId(repo.registryId()).repositoryName(repo.name()).policyText(repo.policyText()).build();
        });
    }

    public GetRepositoryPolicyResponse getRepositoryPolicy(GetRepositoryPolicyRequest r, RequestContext ctx) {
        return ctx.store().read(state -> {
            Repository repo = EcrRequests.repository(state, r.registryId(), r.repositoryName());
            return GetRepositoryPolicyResponse.builder()
                    .registryId(repo.registryId()).repositoryName(repo.name()).policyText(policy(repo)).build();
        });
    }

    public DeleteRepositoryPolicyResponse deleteRepositoryPolicy(DeleteRepositoryPolicyRequest r, RequestContext ctx) {
        return ctx.store().write(state -> {
            Repository repo = EcrRequests.repository(state, r.registryId(), r.repositoryName());
            String text = policy(repo);
            repo.policyText(null);
            return DeleteRepositoryPolicyResponse.builder()
                    .registryId(repo.registryId()).repositoryName(repo.name()).policyText(text).build();
        });
    }

    private static String policy(Repository repo) {
        if (repo.policyText() == null) {
            throw ApiException.of(RepositoryPolicyNotFoundException.class, "Repository policy does not exist for the repository with name '"
                    + repo.name() + "' in the registry with id '" + repo.registryId() + "'");
        }
        return repo.policyText();
    }
}

package dev.ecsemu.api.ecr;

import dev.ecsemu.api.protocol.RequestContext;
import dev.ecsemu.core.ecr.LifecyclePreview;
import dev.ecsemu.core.ecr.Repository;
import dev.ecsemu.core.ecr.RepositoryLifecycle;
import dev.ecsemu.core.ecr.lifecycle.LifecyclePolicy;
import dev.ecsemu.core.error.ApiException;
import dev.ecsemu.core.registry.Registry;
import dev.ecsemu.core.state.Page;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.ecr.model.DeleteLifecyclePolicyRequest;
import software.amazon.awssdk.services.ecr.model.DeleteLifecyclePolicyResponse;
import software.amazon.awssdk.services.ecr.model.GetLifecyclePolicyPreviewRequest;
import software.amazon.awssdk.services.ecr.model.GetLifecyclePolicyPreviewResponse;
import software.amazon.awssdk.services.ecr.model.GetLifecyclePolicyRequest;
import software.amazon.awssdk.services.ecr.model.GetLifecyclePolicyResponse;
import software.amazon.awssdk.services.ecr.model.ImageActionType;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyNotFoundException;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyPreviewNotFoundException;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyPreviewResult;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyPreviewStatus;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyPreviewSummary;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyRuleAction;
import software.amazon.awssdk.services.ecr.model.PutLifecyclePolicyRequest;
import software.amazon.awssdk.services.ecr.model.PutLifecyclePolicyResponse;
import software.amazon.awssdk.services.ecr.model.StartLifecyclePolicyPreviewRequest;
import software.amazon.awssdk.services.ecr.model.StartLifecyclePolicyPreviewResponse;
import software.amazon.awssdk.services.ecr.model.TagStatus;

/**
 * PutLifecyclePolicy, GetLifecyclePolicy, DeleteLifecyclePolicy, StartLifecyclePolicyPreview,
 * GetLifecyclePolicyPreview. A policy is checked as ECR checks it, and enforced when it is put,
 * and every hour after (ECR applies policies on its own schedule, within a day); a preview is computed at once, so it is COMPLETE when it starts.
 */
public final class LifecyclePolicyOperations {
    private final Registry registry;
    private final Clock clock;

    public LifecyclePolicyOperations(Registry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    public PutLifecyclePolicyResponse putLifecyclePolicy(PutLifecyclePolicyRequest r, RequestContext ctx) {
        LifecyclePolicy.parse(r.lifecyclePolicyText());
        PutLifecyclePolicyResponse response = ctx.store().write(state -> {
            Repository repo = EcrRequests.repository(state, r.registryId(), r.repositoryName());
            repo.lifecyclePolicy(r.lifecyclePolicyText(), clock.instant());
            return PutLifecyclePolicyResponse.builder()
                    .registryId(repo.registryId())
                    .repositoryName(repo.name())
                    .lifecyclePolicyText(repo.lifecyclePolicyText())
                    .build();
        });
        registry.applyLifecyclePolicy(ctx.scope(), r.repositoryName());
        return response;
    }

    public GetLifecyclePolicyResponse getLifecyclePolicy(GetLifecyclePolicyRequest r, RequestContext ctx) {
        return ctx.store().read(state -> {
            Repository repo = EcrRequests.repository(state, r.registryId(), r.repositoryName());
            return GetLifecyclePolicyResponse.builder()
                    .registryId(repo.registryId())
                    .repositoryName(repo.name())
                    .lifecyclePolicyText(policyText(repo))
                    .lastEvaluatedAt(repo.lifecyclePolicyEvaluatedAt())
                    .build();
        });
    }

    public DeleteLifecyclePolicyResponse deleteLifecyclePolicy(DeleteLifecyclePolicyRequest r, RequestContext ctx) {
        return ctx.store().write(state -> {
            Repository repo = EcrRequests.repository(state, r.registryId(), r.repositoryName());
            DeleteLifecyclePolicyResponse response = DeleteLifecyclePolicyResponse.builder()
                    .registryId(repo.registryId())
                    .repositoryName(repo.name())
                    .lifecyclePolicyText(policyText(repo))
                    .lastEvaluatedAt(repo.lifecyclePolicyEvaluatedAt())
                    .build();
            repo.lifecyclePolicy(null, clock.instant());
            return response;
        });
    }

    /** Previews the policy given (or the repository's own) on the images as they are now. */
    public StartLifecyclePolicyPreviewResponse startLifecyclePolicyPreview(StartLifecyclePolicyPreviewRequest r, RequestContext ctx) {
        if (r.lifecyclePolicyText() != null) {
            LifecyclePolicy.parse(r.lifecyclePolicyText());
        }
        return ctx.store().write(state -> {
            Repository repo = EcrRequests.repository(state, r.registryId(), r.repositoryName());
            String text = r.lifecyclePolicyText() != null ? r.lifecyclePolicyText() : policyText(repo);
            LifecyclePreview preview = RepositoryLifecycle.preview(repo, LifecyclePolicy.parse(text), clock.instant());
            return StartLifecyclePolicyPreviewResponse.builder()
                    .registryId(repo.registryId())
                    .repositoryName(repo.name())
                    .lifecyclePolicyText(preview.policyText())
                    .status(LifecyclePolicyPreviewStatus.COMPLETE)
                    .build();
        });
    }

    /** The last preview's results, optionally only for some images or tag status, paged; the summary counts them all. */
    public GetLifecyclePolicyPreviewResponse getLifecyclePolicyPreview(GetLifecyclePolicyPreviewRequest r, RequestContext ctx) {
        if (r.hasImageIds()) {
            EcrRequests.checkCount("imageIds", r.imageIds(), 1, 100);
        }
        return ctx.store().read(state -> {
            Repository repo = EcrRequests.repository(state, r.registryId(), r.repositoryName());
            LifecyclePreview preview = repo.lifecyclePreview();
            if (preview == null) {
                throw ApiException.of(LifecyclePolicyPreviewNotFoundException.class, "There is no lifecycle policy preview for the"
                        + " repository with name '" + repo.name() + "' in the registry with id '" + repo.registryId()
                        + "'. Start one with StartLifecyclePolicyPreview.");
            }
            TagStatus tagStatus = r.filter() == null ? null : r.filter().tagStatus();
            Set<String> digests = new HashSet<>();
            Set<String> tags = new HashSet<>();
            if (r.hasImageIds()) {
                for (ImageIdentifier id : r.imageIds()) {
                    if (id.imageDigest() != null) {
                        digests.add(id.imageDigest());
                    }
                    if (id.imageTag() != null) {
                        tags.add(id.imageTag());
                    }
                }
            }
            List<LifecyclePreview.Result> selected = new ArrayList<>();
            for (LifecyclePreview.Result result : preview.results()) {
                boolean tagged = !result.imageTags().isEmpty();
                boolean named = !r.hasImageIds() || digests.contains(result.imageDigest())
                        || result.imageTags().stream().anyMatch(tags::contains);
                if (named && (tagStatus == null || tagStatus == TagStatus.ANY || (tagStatus == TagStatus.TAGGED) == tagged)) {
                    selected.add(result);
                }
            }
            selected.sort(java.util.Comparator.comparing(LifecyclePreview.Result::imageDigest));
            Page<LifecyclePreview.Result> page = Page.of(selected, LifecyclePreview.Result::imageDigest, r.maxResults(), r.nextToken(),
                    100, 100);
            List<LifecyclePolicyPreviewResult> results = new ArrayList<>();
            for (LifecyclePreview.Result result : page.items()) {
                results.add(LifecyclePolicyPreviewResult.builder()
                        .imageDigest(result.imageDigest())
                        .imageTags(result.imageTags().isEmpty() ? null : result.imageTags())
                        .imagePushedAt(result.imagePushedAt())
                        .action(LifecyclePolicyRuleAction.builder().type(ImageActionType.EXPIRE).build())
                        .appliedRulePriority(result.appliedRulePriority())
                        .build());
            }
            return GetLifecyclePolicyPreviewResponse.builder()
                    .registryId(repo.registryId())
                    .repositoryName(repo.name())
                    .lifecyclePolicyText(preview.policyText())
                    .status(LifecyclePolicyPreviewStatus.COMPLETE)
                    .previewResults(results)
                    .nextToken(page.nextToken())
                    .summary(LifecyclePolicyPreviewSummary.builder().expiringImageTotalCount(preview.results().size()).build())
                    .build();
        });
    }

    private static String policyText(Repository repo) {
        if (repo.lifecyclePolicyText() == null) {
            throw ApiException.of(LifecyclePolicyNotFoundException.class, "Lifecycle policy does not exist for the repository with name '"
                    + repo.name() + "' in the registry with id '" + repo.registryId() + "'");
        }
        return repo.lifecyclePolicyText();
    }
}

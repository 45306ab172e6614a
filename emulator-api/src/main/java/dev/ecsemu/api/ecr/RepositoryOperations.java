package dev.ecsemu.api.ecr;

import dev.ecsemu.api.protocol.RequestContext;
import dev.ecsemu.core.ecr.Repository;
import dev.ecsemu.core.registry.Registry;
import dev.ecsemu.core.state.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ecr.model.CreateRepositoryRequest;
import software.amazon.awssdk.services.ecr.model.CreateRepositoryResponse;
import software.amazon.awssdk.services.ecr.model.DeleteRepositoryRequest;
import software.amazon.awssdk.services.ecr.model.DeleteRepositoryResponse;
import software.amazon.awssdk.services.ecr.model.DescribeRepositoriesRequest;
import software.amazon.awssdk.services.ecr.model.DescribeRepositoriesResponse;
import software.amazon.awssdk.services.ecr.model.EncryptionConfiguration;
import software.amazon.awssdk.services.ecr.model.EncryptionType;
import software.amazon.awssdk.services.ecr.model.ImageScanningConfiguration;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.ImageTagMutabilityExclusionFilter;
import software.amazon.awssdk.services.ecr.model.PutImageScanningConfigurationRequest;
import software.amazon.awssdk.services.ecr.model.PutImageScanningConfigurationResponse;
import software.amazon.awssdk.services.ecr.model.PutImageTagMutabilityRequest;
import software.amazon.awssdk.services.ecr.model.PutImageTagMutabilityResponse;

/** CreateRepository, DescribeRepositories, DeleteRepository, PutImageTagMutability, PutImageScanningConfiguration. */
public final class RepositoryOperations {
    private static final Pattern EXCLUSION_FILTER = Pattern.compile("[0-9a-zA-Z._*-]{1,128}");

    private final Registry registry;
    private final Supplier<String> registryHost;

    public RepositoryOperations(Registry registry, Supplier<String> registryHost) {
        this.registry = registry;
        this.registryHost = registryHost;
    }

    public CreateRepositoryResponse createRepository(CreateRepositoryRequest r, RequestContext ctx) {
        EcrRequests.checkRegistryId(r.registryId());
        EcrRequests.checkName(r.repositoryName());
        checkMutability(r.imageTagMutability(), r.hasImageTagMutabilityExclusionFilters() ? r.imageTagMutabilityExclusionFilters() : null);
        checkEncryption(r.encryptionConfiguration());
        Map<String, String> tags = TagOperations.checked(r.tags());
        return ctx.store().write(state -> {
            if (r.registryId() != null && !r.registryId().equals(state.repositories().registryId())) {
                throw EcrRequests.invalidParameter("Invalid parameter at 'registryId': ecs-emu creates repositories only in the caller's"
                        + " own registry, " + state.repositories().registryId() + "; leave registryId out.");
            }
            Repository repo = state.repositories().create(r.repositoryName(), r.imageTagMutability(),
                    r.imageTagMutabilityExclusionFilters(), scanning(r.imageScanningConfiguration()), r.encryptionConfiguration());
            repo.tagResource(tags);
            return CreateRepositoryResponse.builder().repository(EcrViews.repository(repo, ctx.scope(), registryHost.get())).build();
        });
    }

    public DescribeRepositoriesResponse describeRepositories(DescribeRepositoriesRequest r, RequestContext ctx) {
        EcrRequests.checkRegistryId(r.registryId());
        if (r.hasRepositoryNames()) {
            EcrRequests.checkCount("repositoryNames", r.repositoryNames(), 1, 100);
            EcrRequests.checkNoPaging("repositoryNames", r.maxResults(), r.nextToken());
        }
        return ctx.store().read(state -> {
            String host = registryHost.get();
            List<software.amazon.awssdk.services.ecr.model.Repository> out = new ArrayList<>();
            if (r.hasRepositoryNames()) {
                for (String name : r.repositoryNames()) {
                    out.add(EcrViews.repository(EcrRequests.repository(state, r.registryId(), name), ctx.scope(), host));
                }
                return DescribeRepositoriesResponse.builder().repositories(out).build();
            }
            if (r.registryId() != null && !r.registryId().equals(state.repositories().registryId())) {
                return DescribeRepositoriesResponse.builder().repositories(out).build();
            }
            Page<Repository> page = Page.of(state.repositories().all(), Repository::name, r.maxResults(), r.nextToken(), 100, 1000);
            page.items().forEach(repo -> out.add(EcrViews.repository(repo, ctx.scope(), host)));
            return DescribeRepositoriesResponse.builder().repositories(out).nextToken(page.nextToken()).build();
        });
    }

    public DeleteRepositoryResponse deleteRepository(DeleteRepositoryRequest r, RequestContext ctx) {
        DeleteRepositoryResponse response = ctx.store().write(state -> {
            EcrRequests.repository(state, r.registryId(), r.repositoryName());
            Repository repo = state.repositories().delete(r.repositoryName(), Boolean.TRUE.equals(r.force()));
            return DeleteRepositoryResponse.builder().repository(EcrViews.repository(repo, ctx.scope(), registryHost.get())).build();
        });
        // Its images' blobs that no other repository holds go now.
        registry.collectGarbage();
        return response;
    }

    public PutImageTagMutabilityResponse putImageTagMutability(PutImageTagMutabilityRequest r, RequestContext ctx) {
        List<ImageTagMutabilityExclusionFilter> filters = r.hasImageTagMutabilityExclusionFilters()
                ? r.imageTagMutabilityExclusionFilters() : null;
        checkMutability(r.imageTagMutability(), filters);
        return ctx.store().write(state -> {
            Repository repo = EcrRequests.repository(state, r.registryId(), r.repositoryName());
            repo.imageTagMutability(r.imageTagMutability(), filters);
            return PutImageTagMutabilityResponse.builder()
                    .registryId(repo.registryId())
                    .repositoryName(repo.name())
                    .imageTagMutability(repo.imageTagMutability())
                    .imageTagMutabilityExclusionFilters(filters)
                    .build();
        });
    }

    public PutImageScanningConfigurationResponse putImageScanningConfiguration(PutImageScanningConfigurationRequest r,
            RequestContext ctx) {
        return ctx.store().write(state -> {
            Repository repo = EcrRequests.repository(state, r.registryId(), r.repositoryName());
            repo.imageScanningConfiguration(scanning(r.imageScanningConfiguration()));
            return PutImageScanningConfigurationResponse.builder()
                    .registryId(repo.registryId())
                    .repositoryName(repo.name())
                    .imageScanningConfiguration(repo.imageScanningConfiguration())
                    .build();
        });
    }

    /** The {@code *_WITH_EXCLUSION} settings take 1 to 5 WILDCARD filters; the others none. */
    static void checkMutability(ImageTagMutability mutability, List<ImageTagMutabilityExclusionFilter> filters) {
        boolean withExclusion = mutability == ImageTagMutability.IMMUTABLE_WITH_EXCLUSION
                || mutability == ImageTagMutability.MUTABLE_WITH_EXCLUSION;
        if (withExclusion && filters == null) {
            throw EcrRequests.invalidParameter("Invalid parameter at 'imageTagMutabilityExclusionFilters' failed to satisfy constraint:"
                    + " 'ImageTagMutabilityExclusionFilters can't be null when imageTagMutability is set as " + mutability + "'");
        }
        if (!withExclusion && filters != null) {
            throw EcrRequests.invalidParameter("Invalid parameter at 'imageTagMutabilityExclusionFilters' failed to satisfy constraint:"
                    + " 'ImageTagMutabilityExclusionFilters must be null when imageTagMutability is set as "
                    + (mutability == null ? ImageTagMutability.MUTABLE : mutability)
                    + "'; use MUTABLE_WITH_EXCLUSION or IMMUTABLE_WITH_EXCLUSION with filters");
        }
        if (filters != null) {
            EcrRequests.checkCount("imageTagMutabilityExclusionFilters", filters, 1, 5);
            for (ImageTagMutabilityExclusionFilter f : filters) {
                if (!EXCLUSION_FILTER.matcher(f.filter()).matches()) {
                    throw EcrRequests.invalidParameter("Invalid parameter at 'imageTagMutabilityExclusionFilters.filter' failed to satisfy"
                            + " constraint: 'Member must satisfy regular expression pattern: ^[0-9a-zA-Z._*-]{1,128}$' (was '"
                            + f.filter() + "')");
                }
            }
        }
    }

    /** scanOnPush left out means false, as ECR reports it. */
    private static ImageScanningConfiguration scanning(ImageScanningConfiguration requested) {
        return requested == null ? null : requested.toBuilder().scanOnPush(Boolean.TRUE.equals(requested.scanOnPush())).build();
    }

    /** A KMS key belongs only to KMS encryption. */
    private static void checkEncryption(EncryptionConfiguration encryption) {
        if (encryption != null && encryption.encryptionType() == EncryptionType.AES256 && encryption.kmsKey() != null) {
            throw EcrRequests.invalidParameter("Invalid parameter at 'encryptionConfiguration' failed to satisfy constraint: 'KMS key"
                    + " should not be specified when encryptionType is AES256'; use encryptionType KMS with a kmsKey");
        }
        if (encryption != null) {
            EcrRequests.checkLength("encryptionConfiguration.kmsKey", encryption.kmsKey(), 1, 2048);
        }
    }
}

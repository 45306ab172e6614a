package dev.ecsemu.api.ecr;

import dev.ecsemu.api.protocol.RequestContext;
import dev.ecsemu.core.arn.Arn;
import dev.ecsemu.core.ecr.Repository;
import dev.ecsemu.core.error.ApiException;
import dev.ecsemu.core.state.RegionState;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ecr.model.InvalidTagParameterException;
import software.amazon.awssdk.services.ecr.model.ListTagsForResourceRequest;
import software.amazon.awssdk.services.ecr.model.ListTagsForResourceResponse;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecr.model.Tag;
import software.amazon.awssdk.services.ecr.model.TagResourceRequest;
import software.amazon.awssdk.services.ecr.model.TagResourceResponse;
import software.amazon.awssdk.services.ecr.model.TooManyTagsException;
import software.amazon.awssdk.services.ecr.model.UntagResourceRequest;
import software.amazon.awssdk.services.ecr.model.UntagResourceResponse;

/** TagResource, UntagResource, ListTagsForResource on repositories (the only ECR resource that has tags). */
public final class TagOperations {
    private static final int MAX_TAGS = 50;
    private static final int MAX_KEY = 128;
    private static final int MAX_VALUE = 256;

    public TagResourceResponse tagResource(TagResourceRequest r, RequestContext ctx) {
        Map<String, String> tags = checked(r.tags());
        return ctx.store().write(state -> {
            Repository repo = repository(state, r.resourceArn());
            Map<String, String> merged = repo.resourceTags();
            merged.putAll(tags);
            if (merged.size() > MAX_TAGS) {
                throw tooMany(merged.size());
            }
            repo.tagResource(tags);
            return TagResourceResponse.builder().build();
        });
    }

    public UntagResourceResponse untagResource(UntagResourceRequest r, RequestContext ctx) {
        for (String key : r.tagKeys()) {
            checkKey(key);
        }
        return ctx.store().write(state -> {
            repository(state, r.resourceArn()).untagResource(r.tagKeys());
            return UntagResourceResponse.builder().build();
        });
    }

    public ListTagsForResourceResponse listTagsForResource(ListTagsForResourceRequest r, RequestContext ctx) {
        return ctx.store().read(state -> ListTagsForResourceResponse.builder()
                .tags(EcrViews.tags(repository(state, r.resourceArn()).resourceTags()))
                .build());
    }

    /** The repository an ARN {@code arn:aws:ecr:<region>:<account>:repository/<name>} of the caller's registry names. */
    private static Repository repository(RegionState state, String resourceArn) {
        Optional<Arn> arn = Arn.parse(resourceArn).filter(a -> a.service().equals("ecr") && a.resource().startsWith("repository/"));
        if (arn.isEmpty()) {
            throw EcrRequests.invalidParameter("Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN'"
                    + " (a repository ARN is arn:aws:ecr:<region>:<account>:repository/<name>; was '" + resourceArn + "')");
        }
        String name = arn.get().resource().substring("repository/".length());
        Repository repo = state.repositories().find(name).orElse(null);
        if (repo == null || !repo.arn().equals(resourceArn)) {
            throw ApiException.of(RepositoryNotFoundException.class, "The repository with name '" + name
                    + "' does not exist in the registry with id '" + arn.get().account() + "'");
        }
        return repo;
    }

    /** Tags as ECR accepts them, checked before anything changes: at most 50, keys 1-128 characters not starting with aws:, values up to 256. */
    static Map<String, String> checked(Collection<Tag> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        if (tags == null) {
            return out;
        }
        for (Tag tag : tags) {
            checkKey(tag.key());
            String value = tag.value() == null ? "" : tag.value();
            if (value.length() > MAX_VALUE) {
                throw ApiException.of(InvalidTagParameterException.class, "The value of tag '" + tag.key() + "' is " + value.length()
                        + " characters long; tag values may have at most " + MAX_VALUE + ".");
            }
            out.put(tag.key(), value);
        }
        if (out.size() > MAX_TAGS) {
            throw tooMany(out.size());
        }
        return out;
    }

    private static void checkKey(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY) {
            throw ApiException.of(InvalidTagParameterException.class, "Tag keys must be 1 to " + MAX_KEY + " characters long"
                    + (key == null ? "." : "; '" + key + "' has " + key.length() + "."));
        }
        if (key.regionMatches(true, 0, "aws:", 0, 4)) {
            throw ApiException.of(InvalidTagParameterException.class, "Tag keys may not begin with 'aws:', which is reserved for AWS use: "
                    + key);
        }
    }

    private static ApiException tooMany(int n) {
        return ApiException.of(TooManyTagsException.class, "A repository can have at most " + MAX_TAGS + " tags; this would give it "
                + n + ".");
    }
}

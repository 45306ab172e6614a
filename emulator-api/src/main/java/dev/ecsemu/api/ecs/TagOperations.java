package dev.ecsemu.api.ecs;

import dev.ecsemu.api.protocol.RequestContext;
import dev.ecsemu.core.tag.Tags;
import software.amazon.awssdk.services.ecs.model.ListTagsForResourceRequest;
import software.amazon.awssdk.services.ecs.model.ListTagsForResourceResponse;
import software.amazon.awssdk.services.ecs.model.TagResourceRequest;
import software.amazon.awssdk.services.ecs.model.TagResourceResponse;
import software.amazon.awssdk.services.ecs.model.UntagResourceRequest;
import software.amazon.awssdk.services.ecs.model.UntagResourceResponse;

/** TagResource, UntagResource, ListTagsForResource for every ECS resource the emulator holds. */
public final class TagOperations {

    public TagResourceResponse tagResource(TagResourceRequest r, RequestContext ctx) {
        Tags.validate(r.tags());
        return ctx.store().write(state -> {
            state.requireTaggable(r.resourceArn());
            state.tags().tag(r.resourceArn(), r.tags());
            return TagResourceResponse.builder().build();
        });
    }

    public UntagResourceResponse untagResource(UntagResourceRequest r, RequestContext ctx) {
        return ctx.store().write(state -> {
            state.requireTaggable(r.resourceArn());
            state.tags().untag(r.resourceArn(), r.tagKeys());
            return UntagResourceResponse.builder().build();
        });
    }

    public ListTagsForResourceResponse listTagsForResource(ListTagsForResourceRequest r, RequestContext ctx) {
        return ctx.store().read(state -> {
            state.requireTaggable(r.resourceArn());
            return ListTagsForResourceResponse.builder().tags(state.tags().of(r.resourceArn())).build();
        });
    }
}

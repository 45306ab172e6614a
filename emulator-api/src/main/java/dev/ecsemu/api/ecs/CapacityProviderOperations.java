package dev.ecsemu.api.ecs;

import dev.ecsemu.api.protocol.RequestContext;
import dev.ecsemu.core.capacity.CapacityProvider;
import dev.ecsemu.core.capacity.CapacityProviders;
import dev.ecsemu.core.error.ApiException;
import dev.ecsemu.core.error.EcsErrors;
import dev.ecsemu.core.state.Page;
import dev.ecsemu.core.state.RegionState;
import dev.ecsemu.core.tag.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.CapacityProviderField;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStatus;
import software.amazon.awssdk.services.ecs.model.CapacityProviderType;
import software.amazon.awssdk.services.ecs.model.CreateCapacityProviderRequest;
import software.amazon.awssdk.services.ecs.model.CreateCapacityProviderResponse;
import software.amazon.awssdk.services.ecs.model.DeleteCapacityProviderRequest;
import software.amazon.awssdk.services.ecs.model.DeleteCapacityProviderResponse;
import software.amazon.awssdk.services.ecs.model.DescribeCapacityProvidersRequest;
import software.amazon.awssdk.services.ecs.model.DescribeCapacityProvidersResponse;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.UnsupportedFeatureException;
import software.amazon.awssdk.services.ecs.model.UpdateCapacityProviderRequest;
import software.amazon.awssdk.services.ecs.model.UpdateCapacityProviderResponse;

/** CreateCapacityProvider, DescribeCapacityProviders, UpdateCapacityProvider, DeleteCapacityProvider. */
public final class CapacityProviderOperations {
    private static final int MAX_DESCRIBE = 100;
    private static final int MAX_PAGE = 10;

    public CreateCapacityProviderResponse createCapacityProvider(CreateCapacityProviderRequest r, RequestContext ctx) {
        refuseManagedInstances(r.managedInstancesProvider() != null);
        Tags.validate(r.tags());
        return ctx.store().write(state -> {
            CapacityProvider provider = state.capacityProviders().create(r.name(), r.autoScalingGroupProvider(), r.tags());
            state.tags().forget(provider.arn());
            state.tags().tag(provider.arn(), r.tags());
            return CreateCapacityProviderResponse.builder().capacityProvider(view(state, provider, true)).build();
        });
    }

    public UpdateCapacityProviderResponse updateCapacityProvider(UpdateCapacityProviderRequest r, RequestContext ctx) {
        refuseManagedInstances(r.managedInstancesProvider() != null);
        return ctx.store().write(state -> {
            CapacityProvider provider = asgProvider(state, r.name());
            state.capacityProviders().update(provider, r.autoScalingGroupProvider());
            return UpdateCapacityProviderResponse.builder().capacityProvider(view(state, provider, false)).build();
        });
    }

    public DeleteCapacityProviderResponse deleteCapacityProvider(DeleteCapacityProviderRequest r, RequestContext ctx) {
        return ctx.store().write(state -> {
            CapacityProvider provider = state.deleteCapacityProvider(r.capacityProvider());
            DeleteCapacityProviderResponse answer = DeleteCapacityProviderResponse.builder()
                    .capacityProvider(view(state, provider, false)).build();
            if (provider.updateStatus() == software.amazon.awssdk.services.ecs.model.CapacityProviderUpdateStatus.DELETE_IN_PROGRESS) {
                // Nothing to tear down in the emulator: the deletion completes before the next read.
                state.capacityProviders().deleted(provider);
            }
            return answer;
        });
    }

    public DescribeCapacityProvidersResponse describeCapacityProviders(DescribeCapacityProvidersRequest r, RequestContext ctx) {
        if (r.capacityProviders().size() > MAX_DESCRIBE) {
            throw EcsErrors.invalidParameter("DescribeCapacityProviders takes at most " + MAX_DESCRIBE + " capacity providers; "
                    + r.capacityProviders().size() + " were given.");
        }
        boolean withTags = r.include().contains(CapacityProviderField.TAGS);
        return ctx.store().read(state -> {
            List<software.amazon.awssdk.services.ecs.model.CapacityProvider> found = new ArrayList<>();
            List<Failure> failures = new ArrayList<>();
            if (!r.capacityProviders().isEmpty()) {
                for (String ref : r.capacityProviders()) {
                    Optional<software.amazon.awssdk.services.ecs.model.CapacityProvider> view = describe(state, ref, withTags);
                    if (view.isPresent()) {
                        found.add(view.get());
                    } else {
                        failures.add(Failure.builder().arn(ref.startsWith("arn:") ? ref : state.capacityProviders().arnOf(ref))
                                .reason("MISSING").build());
                    }
                }
                return DescribeCapacityProvidersResponse.builder().capacityProviders(found).failures(failures).build();
            }
            // Listing: FARGATE and FARGATE_SPOT first, as ECS lists them, then the account's providers by name.
            List<software.amazon.awssdk.services.ecs.model.CapacityProvider> all = new ArrayList<>();
            all.add(builtIn(state, CapacityProviders.FARGATE));
            all.add(builtIn(state, CapacityProviders.FARGATE_SPOT));
            for (CapacityProvider p : state.capacityProviders().listActive()) {
                all.add(view(state, p, withTags));
            }
            List<String> order = new ArrayList<>();
            all.forEach(p -> order.add(p.name()));
            Page<software.amazon.awssdk.services.ecs.model.CapacityProvider> page = Page.of(all,
                    p -> String.format("%04d", order.indexOf(p.name())), r.maxResults(), r.nextToken(), MAX_PAGE, MAX_PAGE);
            return DescribeCapacityProvidersResponse.builder().capacityProviders(page.items()).nextToken(page.nextToken()).build();
        });
    }

    private static Optional<software.amazon.awssdk.services.ecs.model.CapacityProvider> describe(RegionState state, String ref,
            boolean withTags) {
        if (CapacityProviders.BUILT_IN.contains(ref)) {
            return Optional.of(builtIn(state, ref));
        }
        return state.capacityProviders().find(ref).map(p -> view(state, p, withTags));
    }

    private static CapacityProvider asgProvider(RegionState state, String ref) {
        if (ref != null && CapacityProviders.BUILT_IN.contains(ref)) {
            throw EcsErrors.invalidParameter("The FARGATE and FARGATE_SPOT capacity providers are reserved and cannot be updated.");
        }
        return state.capacityProviders().active(ref).orElseThrow(() -> EcsErrors.invalidParameter(
                "The specified capacity provider does not exist. Specify a valid name or ARN and try again."));
    }

    private static void refuseManagedInstances(boolean given) {
        if (given) {
            throw ApiException.of(UnsupportedFeatureException.class, "ecs-emu does not emulate Amazon ECS Managed Instances capacity"
                    + " providers; give autoScalingGroupProvider instead of managedInstancesProvider.");
        }
    }

    static software.amazon.awssdk.services.ecs.model.CapacityProvider view(RegionState state, CapacityProvider p, boolean withTags) {
        var b = software.amazon.awssdk.services.ecs.model.CapacityProvider.builder()
                .capacityProviderArn(p.arn())
                .name(p.name())
                .status(p.status())
                .type(CapacityProviderType.EC2_AUTOSCALING)
                .autoScalingGroupProvider(p.autoScalingGroupProvider())
                .updateStatus(p.updateStatus())
                .updateStatusReason(p.updateStatusReason());
        if (withTags) {
            b.tags(state.tags().of(p.arn()));
        }
        return b.build();
    }

    private static software.amazon.awssdk.services.ecs.model.CapacityProvider builtIn(RegionState state, String name) {
        return software.amazon.awssdk.services.ecs.model.CapacityProvider.builder()
                .capacityProviderArn(state.capacityProviders().arnOf(name))
                .name(name)
                .status(CapacityProviderStatus.ACTIVE)
                .type(name.equals(CapacityProviders.FARGATE) ? CapacityProviderType.FARGATE : CapacityProviderType.FARGATE_SPOT)
                .build();
    }
}

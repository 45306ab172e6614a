package dev.ecsemu.api.ecs;

import dev.ecsemu.api.protocol.RequestContext;
import dev.ecsemu.core.arn.Arn;
import dev.ecsemu.core.cluster.CapacityProviderStrategies;
import dev.ecsemu.core.cluster.Cluster;
import dev.ecsemu.core.error.ApiException;
import dev.ecsemu.core.error.EcsErrors;
import dev.ecsemu.core.fargate.Fargate;
import dev.ecsemu.core.service.Service;
import dev.ecsemu.core.service.ServiceController;
import dev.ecsemu.core.service.ServiceRevision;
import dev.ecsemu.core.service.ServiceRules;
import dev.ecsemu.core.service.Services;
import dev.ecsemu.core.state.Page;
import dev.ecsemu.core.tag.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.CreateServiceResponse;
import software.amazon.awssdk.services.ecs.model.DeleteServiceRequest;
import software.amazon.awssdk.services.ecs.model.DeleteServiceResponse;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DescribeServicesRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.ListServicesByNamespaceRequest;
import software.amazon.awssdk.services.ecs.model.ListServicesByNamespaceResponse;
import software.amazon.awssdk.services.ecs.model.ListServicesRequest;
import software.amazon.awssdk.services.ecs.model.ListServicesResponse;
import software.amazon.awssdk.services.ecs.model.NamespaceNotFoundException;
import software.amazon.awssdk.services.ecs.model.PropagateTags;
import software.amazon.awssdk.services.ecs.model.SchedulingStrategy;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;
import software.amazon.awssdk.services.ecs.model.UpdateServiceResponse;

/** CreateService, UpdateService, DeleteService, DescribeServices, ListServices, ListServicesByNamespace. */
public final class ServiceOperations {
    private static final int MAX_DESCRIBE = 10;

    private final ServiceController scheduler;

    public ServiceOperations(ServiceController scheduler) {
        this.scheduler = scheduler;
    }

    public CreateServiceResponse createService(CreateServiceRequest r, RequestContext ctx) {
        Tags.validate(r.tags());
        SchedulingStrategy strategy = ServiceRules.schedulingStrategy(r.schedulingStrategy());
        int desired = ServiceRules.desiredCount(strategy, r.desiredCount());
        DeploymentConfiguration deployment = ServiceRules.deploymentConfiguration(strategy, r.deploymentConfiguration(), null);
        Service.Settings settings = new Service.Settings(desired, deployment, r.placementConstraints(),
                ServiceRules.placementStrategy(strategy, r.placementStrategy()), ServiceRules.gracePeriod(r.healthCheckGracePeriodSeconds(), 0),
                r.propagateTags() == null ? PropagateTags.NONE : r.propagateTags(), Boolean.TRUE.equals(r.enableECSManagedTags()),
                Boolean.TRUE.equals(r.enableExecuteCommand()), r.serviceConnectConfiguration());
        var controller = ServiceRules.controller(r.deploymentController());
        CreateServiceResponse response = ctx.store().write(state -> {
            Cluster cluster = state.clusters().active(r.cluster());
            Optional<Service> retried = r.clientToken() == null ? Optional.empty() : state.services().find(cluster, r.serviceName())
                    .filter(s -> s.isActive() && r.clientToken().equals(s.clientToken()));
            if (retried.isPresent()) {
                return CreateServiceResponse.builder().service(ServiceView.of(state, retried.get(), false)).build();
            }
            CapacityProviderStrategies.Target target = ServiceRules.placementTarget(cluster, r.launchType(), r.capacityProviderStrategy(),
                    strategy);
            TaskDefinition td = ServiceRules.taskDefinition(state, r.taskDefinition());
            // A strategy of Auto Scaling group providers runs EC2 tasks, one of FARGATE/FARGATE_SPOT Fargate tasks.
            LaunchType launchType = target.effectiveLaunchType();
            // A Fargate service keeps LATEST (its tasks report what it resolves to).
            String platformVersion = r.platformVersion() == null && launchType == LaunchType.FARGATE ? Fargate.LATEST : r.platformVersion();
            ServiceRevision.Config config = new ServiceRevision.Config(td, launchType, target.strategy(), platformVersion,
                    r.loadBalancers(), r.serviceRegistries(), r.networkConfiguration());
            ServiceRules.checkLaunch(td, config, settings.placementConstraints(), settings.placementStrategy());
            ServiceRules.checkPlacement(state, td, settings.placementConstraints(), settings.placementStrategy());
            Service service = state.services().create(cluster, new Services.Spec(r.serviceName(), config, settings, strategy, controller,
                    r.role() == null ? null : roleArn(ctx, r.role()), r.clientToken()));
            state.tags().forget(service.arn());
            state.tags().tag(service.arn(), r.tags());
            return CreateServiceResponse.builder().service(ServiceView.of(state, service, false)).build();
        });
        scheduler.kick(ctx.scope());
        return response;
    }

    private static String roleArn(RequestContext ctx, String role) {
        return role.startsWith("arn:") ? role : "arn:aws:iam::" + ctx.scope().account() + ":role/" + role;
    }

    public UpdateServiceResponse updateService(UpdateServiceRequest r, RequestContext ctx) {
        UpdateServiceResponse response = ctx.store().write(state -> {
            Cluster cluster = state.clusters().active(r.cluster());
            Service service = state.services().find(cluster, r.service()).orElseThrow(EcsErrors::serviceNotFound);
            if (!service.isActive()) {
                throw EcsErrors.serviceNotActive();
            }
            Service.Settings current = service.settings();
            SchedulingStrategy strategy = service.schedulingStrategy();
            int desired = current.desiredCount();
            if (r.desiredCount() != null) {
                if (service.isDaemon()) {
                    throw ServiceRules.daemonDesiredCount();
                }
                desired = ServiceRules.checkedCount(r.desiredCount());
            }
            if (r.deploymentController() != null) {
                ServiceRules.controller(r.deploymentController());
            }
            ServiceRevision.Config was = service.revision().config();
            TaskDefinition td = r.taskDefinition() == null ? was.taskDefinition() : ServiceRules.taskDefinition(state, r.taskDefinition());
            CapacityProviderStrategies.Target target = r.hasCapacityProviderStrategy()
                    ? ServiceRules.placementTarget(cluster, null, r.capacityProviderStrategy(), strategy)
                    : new CapacityProviderStrategies.Target(was.capacityProviderStrategy().isEmpty() ? was.launchType() : null,
                            was.capacityProviderStrategy());
            if (r.hasCapacityProviderStrategy() && !target.strategy().equals(was.capacityProviderStrategy())
                    && !Boolean.TRUE.equals(r.forceNewDeployment())) {
                throw ServiceRules.strategyChangeNeedsNewDeployment();
            }
            LaunchType launchType = target.effectiveLaunchType();
            ServiceRevision.Config config = new ServiceRevision.Config(td, launchType, target.strategy(),
                    r.platformVersion() != null ? r.platformVersion() : was.platformVersion(),
                    r.hasLoadBalancers() ? r.loadBalancers() : was.loadBalancers(),
                    r.hasServiceRegistries() ? r.serviceRegistries() : was.serviceRegistries(),
                    r.networkConfiguration() != null ? r.networkConfiguration() : was.networkConfiguration());
            Service.Settings settings = new Service.Settings(desired,
                    ServiceRules.deploymentConfiguration(strategy, r.deploymentConfiguration(), current.deploymentConfiguration()),
                    r.hasPlacementConstraints() ? r.placementConstraints() : current.placementConstraints(),
                    r.hasPlacementStrategy() ? ServiceRules.placementStrategy(strategy, r.placementStrategy()) : current.placementStrategy(),
                    ServiceRules.gracePeriod(r.healthCheckGracePeriodSeconds(), current.healthCheckGracePeriodSeconds()),
                    r.propagateTags() != null ? r.propagateTags() : current.propagateTags(),
                    r.enableECSManagedTags() != null ? r.enableECSManagedTags() : current.enableECSManagedTags(),
                    r.enableExecuteCommand() != null ? r.enableExecuteCommand() : current.enableExecuteCommand(),
                    r.serviceConnectConfiguration() != null ? r.serviceConnectConfiguration() : current.serviceConnectConfiguration());
            ServiceRules.checkLaunch(td, config, settings.placementConstraints(), settings.placementStrategy());
            ServiceRules.checkPlacement(state, td, settings.placementConstraints(), settings.placementStrategy());
            // Service Connect is a setting, but, as in ECS, changing it needs a new deployment.
            boolean serviceConnectChanged = !Objects.equals(settings.serviceConnectConfiguration(),
                    current.serviceConnectConfiguration());
            // Everything is checked: from here on the update applies whole.
            state.services().update(service, settings);
            if (config.differsFrom(was) || serviceConnectChanged || Boolean.TRUE.equals(r.forceNewDeployment())) {
                state.services().deploy(service, config);
            }
            return UpdateServiceResponse.builder().service(ServiceView.of(state, service, false)).build();
        });
        scheduler.kick(ctx.scope());
        return response;
    }

    public DeleteServiceResponse deleteService(DeleteServiceRequest r, RequestContext ctx) {
        DeleteServiceResponse response = ctx.store().write(state -> {
            Cluster cluster = state.clusters().active(r.cluster());
            Service service = state.services().find(cluster, r.service()).orElseThrow(EcsErrors::serviceNotFound);
            if (!service.isActive()) {
                throw EcsErrors.serviceNotActive();
            }
            if (!service.isDaemon() && service.desiredCount() > 0 && !Boolean.TRUE.equals(r.force())) {
                throw EcsErrors.invalidParameter("The service cannot be stopped while it is scaled above 0.");
            }
            state.services().delete(service);
            return DeleteServiceResponse.builder().service(ServiceView.of(state, service, false)).build();
        });
        scheduler.kick(ctx.scope());
        return response;
    }

    public DescribeServicesResponse describeServices(DescribeServicesRequest r, RequestContext ctx) {
        if (r.services().isEmpty()) {
            throw EcsErrors.invalidParameter("Services cannot be empty.");
        }
        if (r.services().size() > MAX_DESCRIBE) {
            throw EcsErrors.invalidParameter("DescribeServices takes at most " + MAX_DESCRIBE + " services; " + r.services().size()
                    + " were given.");
        }
        boolean withTags = r.include().contains(ServiceField.TAGS);
        return ctx.store().read(state -> {
            Cluster cluster = state.clusters().active(r.cluster());
            List<software.amazon.awssdk.services.ecs.model.Service> found = new ArrayList<>();
            List<Failure> failures = new ArrayList<>();
            for (String ref : r.services()) {
                Optional<Service> service = state.services().find(cluster, ref);
                if (service.isPresent()) {
                    found.add(ServiceView.of(state, service.get(), withTags));
                } else {
                    String arn = ref.startsWith("arn:") ? ref : Arn.ecs(ctx.scope(), "service/" + cluster.name() + "/" + ref);
                    failures.add(Failure.builder().arn(arn).reason("MISSING").build());
                }
            }
            return DescribeServicesResponse.builder().services(found).failures(failures).build();
        });
    }

    public ListServicesResponse listServices(ListServicesRequest r, RequestContext ctx) {
        return ctx.store().read(state -> {
            Cluster cluster = state.clusters().active(r.cluster());
            List<Service> matching = new ArrayList<>();
            for (Service s : state.services().inCluster(cluster.arn())) {
                if (s.isActive()
                        && (r.launchType() == null || r.launchType() == s.revision().launchType())
                        && (r.schedulingStrategy() == null || r.schedulingStrategy() == s.schedulingStrategy())) {
                    matching.add(s);
                }
            }
            Page<Service> page = Page.of(matching, Service::arn, r.maxResults(), r.nextToken(), 10, 100);
            List<String> arns = new ArrayList<>();
            page.items().forEach(s -> arns.add(s.arn()));
            return ListServicesResponse.builder().serviceArns(arns).nextToken(page.nextToken()).build();
        });
    }

    /**
     * Services whose Service Connect configuration names the namespace. Without Cloud Map, a
     * namespace exists here when a service names it.
     */
    public ListServicesByNamespaceResponse listServicesByNamespace(ListServicesByNamespaceRequest r, RequestContext ctx) {
        if (r.namespace() == null || r.namespace().isEmpty()) {
            throw EcsErrors.invalidParameter("namespace must be given.");
        }
        return ctx.store().read(state -> {
            List<Service> matching = new ArrayList<>();
            for (Cluster cluster : state.clusters().listActive()) {
                for (Service s : state.services().inCluster(cluster.arn())) {
                    var sc = s.settings().serviceConnectConfiguration();
                    String ns = sc == null || !Boolean.TRUE.equals(sc.enabled()) ? null : sc.namespace() != null ? sc.namespace()
                            : cluster.serviceConnectDefaults() == null ? null : cluster.serviceConnectDefaults().namespace();
                    if (s.isActive() && ns != null && (ns.equals(r.namespace()) || ns.endsWith("/" + r.namespace()))) {
                        matching.add(s);
                    }
                }
            }
            if (matching.isEmpty()) {
                throw ApiException.of(NamespaceNotFoundException.class, "The specified namespace wasn't found: no service uses "
                        + r.namespace() + " (ecs-emu knows a namespace from the services that name it in serviceConnectConfiguration).");
            }
            matching.sort(java.util.Comparator.comparing(Service::arn));
            Page<Service> page = Page.of(matching, Service::arn, r.maxResults(), r.nextToken(), 10, 100);
            List<String> arns = new ArrayList<>();
            page.items().forEach(s -> arns.add(s.arn()));
            return ListServicesByNamespaceResponse.builder().serviceArns(arns).nextToken(page.nextToken()).build();
        });
    }

}

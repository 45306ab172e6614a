package dev.ecsemu.core.arn;

import dev.ecsemu.core.state.Scope;
import java.util.Optional;

/**
 * An Amazon Resource Name: {@code arn:partition:service:region:account:resource}.
 * {@link #resource()} is everything after the fifth colon ({@code cluster/prod},
 * {@code task-definition/web:3}).
 */
public record Arn(String partition, String service, String region, String account, String resource) {

    public static Optional<Arn> parse(String text) {
        if (text == null || !text.startsWith("arn:")) {
            return Optional.empty();
        }
        String[] parts = text.split(":", 6);
        if (parts.length < 6 || parts[1].isEmpty() || parts[2].isEmpty() || parts[5].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Arn(parts[1], parts[2], parts[3], parts[4], parts[5]));
    }

    /** The resource type of an ECS ARN: the part of the resource before the first slash. */
    public String resourceType() {
        int slash = resource.indexOf('/');
        return slash < 0 ? resource : resource.substring(0, slash);
    }

    /** The resource after its type: {@code prod} for {@code cluster/prod}. */
    public String resourceId() {
        int slash = resource.indexOf('/');
        return slash < 0 ? "" : resource.substring(slash + 1);
    }

    public boolean isIn(Scope scope) {
        return scope.account().equals(account) && scope.region().equals(region);
    }

    public static String ecs(Scope scope, String resource) {
        return "arn:aws:ecs:" + scope.region() + ":" + scope.account() + ":" + resource;
    }

    @Override
    public String toString() {
        return "arn:" + partition + ":" + service + ":" + region + ":" + account + ":" + resource;
    }
}

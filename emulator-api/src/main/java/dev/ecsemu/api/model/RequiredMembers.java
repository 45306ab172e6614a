package dev.ecsemu.api.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The required members of each shape. The SDK model classes do not carry this for our services, so
 * it comes from tables generated from the service models ({@code tools/gen-required-members.py}).
 */
final class RequiredMembers {
    /** SDK model package to the table generated for that service. */
    private static final Map<String, String> TABLES = Map.of(
            "software.amazon.awssdk.services.ecs.model", "required-ecs.properties",
            "software.amazon.awssdk.services.ecr.model", "required-ecr.properties",
            "software.amazon.awssdk.services.cloudwatchlogs.model", "required-logs.properties",
            "software.amazon.awssdk.services.applicationautoscaling.model", "required-application-autoscaling.properties",
            "software.amazon.awssdk.services.elasticloadbalancingv2.model", "required-elbv2.properties");
    private static final Map<String, Properties> LOADED = new ConcurrentHashMap<>();

    private RequiredMembers() {
    }

    static List<String> of(Class<?> shape) {
        String table = TABLES.get(shape.getPackageName());
        if (table == null) {
            return List.of();
        }
        String members = LOADED.computeIfAbsent(table, RequiredMembers::load).getProperty(shape.getSimpleName());
        return members == null ? List.of() : List.copyOf(Arrays.asList(members.split(",")));
    }

    private static Properties load(String table) {
        Properties p = new Properties();
        try (InputStream in = RequiredMembers.class.getResourceAsStream(table)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}

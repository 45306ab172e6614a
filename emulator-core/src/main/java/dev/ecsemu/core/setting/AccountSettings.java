package dev.ecsemu.core.setting;

import dev.ecsemu.core.error.EcsErrors;
import dev.ecsemu.core.state.Scope;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.ecs.model.Setting;
import software.amazon.awssdk.services.ecs.model.SettingName;
import software.amazon.awssdk.services.ecs.model.SettingType;

/**
 * ECS account settings: explicit values per IAM principal, the account default (set on the root
 * principal), and AWS's built-in defaults underneath. They are stored and reported; the emulator
 * always behaves as with their AWS defaults (long ARNs, no trunking, ...) whatever is set.
 */
public final class AccountSettings {
    private record Rule(String defaultValue, List<String> allowed) {
    }

    private static final List<String> ON_OFF_ENABLED = List.of("enabled", "disabled");
    private static final Map<SettingName, Rule> RULES = Map.ofEntries(
            Map.entry(SettingName.SERVICE_LONG_ARN_FORMAT, new Rule("enabled", ON_OFF_ENABLED)),
            Map.entry(SettingName.TASK_LONG_ARN_FORMAT, new Rule("enabled", ON_OFF_ENABLED)),
            Map.entry(SettingName.CONTAINER_INSTANCE_LONG_ARN_FORMAT, new Rule("enabled", ON_OFF_ENABLED)),
            Map.entry(SettingName.AWSVPC_TRUNKING, new Rule("disabled", ON_OFF_ENABLED)),
            Map.entry(SettingName.CONTAINER_INSIGHTS, new Rule("disabled", List.of("enabled", "disabled", "enhanced"))),
            Map.entry(SettingName.FARGATE_FIPS_MODE, new Rule("disabled", ON_OFF_ENABLED)),
            Map.entry(SettingName.TAG_RESOURCE_AUTHORIZATION, new Rule("on", List.of("on", "off"))),
            Map.entry(SettingName.FARGATE_TASK_RETIREMENT_WAIT_PERIOD, new Rule("7", List.of("0", "7", "14"))),
            Map.entry(SettingName.GUARD_DUTY_ACTIVATE, new Rule("off", List.of("on", "off"))),
            Map.entry(SettingName.DEFAULT_LOG_DRIVER_MODE, new Rule("non-blocking", List.of("blocking", "non-blocking"))),
            Map.entry(SettingName.FARGATE_EVENT_WINDOWS, new Rule("disabled", ON_OFF_ENABLED)));

    private static final List<SettingName> NAMES = RULES.keySet().stream()
            .sorted(Comparator.comparing(SettingName::toString)).toList();

    private final Scope scope;
    private final Map<String, Map<SettingName, String>> byPrincipal = new HashMap<>();

    public AccountSettings(Scope scope) {
        this.scope = scope;
    }

    /** Sets a value for a principal (the account's root principal when null). */
    public Setting put(SettingName name, String value, String principalArn) {
        String principal = principalArn == null ? scope.rootPrincipal() : principalArn;
        Rule rule = rule(name);
        if (value == null || !rule.allowed().contains(value)) {
            throw EcsErrors.invalidParameter("The value '" + value + "' is not valid for account setting " + name
                    + ". Valid values are: " + String.join(", ", rule.allowed()) + ".");
        }
        byPrincipal.computeIfAbsent(principal, p -> new TreeMap<>()).put(name, value);
        return setting(name, value, principal, SettingType.USER);
    }

    public Setting delete(SettingName name, String principalArn) {
        String principal = principalArn == null ? scope.rootPrincipal() : principalArn;
        rule(name);
        Map<SettingName, String> explicit = byPrincipal.get(principal);
        String removed = explicit == null ? null : explicit.remove(name);
        return setting(name, removed == null ? effective(name, principal) : removed, principal, SettingType.USER);
    }

    /** The value in force for a principal: its own, else the account default, else AWS's. */
    public String effective(SettingName name, String principalArn) {
        String principal = principalArn == null ? scope.rootPrincipal() : principalArn;
        String own = byPrincipal.getOrDefault(principal, Map.of()).get(name);
        if (own != null) {
            return own;
        }
        String accountDefault = byPrincipal.getOrDefault(scope.rootPrincipal(), Map.of()).get(name);
        return accountDefault != null ? accountDefault : rule(name).defaultValue();
    }

    /**
     * The settings ListAccountSettings reports, in name order: with {@code effective} every setting
     * with the value in force, otherwise only those set explicitly for the principal.
     */
    public List<Setting> list(String principalArn, boolean effective) {
        String principal = principalArn == null ? scope.rootPrincipal() : principalArn;
        List<Setting> out = new ArrayList<>();
        Map<SettingName, String> explicit = byPrincipal.getOrDefault(principal, Map.of());
        for (SettingName name : NAMES) {
            String own = explicit.get(name);
            if (own != null) {
                out.add(setting(name, own, principal, SettingType.USER));
            } else if (effective) {
                out.add(setting(name, effective(name, principal), principal, SettingType.AWS_MANAGED));
            }
        }
        return out;
    }

    private static Rule rule(SettingName name) {
        Rule rule = name == null ? null : RULES.get(name);
        if (rule == null) {
            throw EcsErrors.invalidParameter("Unknown account setting name. Valid names are: " + NAMES + ".");
        }
        return rule;
    }

    private static Setting setting(SettingName name, String value, String principal, SettingType type) {
        return Setting.builder().name(name).value(value).principalArn(principal).type(type).build();
    }
}

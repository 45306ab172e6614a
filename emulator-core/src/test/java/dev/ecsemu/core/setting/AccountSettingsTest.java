package dev.ecsemu.core.setting;

import static dev.ecsemu.core.testing.Refusals.assertRefused;
import static dev.ecsemu.core.testing.Refusals.assertRefusedContaining;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.core.state.Scope;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.ecs.model.Setting;
import software.amazon.awssdk.services.ecs.model.SettingName;
import software.amazon.awssdk.services.ecs.model.SettingType;

class AccountSettingsTest {
    private static final Scope SCOPE = new Scope("123456789012", "eu-west-1");
    private static final String ROOT = "arn:aws:iam::123456789012:root";
    private static final String ALICE = "arn:aws:iam::123456789012:user/alice";
    private static final String BOB = "arn:aws:iam::123456789012:role/bob";

    private static final Map<SettingName, String> AWS_DEFAULTS = Map.ofEntries(
            Map.entry(SettingName.SERVICE_LONG_ARN_FORMAT, "enabled"),
            Map.entry(SettingName.TASK_LONG_ARN_FORMAT, "enabled"),
            Map.entry(SettingName.CONTAINER_INSTANCE_LONG_ARN_FORMAT, "enabled"),
            Map.entry(SettingName.AWSVPC_TRUNKING, "disabled"),
            Map.entry(SettingName.CONTAINER_INSIGHTS, "disabled"),
            Map.entry(SettingName.FARGATE_FIPS_MODE, "disabled"),
            Map.entry(SettingName.TAG_RESOURCE_AUTHORIZATION, "on"),
            Map.entry(SettingName.FARGATE_TASK_RETIREMENT_WAIT_PERIOD, "7"),
            Map.entry(SettingName.GUARD_DUTY_ACTIVATE, "off"),
            Map.entry(SettingName.DEFAULT_LOG_DRIVER_MODE, "non-blocking"),
            Map.entry(SettingName.FARGATE_EVENT_WINDOWS, "disabled"));

    private AccountSettings settings;

    @BeforeEach
    void setUp() {
        settings = new AccountSettings(SCOPE);
    }

    private static Setting setting(SettingName name, String value, String principal, SettingType type) {
        return Setting.builder().name(name).value(value).principalArn(principal).type(type).build();
    }

    @Test
    void everyKnownSettingHasItsAwsDefault() {
        assertThat(SettingName.knownValues()).containsExactlyInAnyOrderElementsOf(AWS_DEFAULTS.keySet());
        AWS_DEFAULTS.forEach((name, value) -> {
            assertThat(settings.effective(name, null)).as(name.toString()).isEqualTo(value);
            assertThat(settings.effective(name, ALICE)).as(name.toString()).isEqualTo(value);
        });
    }

    @Test
    void putWithoutPrincipalSetsTheAccountDefault() {
        Setting s = settings.put(SettingName.CONTAINER_INSIGHTS, "enabled", null);

        assertThat(s).isEqualTo(setting(SettingName.CONTAINER_INSIGHTS, "enabled", ROOT, SettingType.USER));
        assertThat(settings.effective(SettingName.CONTAINER_INSIGHTS, null)).isEqualTo("enabled");
        assertThat(settings.effective(SettingName.CONTAINER_INSIGHTS, ROOT)).isEqualTo("enabled");
        assertThat(settings.effective(SettingName.CONTAINER_INSIGHTS, ALICE)).as("inherits the account default").isEqualTo("enabled");
    }

    @Test
    void putForAPrincipalAffectsOnlyThatPrincipal() {
        Setting s = settings.put(SettingName.AWSVPC_TRUNKING, "enabled", ALICE);

        assertThat(s).isEqualTo(setting(SettingName.AWSVPC_TRUNKING, "enabled", ALICE, SettingType.USER));
        assertThat(settings.effective(SettingName.AWSVPC_TRUNKING, ALICE)).isEqualTo("enabled");
        assertThat(settings.effective(SettingName.AWSVPC_TRUNKING, BOB)).isEqualTo("disabled");
        assertThat(settings.effective(SettingName.AWSVPC_TRUNKING, null)).isEqualTo("disabled");
    }

    @Test
    void effectiveIsOwnThenAccountDefaultThenAws() {
        SettingName name = SettingName.CONTAINER_INSIGHTS;
        assertThat(settings.effective(name, ALICE)).isEqualTo("disabled");
        settings.put(name, "enhanced", null);
        assertThat(settings.effective(name, ALICE)).isEqualTo("enhanced");
        settings.put(name, "enabled", ALICE);
        assertThat(settings.effective(name, ALICE)).isEqualTo("enabled");
        assertThat(settings.effective(name, BOB)).isEqualTo("enhanced");

        settings.delete(name, ALICE);
        assertThat(settings.effective(name, ALICE)).isEqualTo("enhanced");
        settings.delete(name, null);
        assertThat(settings.effective(name, ALICE)).isEqualTo("disabled");
    }

    @Test
    void putReplacesTheValue() {
        settings.put(SettingName.GUARD_DUTY_ACTIVATE, "on", null);
        settings.put(SettingName.GUARD_DUTY_ACTIVATE, "off", null);
        assertThat(settings.list(null, false)).containsExactly(setting(SettingName.GUARD_DUTY_ACTIVATE, "off", ROOT, SettingType.USER));
    }

    @Test
    void listExplicitOnlyShowsWhatThePrincipalSet() {
        assertThat(settings.list(null, false)).isEmpty();
        settings.put(SettingName.TASK_LONG_ARN_FORMAT, "disabled", ALICE);
        settings.put(SettingName.AWSVPC_TRUNKING, "enabled", ALICE);
        settings.put(SettingName.CONTAINER_INSIGHTS, "enabled", null);

        assertThat(settings.list(ALICE, false)).containsExactly(
                setting(SettingName.AWSVPC_TRUNKING, "enabled", ALICE, SettingType.USER),
                setting(SettingName.TASK_LONG_ARN_FORMAT, "disabled", ALICE, SettingType.USER));
        assertThat(settings.list(null, false)).containsExactly(
                setting(SettingName.CONTAINER_INSIGHTS, "enabled", ROOT, SettingType.USER));
        assertThat(settings.list(BOB, false)).isEmpty();
    }

    @Test
    void listEffectiveShowsEverySettingInNameOrder() {
        settings.put(SettingName.AWSVPC_TRUNKING, "enabled", ALICE);
        settings.put(SettingName.CONTAINER_INSIGHTS, "enhanced", null);

        List<Setting> listed = settings.list(ALICE, true);
        assertThat(listed).hasSize(AWS_DEFAULTS.size());
        assertThat(listed).extracting(Setting::nameAsString).isSortedAccordingTo(Comparator.naturalOrder());
        assertThat(listed).extracting(Setting::principalArn).containsOnly(ALICE);
        assertThat(listed).contains(
                setting(SettingName.AWSVPC_TRUNKING, "enabled", ALICE, SettingType.USER),
                setting(SettingName.CONTAINER_INSIGHTS, "enhanced", ALICE, SettingType.AWS_MANAGED),
                setting(SettingName.TAG_RESOURCE_AUTHORIZATION, "on", ALICE, SettingType.AWS_MANAGED));
        for (Setting s : listed) {
            if (s.name() != SettingName.AWSVPC_TRUNKING && s.name() != SettingName.CONTAINER_INSIGHTS) {
                assertThat(s.value()).as(s.nameAsString()).isEqualTo(AWS_DEFAULTS.get(s.name()));
            }
        }

        assertThat(settings.list(null, true)).extracting(Setting::principalArn).containsOnly(ROOT);
        assertThat(settings.list(null, true)).contains(setting(SettingName.CONTAINER_INSIGHTS, "enhanced", ROOT, SettingType.USER),
                setting(SettingName.AWSVPC_TRUNKING, "disabled", ROOT, SettingType.AWS_MANAGED));
    }

    @Test
    void deleteAnswersWhatWasRemoved() {
        settings.put(SettingName.FARGATE_FIPS_MODE, "enabled", ALICE);
        assertThat(settings.delete(SettingName.FARGATE_FIPS_MODE, ALICE))
                .isEqualTo(setting(SettingName.FARGATE_FIPS_MODE, "enabled", ALICE, SettingType.USER));
        assertThat(settings.list(ALICE, false)).isEmpty();
        assertThat(settings.effective(SettingName.FARGATE_FIPS_MODE, ALICE)).isEqualTo("disabled");
    }

    @Test
    void deleteOfWhatWasNeverSetAnswersTheValueInForce() {
        settings.put(SettingName.CONTAINER_INSIGHTS, "enabled", null);
        assertThat(settings.delete(SettingName.CONTAINER_INSIGHTS, BOB))
                .isEqualTo(setting(SettingName.CONTAINER_INSIGHTS, "enabled", BOB, SettingType.USER));
        assertThat(settings.delete(SettingName.GUARD_DUTY_ACTIVATE, null))
                .isEqualTo(setting(SettingName.GUARD_DUTY_ACTIVATE, "off", ROOT, SettingType.USER));
        assertThat(settings.effective(SettingName.CONTAINER_INSIGHTS, BOB)).isEqualTo("enabled");
    }

    @ParameterizedTest(name = "{0}={1} refused")
    @CsvSource(delimiter = '|', value = {
            "CONTAINER_INSIGHTS|ENABLED|containerInsights|enabled, disabled, enhanced",
            "CONTAINER_INSIGHTS|on|containerInsights|enabled, disabled, enhanced",
            "SERVICE_LONG_ARN_FORMAT|yes|serviceLongArnFormat|enabled, disabled",
            "AWSVPC_TRUNKING|''|awsvpcTrunking|enabled, disabled",
            "TAG_RESOURCE_AUTHORIZATION|enabled|tagResourceAuthorization|on, off",
            "FARGATE_TASK_RETIREMENT_WAIT_PERIOD|3|fargateTaskRetirementWaitPeriod|0, 7, 14",
            "DEFAULT_LOG_DRIVER_MODE|nonblocking|defaultLogDriverMode|blocking, non-blocking",
            "GUARD_DUTY_ACTIVATE|enabled|guardDutyActivate|on, off",
    })
    void invalidValuesRefused(SettingName name, String value, String wireName, String allowed) {
        assertRefused(() -> settings.put(name, value, ALICE), "InvalidParameterException",
                "The value '" + value + "' is not valid for account setting " + wireName + ". Valid values are: " + allowed + ".");
        assertThat(settings.list(ALICE, false)).isEmpty();
    }

    @Test
    void nullValueRefused() {
        assertRefused(() -> settings.put(SettingName.CONTAINER_INSIGHTS, null, null), "InvalidParameterException",
                "The value 'null' is not valid for account setting containerInsights. Valid values are: enabled, disabled, enhanced.");
    }

    @Test
    void unknownNamesRefused() {
        for (SettingName name : new SettingName[] {SettingName.UNKNOWN_TO_SDK_VERSION, null}) {
            assertRefusedContaining(() -> settings.put(name, "enabled", null), "InvalidParameterException",
                    "Unknown account setting name. Valid names are: [", "containerInsights", "awsvpcTrunking");
            assertRefusedContaining(() -> settings.delete(name, null), "InvalidParameterException", "Unknown account setting name.");
        }
        assertRefusedContaining(() -> settings.effective(SettingName.UNKNOWN_TO_SDK_VERSION, null), "InvalidParameterException",
                "Unknown account setting name.");
    }
}

package dev.ecsemu.api.ecs;

import static dev.ecsemu.api.testing.EcsAssertions.assertEcsError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ecsemu.api.testing.ModelOnlyIT;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ClusterSetting;
import software.amazon.awssdk.services.ecs.model.ClusterSettingName;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.ListAccountSettingsResponse;
import software.amazon.awssdk.services.ecs.model.Setting;
import software.amazon.awssdk.services.ecs.model.SettingName;
import software.amazon.awssdk.services.ecs.model.SettingType;

class AccountSettingOperationsIT extends ModelOnlyIT {
    private static final String ROOT = "arn:aws:iam::000000000000:root";
    private static final String ALICE = "arn:aws:iam::000000000000:user/alice";
    private static final List<String> ALL_NAMES = List.of("awsvpcTrunking", "containerInsights", "containerInstanceLongArnFormat",
            "defaultLogDriverMode", "fargateEventWindows", "fargateFIPSMode", "fargateTaskRetirementWaitPeriod",
            "guardDutyActivate", "serviceLongArnFormat", "tagResourceAuthorization", "taskLongArnFormat");

    private static Setting user(SettingName name, String value, String principal) {
        return Setting.builder().name(name).value(value).principalArn(principal).type(SettingType.USER).build();
    }

    private static List<Setting> effective(String principal) {
        return ecs.listAccountSettingsPaginator(b -> b.effectiveSettings(true).principalArn(principal)).settings().stream().toList();
    }

    private static String effectiveValue(SettingName name, String principal) {
        List<Setting> s = ecs.listAccountSettings(b -> b.effectiveSettings(true).name(name).principalArn(principal)).settings();
        assertThat(s).hasSize(1);
        return s.get(0).value();
    }

    @Test
    void nothingIsSetExplicitlyAtFirstAndEffectiveSettingsAreAwsDefaults() {
        assertThat(ecs.listAccountSettings().settings()).isEmpty();
        assertThat(ecs.listAccountSettings(b -> b.effectiveSettings(false)).settings()).isEmpty();

        ListAccountSettingsResponse firstPage = ecs.listAccountSettings(b -> b.effectiveSettings(true));
        assertThat(firstPage.settings()).hasSize(10);
        assertThat(firstPage.nextToken()).isNotNull();

        List<Setting> all = effective(null);
        assertThat(all).extracting(Setting::nameAsString).containsExactlyElementsOf(ALL_NAMES);
        assertThat(all).extracting(Setting::principalArn).containsOnly(ROOT);
        assertThat(all).extracting(Setting::type).containsOnly(SettingType.AWS_MANAGED);
        assertThat(all).extracting(Setting::value).containsExactly("disabled", "disabled", "enabled", "non-blocking", "disabled",
                "disabled", "7", "off", "enabled", "on", "enabled");
    }

    @Test
    void putAccountSettingSetsTheValueForTheCaller() {
        Setting put = ecs.putAccountSetting(b -> b.name(SettingName.CONTAINER_INSIGHTS).value("enhanced")).setting();
        assertThat(put).isEqualTo(user(SettingName.CONTAINER_INSIGHTS, "enhanced", ROOT));

        assertThat(ecs.listAccountSettings().settings()).containsExactly(put);
        assertThat(effectiveValue(SettingName.CONTAINER_INSIGHTS, null)).isEqualTo("enhanced");
        assertThat(effective(null)).hasSize(11).contains(put);

        // Put again replaces.
        ecs.putAccountSetting(b -> b.name(SettingName.CONTAINER_INSIGHTS).value("disabled"));
        assertThat(ecs.listAccountSettings().settings()).containsExactly(user(SettingName.CONTAINER_INSIGHTS, "disabled", ROOT));
        // And clusters created afterwards take it as their default.
        assertThat(ecs.createCluster(b -> b.clusterName("c")).cluster().settings())
                .containsExactly(ClusterSetting.builder().name(ClusterSettingName.CONTAINER_INSIGHTS).value("disabled").build());
    }

    @Test
    void listFiltersByNameAndValue() {
        ecs.putAccountSetting(b -> b.name(SettingName.CONTAINER_INSIGHTS).value("enabled"));
        ecs.putAccountSetting(b -> b.name(SettingName.AWSVPC_TRUNKING).value("enabled"));
        ecs.putAccountSetting(b -> b.name(SettingName.GUARD_DUTY_ACTIVATE).value("on"));

        assertThat(ecs.listAccountSettings().settings()).extracting(Setting::nameAsString)
                .containsExactly("awsvpcTrunking", "containerInsights", "guardDutyActivate");
        assertThat(ecs.listAccountSettings(b -> b.name(SettingName.AWSVPC_TRUNKING)).settings())
                .containsExactly(user(SettingName.AWSVPC_TRUNKING, "enabled", ROOT));
        assertThat(ecs.listAccountSettings(b -> b.name(SettingName.TASK_LONG_ARN_FORMAT)).settings()).isEmpty();
        assertThat(ecs.listAccountSettings(b -> b.value("enabled")).settings()).extracting(Setting::nameAsString)
                .containsExactly("awsvpcTrunking", "containerInsights");
        assertThat(ecs.listAccountSettings(b -> b.effectiveSettings(true).value("on")).settings()).extracting(Setting::nameAsString)
                .containsExactly("guardDutyActivate", "tagResourceAuthorization");
    }

    @Test
    void settingsPerPrincipalAndTheAccountDefault() {
        Setting alice = ecs.putAccountSetting(b -> b.name(SettingName.SERVICE_LONG_ARN_FORMAT).value("disabled").principalArn(ALICE))
                .setting();
        assertThat(alice).isEqualTo(user(SettingName.SERVICE_LONG_ARN_FORMAT, "disabled", ALICE));

        assertThat(ecs.listAccountSettings(b -> b.principalArn(ALICE)).settings()).containsExactly(alice);
        assertThat(ecs.listAccountSettings().settings()).isEmpty();
        assertThat(effectiveValue(SettingName.SERVICE_LONG_ARN_FORMAT, ALICE)).isEqualTo("disabled");
        assertThat(effectiveValue(SettingName.SERVICE_LONG_ARN_FORMAT, null)).isEqualTo("enabled");

        // The account default applies to every principal that has no value of its own.
        Setting def = ecs.putAccountSettingDefault(b -> b.name(SettingName.TASK_LONG_ARN_FORMAT).value("disabled")).setting();
        assertThat(def).isEqualTo(user(SettingName.TASK_LONG_ARN_FORMAT, "disabled", ROOT));
        assertThat(effectiveValue(SettingName.TASK_LONG_ARN_FORMAT, ALICE)).isEqualTo("disabled");
        assertThat(effectiveValue(SettingName.TASK_LONG_ARN_FORMAT, "arn:aws:iam::000000000000:role/bob")).isEqualTo("disabled");
        ecs.putAccountSetting(b -> b.name(SettingName.TASK_LONG_ARN_FORMAT).value("enabled").principalArn(ALICE));
        assertThat(effectiveValue(SettingName.TASK_LONG_ARN_FORMAT, ALICE)).isEqualTo("enabled");
        assertThat(effectiveValue(SettingName.TASK_LONG_ARN_FORMAT, null)).isEqualTo("disabled");
        assertThat(effective(ALICE)).hasSize(11).contains(alice);
    }

    @Test
    void deleteAccountSettingFallsBackToTheDefault() {
        ecs.putAccountSettingDefault(b -> b.name(SettingName.CONTAINER_INSIGHTS).value("enabled"));
        ecs.putAccountSetting(b -> b.name(SettingName.CONTAINER_INSIGHTS).value("enhanced").principalArn(ALICE));

        Setting deleted = ecs.deleteAccountSetting(b -> b.name(SettingName.CONTAINER_INSIGHTS).principalArn(ALICE)).setting();
        assertThat(deleted).isEqualTo(user(SettingName.CONTAINER_INSIGHTS, "enhanced", ALICE));
        assertThat(ecs.listAccountSettings(b -> b.principalArn(ALICE)).settings()).isEmpty();
        assertThat(effectiveValue(SettingName.CONTAINER_INSIGHTS, ALICE)).isEqualTo("enabled");

        Setting deletedDefault = ecs.deleteAccountSetting(b -> b.name(SettingName.CONTAINER_INSIGHTS)).setting();
        assertThat(deletedDefault.value()).isEqualTo("enabled");
        assertThat(deletedDefault.principalArn()).isEqualTo(ROOT);
        assertThat(ecs.listAccountSettings().settings()).isEmpty();
        assertThat(effectiveValue(SettingName.CONTAINER_INSIGHTS, ALICE)).isEqualTo("disabled");
        assertThat(ecs.createCluster(b -> b.clusterName("after-delete")).cluster().settings().get(0).value()).isEqualTo("disabled");

        // Deleting what is not set answers the value in force.
        Setting notSet = ecs.deleteAccountSetting(b -> b.name(SettingName.AWSVPC_TRUNKING)).setting();
        assertThat(notSet.value()).isEqualTo("disabled");
    }

    @Test
    void invalidValuesAndNamesAreRefused() {
        assertEcsError(() -> ecs.putAccountSetting(b -> b.name(SettingName.CONTAINER_INSIGHTS).value("maybe")),
                InvalidParameterException.class,
                "The value 'maybe' is not valid for account setting containerInsights. Valid values are: enabled, disabled, enhanced.");
        assertEcsError(() -> ecs.putAccountSettingDefault(b -> b.name(SettingName.FARGATE_TASK_RETIREMENT_WAIT_PERIOD).value("3")),
                InvalidParameterException.class,
                "The value '3' is not valid for account setting fargateTaskRetirementWaitPeriod. Valid values are: 0, 7, 14.");
        assertEcsError(() -> ecs.putAccountSetting(b -> b.name(SettingName.TAG_RESOURCE_AUTHORIZATION).value("enabled")),
                InvalidParameterException.class,
                "The value 'enabled' is not valid for account setting tagResourceAuthorization. Valid values are: on, off.");
        assertThat(ecs.listAccountSettings().settings()).isEmpty();

        InvalidParameterException unknown = catchThrowableOfType(InvalidParameterException.class,
                () -> ecs.putAccountSetting(b -> b.name("bogusSetting").value("enabled")));
        assertThat(unknown).isNotNull();
        assertThat(unknown.awsErrorDetails().errorMessage())
                .startsWith("1 validation error detected: Value 'bogusSetting' at 'name' failed to satisfy constraint:");

        assertEcsError(() -> ecs.listAccountSettings(b -> b.maxResults(11)), InvalidParameterException.class,
                "maxResults must be between 1 and 10 (was 11).");
        assertEcsError(() -> ecs.listAccountSettings(b -> b.maxResults(0)), InvalidParameterException.class,
                "maxResults must be between 1 and 10 (was 0).");
    }

    @Test
    void listAccountSettingsPaginates() {
        ListAccountSettingsResponse p1 = ecs.listAccountSettings(b -> b.effectiveSettings(true).maxResults(4));
        assertThat(p1.settings()).extracting(Setting::nameAsString).containsExactlyElementsOf(ALL_NAMES.subList(0, 4));
        ListAccountSettingsResponse p2 = ecs.listAccountSettings(b -> b.effectiveSettings(true).maxResults(4).nextToken(p1.nextToken()));
        assertThat(p2.settings()).extracting(Setting::nameAsString).containsExactlyElementsOf(ALL_NAMES.subList(4, 8));
        ListAccountSettingsResponse p3 = ecs.listAccountSettings(b -> b.effectiveSettings(true).maxResults(4).nextToken(p2.nextToken()));
        assertThat(p3.settings()).extracting(Setting::nameAsString).containsExactlyElementsOf(ALL_NAMES.subList(8, 11));
        assertThat(p3.nextToken()).isNull();
    }
}

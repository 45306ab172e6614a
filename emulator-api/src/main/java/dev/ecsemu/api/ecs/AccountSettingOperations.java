package dev.ecsemu.api.ecs;

import dev.ecsemu.api.protocol.RequestContext;
import dev.ecsemu.core.state.Page;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.DeleteAccountSettingRequest;
import software.amazon.awssdk.services.ecs.model.DeleteAccountSettingResponse;
import software.amazon.awssdk.services.ecs.model.ListAccountSettingsRequest;
import software.amazon.awssdk.services.ecs.model.ListAccountSettingsResponse;
import software.amazon.awssdk.services.ecs.model.PutAccountSettingDefaultRequest;
import software.amazon.awssdk.services.ecs.model.PutAccountSettingDefaultResponse;
import software.amazon.awssdk.services.ecs.model.PutAccountSettingRequest;
import software.amazon.awssdk.services.ecs.model.PutAccountSettingResponse;
import software.amazon.awssdk.services.ecs.model.Setting;

/** PutAccountSetting, PutAccountSettingDefault, ListAccountSettings, DeleteAccountSetting. */
public final class AccountSettingOperations {

    public PutAccountSettingResponse putAccountSetting(PutAccountSettingRequest r, RequestContext ctx) {
        return ctx.store().write(state -> PutAccountSettingResponse.builder()
                .setting(state.accountSettings().put(r.name(), r.value(), r.principalArn()))
                .build());
    }

    public PutAccountSettingDefaultResponse putAccountSettingDefault(PutAccountSettingDefaultRequest r, RequestContext ctx) {
        return ctx.store().write(state -> PutAccountSettingDefaultResponse.builder()
                .setting(state.accountSettings().put(r.name(), r.value(), null))
                .build());
    }

    public DeleteAccountSettingResponse deleteAccountSetting(DeleteAccountSettingRequest r, RequestContext ctx) {
        return ctx.store().write(state -> DeleteAccountSettingResponse.builder()
                .setting(state.accountSettings().delete(r.name(), r.principalArn()))
                .build());
    }

    public ListAccountSettingsResponse listAccountSettings(ListAccountSettingsRequest r, RequestContext ctx) {
        boolean effective = Boolean.TRUE.equals(r.effectiveSettings());
        return ctx.store().read(state -> {
            List<Setting> matching = new ArrayList<>();
            for (Setting s : state.accountSettings().list(r.principalArn(), effective)) {
                if ((r.name() == null || s.name() == r.name()) && (r.value() == null || r.value().equals(s.value()))) {
                    matching.add(s);
                }
            }
            Page<Setting> page = Page.of(matching, Setting::nameAsString, r.maxResults(), r.nextToken(), 10, 10);
            return ListAccountSettingsResponse.builder().settings(page.items()).nextToken(page.nextToken()).build();
        });
    }
}

package dev.ecsemu.api.model;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * Copies every member two shapes share by name, for example a RegisterTaskDefinitionRequest into
 * the TaskDefinition it registers, so that every member the model has (today's and those a future
 * SDK adds) is stored and returned unchanged.
 */
public final class ShapeCopier {
    private ShapeCopier() {
    }

    @SuppressWarnings("unchecked")
    public static <T> T copy(SdkPojo from, SdkPojo toBuilder) {
        Map<String, SdkField<?>> target = new HashMap<>();
        for (SdkField<?> f : toBuilder.sdkFields()) {
            target.put(f.memberName(), f);
        }
        for (SdkField<?> f : from.sdkFields()) {
            SdkField<?> t = target.get(f.memberName());
            Object value = f.getValueOrDefault(from);
            if (t != null && value != null && t.marshallingType() == f.marshallingType()) {
                t.set(toBuilder, value);
            }
        }
        return (T) ((SdkBuilder<?, ?>) toBuilder).build();
    }
}

package dev.ecsemu.api.model;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;

/**
 * What the codec needs to know about one shape, read once from the SDK model class: its members by
 * wire name, which are required, and which are enums with their allowed values.
 */
final class ShapeInfo {
    private final String shapeName;
    private final Map<String, SdkField<?>> fieldsByWireName = new HashMap<>();
    private final Map<String, Set<String>> enumValuesByWireName = new HashMap<>();
    private final List<String> required;

    private ShapeInfo(Class<?> shapeClass, List<SdkField<?>> fields, List<String> required) {
        this.shapeName = shapeClass.getSimpleName();
        this.required = required;
        for (SdkField<?> field : fields) {
            fieldsByWireName.put(field.locationName(), field);
            Set<String> values = enumValues(shapeClass, field.memberName());
            if (values != null) {
                enumValuesByWireName.put(field.locationName(), values);
            }
        }
    }

    /** The shape that a builder (an SDK {@code BuilderImpl}) builds. */
    static ShapeInfo ofBuilder(SdkPojo builder) {
        return CACHE.get(builder.getClass());
    }

    private static final ClassValue<ShapeInfo> CACHE = new ClassValue<>() {
        @Override
        protected ShapeInfo computeValue(Class<?> builderClass) {
            Class<?> shape = builderClass.getEnclosingClass() != null ? builderClass.getEnclosingClass() : builderClass;
            List<SdkField<?>> fields = ((SdkPojo) newBuilder(builderClass)).sdkFields();
            return new ShapeInfo(shape, fields, RequiredMembers.of(shape));
        }
    };

    private static Object newBuilder(Class<?> builderClass) {
        try {
            var constructor = builderClass.getDeclaredConstructor();
            constructor.setAccessible(true);
            return constructor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot instantiate " + builderClass, e);
        }
    }

    String shapeName() {
        return shapeName;
    }

    SdkField<?> field(String wireName) {
        return fieldsByWireName.get(wireName);
    }

    /** The allowed values when the member is an enum (or a list or map of one), else null. */
    Set<String> enumValues(String wireName) {
        return enumValuesByWireName.get(wireName);
    }

    List<String> required() {
        return required;
    }

    /**
     * SDK model classes expose an enum member twice: {@code launchType()} returning the enum and
     * {@code launchTypeAsString()} returning the raw value. The pair tells us the member is an enum.
     */
    private static Set<String> enumValues(Class<?> shape, String memberName) {
        try {
            if (!hasMethod(shape, memberName + "AsString") && !hasMethod(shape, memberName + "AsStrings")) {
                return null;
            }
            Type type = shape.getMethod(memberName).getGenericReturnType();
            if (type instanceof ParameterizedType) {
                Type[] args = ((ParameterizedType) type).getActualTypeArguments();
                type = args[args.length - 1];
            }
            if (!(type instanceof Class<?>) || !((Class<?>) type).isEnum()) {
                return null;
            }
            Method known = ((Class<?>) type).getMethod("knownValues");
            Set<String> values = new LinkedHashSet<>();
            for (Object value : (Set<?>) known.invoke(null)) {
                values.add(value.toString());
            }
            return values.isEmpty() ? null : Collections.unmodifiableSet(values);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static boolean hasMethod(Class<?> c, String name) {
        try {
            c.getMethod(name);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}

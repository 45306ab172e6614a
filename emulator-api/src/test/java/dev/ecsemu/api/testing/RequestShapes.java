package dev.ecsemu.api.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingKnownType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;

/**
 * Walks the SDK model of a request shape, independently of the emulator's own codec, to build
 * request bodies generically: the minimal body (required members with placeholder values), and a
 * body that carries one chosen value at one member path, nested members included.
 *
 * <p>Required members come from the emulator's generated tables (the SDK model classes do not carry
 * them); enums are recognised by the getter pair SDK model classes have for them
 * ({@code launchType()} / {@code launchTypeAsString()}, {@code include()} / {@code includeAsStrings()}).
 */
public final class RequestShapes {
    /** SDK model package to the emulator's table of required members for that service. */
    private static final Map<String, Properties> REQUIRED = Map.of(
            "software.amazon.awssdk.services.ecs.model", load("/dev/ecsemu/api/model/required-ecs.properties"),
            "software.amazon.awssdk.services.ecr.model", load("/dev/ecsemu/api/model/required-ecr.properties"));

    private RequestShapes() {
    }

    /** One step of a member path: a member, and whether the path goes into the first element of its list. */
    public record Step(SdkField<?> field, boolean intoListElement) {
    }

    /**
     * A member reachable from a request shape.
     *
     * @param steps the members on the way, the last being this one
     * @param path  the path as the emulator names it, e.g. {@code containerDefinitions[0].portMappings[0].protocol}
     * @param owner the SDK model class that declares the member
     */
    public record Member(List<Step> steps, String path, Class<?> owner) {
        public SdkField<?> field() {
            return steps.get(steps.size() - 1).field();
        }

        public String name() {
            return field().locationName();
        }

        public int depth() {
            return steps.size();
        }

        public MarshallingKnownType type() {
            return field().marshallingType().getKnownType();
        }

        /** The enum values the member takes (for a string, a list of strings or a map of strings), else null. */
        public Set<String> enumValues() {
            return RequestShapes.enumValues(owner, field());
        }

        @Override
        public String toString() {
            return path;
        }
    }

    /** The model class a builder builds ({@code CreateClusterRequest} for its {@code BuilderImpl}). */
    public static Class<?> shapeOf(SdkPojo builder) {
        Class<?> c = builder.getClass();
        return c.getEnclosingClass() != null ? c.getEnclosingClass() : c;
    }

    /** The required members of a shape, from the emulator's table for its service (ECS, ECR). */
    public static List<String> required(Class<?> shape) {
        Properties table = REQUIRED.get(shape.getPackageName());
        if (table == null) {
            throw new IllegalArgumentException("no table of required members for " + shape.getName());
        }
        String members = table.getProperty(shape.getSimpleName());
        return members == null ? List.of() : List.of(members.split(","));
    }

    /**
     * Every member reachable from the shape through structures and lists of structures (not maps),
     * up to {@code maxDepth} members deep, never entering a shape already on the way.
     */
    public static List<Member> members(Supplier<? extends SdkPojo> builder, int maxDepth) {
        List<Member> out = new ArrayList<>();
        walk(builder.get(), new ArrayList<>(), "", new LinkedHashSet<>(), maxDepth, out);
        return out;
    }

    private static void walk(SdkPojo builder, List<Step> steps, String prefix, Set<Class<?>> onTheWay, int maxDepth,
            List<Member> out) {
        Class<?> owner = shapeOf(builder);
        if (!onTheWay.add(owner)) {
            return;
        }
        for (SdkField<?> field : builder.sdkFields()) {
            String path = prefix.isEmpty() ? field.locationName() : prefix + "." + field.locationName();
            List<Step> here = new ArrayList<>(steps);
            here.add(new Step(field, false));
            out.add(new Member(List.copyOf(here), path, owner));
            if (here.size() >= maxDepth) {
                continue;
            }
            Supplier<SdkPojo> nested = nestedBuilder(field);
            if (nested != null) {
                boolean list = field.marshallingType().getKnownType() == MarshallingKnownType.LIST;
                here.set(here.size() - 1, new Step(field, list));
                walk(nested.get(), here, list ? path + "[0]" : path, onTheWay, maxDepth, out);
            }
        }
        onTheWay.remove(owner);
    }

    /** The builder of the structure a member holds (itself or as list elements), else null. */
    @SuppressWarnings("unchecked")
    public static Supplier<SdkPojo> nestedBuilder(SdkField<?> field) {
        switch (field.marshallingType().getKnownType()) {
            case SDK_POJO:
                return (Supplier<SdkPojo>) (Supplier<?>) field.constructor();
            case LIST: {
                SdkField<?> element = field.getTrait(ListTrait.class).memberFieldInfo();
                return element.marshallingType().getKnownType() == MarshallingKnownType.SDK_POJO
                        ? (Supplier<SdkPojo>) (Supplier<?>) element.constructor() : null;
            }
            default:
                return null;
        }
    }

    /** A body with the shape's required members (recursively), each holding a valid placeholder. */
    public static Map<String, Object> minimal(Supplier<? extends SdkPojo> builder) {
        SdkPojo b = builder.get();
        Class<?> owner = shapeOf(b);
        List<String> required = required(owner);
        Map<String, Object> out = new LinkedHashMap<>();
        for (SdkField<?> field : b.sdkFields()) {
            if (required.contains(field.locationName())) {
                out.put(field.locationName(), placeholder(owner, field));
            }
        }
        return out;
    }

    /** A minimal body without one of the shape's required members. */
    public static Map<String, Object> minimalWithout(Supplier<? extends SdkPojo> builder, String member) {
        Map<String, Object> body = minimal(builder);
        if (body.remove(member) == null) {
            throw new IllegalArgumentException(member + " is not a required member of " + shapeOf(builder.get()).getSimpleName());
        }
        return body;
    }

    /**
     * The minimal body of the request, with {@code value} at the member's path: every structure on the
     * way holds its own required members, every list on the way one element.
     */
    public static Map<String, Object> bodyWith(Supplier<? extends SdkPojo> root, Member member, Object value) {
        return bodyWith(root, member.steps(), 0, value);
    }

    private static Map<String, Object> bodyWith(Supplier<? extends SdkPojo> builder, List<Step> steps, int at, Object value) {
        Map<String, Object> body = minimal(builder);
        Step step = steps.get(at);
        String name = step.field().locationName();
        if (at == steps.size() - 1) {
            body.put(name, value);
        } else {
            Map<String, Object> inner = bodyWith(nestedBuilder(step.field()), steps, at + 1, value);
            body.put(name, step.intoListElement() ? List.of(inner) : inner);
        }
        return body;
    }

    /** A value of the right JSON type that the codec accepts for the member. */
    public static Object placeholder(Class<?> owner, SdkField<?> field) {
        switch (field.marshallingType().getKnownType()) {
            case STRING: {
                Set<String> values = enumValues(owner, field);
                return values == null ? "placeholder" : values.iterator().next();
            }
            case INTEGER:
            case LONG:
            case SHORT:
            case BYTE:
                return 1;
            case FLOAT:
            case DOUBLE:
            case BIG_DECIMAL:
                return 1.5;
            case BOOLEAN:
                return Boolean.TRUE;
            case INSTANT:
                return 1619719924;
            case SDK_BYTES:
                return "AAAA";
            case SDK_POJO:
                return minimal(nestedBuilder(field));
            case LIST:
                return List.of();
            case MAP:
                return Map.of();
            default:
                throw new IllegalArgumentException("no placeholder for " + field.marshallingType());
        }
    }

    /**
     * A value of the wrong JSON type for the member: an object where a string is expected, a string
     * where a number, boolean, list, timestamp or structure is expected, an array for a map.
     */
    public static Object wrongType(SdkField<?> field) {
        switch (field.marshallingType().getKnownType()) {
            case STRING:
                return Map.of("not", "a string");
            case INTEGER:
            case LONG:
            case SHORT:
            case BYTE:
                return "12";
            case FLOAT:
            case DOUBLE:
            case BIG_DECIMAL:
                return "1.5";
            case BOOLEAN:
                return "true";
            case INSTANT:
                return "2021-04-29T18:12:04Z";
            case SDK_BYTES:
                return 12;
            case SDK_POJO:
                return "not an object";
            case LIST:
                return "not a list";
            case MAP:
                return List.of("not", "a map");
            default:
                throw new IllegalArgumentException("no wrong value for " + field.marshallingType());
        }
    }

    /** What {@link #wrongType} sends instead of what, in words, for test names. */
    public static String describeWrongType(SdkField<?> field) {
        Object v = wrongType(field);
        String sent = v instanceof Map ? "an object" : v instanceof List ? "an array" : v instanceof String ? "a string" : "a number";
        String expected;
        switch (field.marshallingType().getKnownType()) {
            case STRING:
                expected = "a string";
                break;
            case INTEGER:
            case LONG:
            case SHORT:
            case BYTE:
                expected = "an integer";
                break;
            case FLOAT:
            case DOUBLE:
            case BIG_DECIMAL:
                expected = "a number";
                break;
            case BOOLEAN:
                expected = "a boolean";
                break;
            case INSTANT:
                expected = "a timestamp (epoch seconds)";
                break;
            case SDK_BYTES:
                expected = "base64 bytes";
                break;
            case SDK_POJO:
                expected = "a structure";
                break;
            case LIST:
                expected = "a list";
                break;
            case MAP:
                expected = "a map";
                break;
            default:
                expected = field.marshallingType().toString();
        }
        return sent + " where " + expected + " is expected";
    }

    /**
     * The enum values of a member (a string, or a list or map of strings), from the SDK getter pair
     * {@code x()} / {@code xAsString()} (or {@code xAsStrings()}); null when it is not an enum.
     */
    public static Set<String> enumValues(Class<?> owner, SdkField<?> field) {
        MarshallingKnownType type = field.marshallingType().getKnownType();
        if (type != MarshallingKnownType.STRING && type != MarshallingKnownType.LIST && type != MarshallingKnownType.MAP) {
            return null;
        }
        Method raw = method(owner, field.memberName() + (type == MarshallingKnownType.STRING ? "AsString" : "AsStrings"));
        Method typed = method(owner, field.memberName());
        if (raw == null || typed == null) {
            return null;
        }
        Type t = typed.getGenericReturnType();
        if (t instanceof ParameterizedType) {
            Type[] args = ((ParameterizedType) t).getActualTypeArguments();
            t = args[args.length - 1];
        }
        if (!(t instanceof Class<?>) || !((Class<?>) t).isEnum()) {
            return null;
        }
        try {
            Set<String> values = new LinkedHashSet<>();
            for (Object v : (Set<?>) ((Class<?>) t).getMethod("knownValues").invoke(null)) {
                values.add(v.toString());
            }
            return values;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Method method(Class<?> owner, String nameIgnoringCase) {
        return Arrays.stream(owner.getMethods())
                .filter(m -> m.getParameterCount() == 0 && m.getName().equalsIgnoreCase(nameIgnoringCase))
                .findFirst().orElse(null);
    }

    private static Properties load(String resource) {
        Properties p = new Properties();
        try (InputStream in = RequestShapes.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing " + resource);
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}

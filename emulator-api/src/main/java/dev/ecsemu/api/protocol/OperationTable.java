package dev.ecsemu.api.protocol;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;

/**
 * Operation name to handler, built once at start-up from handler objects. A handler method is any
 * public method {@code XResponse x(XRequest, RequestContext)}; the operation's name is the request
 * class's name without {@code Request}, exactly as the SDK model names it.
 */
public final class OperationTable {
    private final Map<String, Operation> operations = new HashMap<>();

    public OperationTable(Object... handlers) {
        for (Object handler : handlers) {
            for (Method m : handler.getClass().getMethods()) {
                Class<?>[] params = m.getParameterTypes();
                if (params.length == 2 && SdkRequest.class.isAssignableFrom(params[0]) && params[1] == RequestContext.class
                        && SdkResponse.class.isAssignableFrom(m.getReturnType())) {
                    String name = params[0].getSimpleName().replaceFirst("Request$", "");
                    Operation previous = operations.put(name, new Operation(name, builderOf(params[0]), handler, m));
                    if (previous != null) {
                        throw new IllegalStateException("Two handlers for " + name);
                    }
                }
            }
        }
    }

    public Operation get(String name) {
        return operations.get(name);
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(new TreeSet<>(operations.keySet()));
    }

    private static Supplier<SdkPojo> builderOf(Class<?> requestClass) {
        try {
            Method builder = requestClass.getMethod("builder");
            if (!Modifier.isStatic(builder.getModifiers())) {
                throw new IllegalStateException(requestClass + ".builder() is not static");
            }
            return () -> {
                try {
                    return (SdkPojo) builder.invoke(null);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            };
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(requestClass + " has no builder()", e);
        }
    }
}

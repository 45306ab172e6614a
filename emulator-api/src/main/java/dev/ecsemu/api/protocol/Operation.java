package dev.ecsemu.api.protocol;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkPojo;

/** One implemented operation: how to build its request and which handler method answers it. */
public final class Operation {
    private final String name;
    private final Supplier<SdkPojo> requestBuilder;
    private final Object handler;
    private final Method method;

    Operation(String name, Supplier<SdkPojo> requestBuilder, Object handler, Method method) {
        this.name = name;
        this.requestBuilder = requestBuilder;
        this.handler = handler;
        this.method = method;
    }

    public String name() {
        return name;
    }

    public Supplier<SdkPojo> requestBuilder() {
        return requestBuilder;
    }

    public SdkPojo invoke(SdkPojo request, RequestContext context) {
        try {
            return (SdkPojo) method.invoke(handler, request, context);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}

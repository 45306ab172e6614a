package dev.ecsemu.api.protocol;

import dev.ecsemu.api.model.ShapeCodec;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.core.SdkRequest;

/**
 * One AWS JSON 1.1 service: its {@code X-Amz-Target} prefix, the operations we implement, and every
 * operation its SDK model defines (so the rest can be named in a clear refusal).
 */
public final class JsonService {
    private final String name;
    private final String targetPrefix;
    private final String messageKey;
    private final ShapeCodec codec;
    private final OperationTable operations;
    private final Class<?> sdkClientInterface;
    private volatile Set<String> modelOperations;

    /**
     * @param sdkClientInterface the SDK's synchronous client interface, whose methods list every operation of the model
     * @param messageKey         {@code message}, or {@code Message} for services whose errors use that spelling
     */
    public JsonService(String name, String targetPrefix, Class<?> sdkClientInterface, String validationErrorType,
            String messageKey, OperationTable operations) {
        this.name = name;
        this.targetPrefix = targetPrefix;
        this.messageKey = messageKey;
        this.codec = new ShapeCodec(validationErrorType);
        this.operations = operations;
        this.sdkClientInterface = sdkClientInterface;
    }

    public String name() {
        return name;
    }

    public String targetPrefix() {
        return targetPrefix;
    }

    public String messageKey() {
        return messageKey;
    }

    public ShapeCodec codec() {
        return codec;
    }

    public OperationTable operations() {
        return operations;
    }

    /**
     * Every operation of the service's model, implemented or not, in name order. Computed on first
     * use: reflecting over the client interface loads every request class, which start-up need not pay for.
     */
    public Set<String> modelOperations() {
        Set<String> names = modelOperations;
        if (names == null) {
            names = operationsOf(sdkClientInterface);
            modelOperations = names;
        }
        return names;
    }

    private static Set<String> operationsOf(Class<?> client) {
        Set<String> names = new TreeSet<>();
        for (Method m : client.getMethods()) {
            Class<?>[] params = m.getParameterTypes();
            if (params.length == 1 && SdkRequest.class.isAssignableFrom(params[0])) {
                names.add(params[0].getSimpleName().replaceFirst("Request$", ""));
            }
        }
        return Collections.unmodifiableSet(names);
    }
}

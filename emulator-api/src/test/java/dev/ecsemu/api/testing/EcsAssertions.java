package dev.ecsemu.api.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import software.amazon.awssdk.services.ecs.model.EcsException;

/** Assertions on the refusals the emulator sends back, as the real SDK surfaces them. */
public final class EcsAssertions {
    private EcsAssertions() {
    }

    /**
     * Asserts that the call fails with exactly the given SDK exception class, HTTP 400 and the exact
     * message (the {@code message} member of the error body, without the SDK's decorations).
     */
    public static <E extends EcsException> E assertEcsError(ThrowingCallable call, Class<E> type, String message) {
        E e = catchThrowableOfType(type, call);
        assertThat(e).as("expected %s to be thrown", type.getSimpleName()).isNotNull();
        assertThat(e.getClass()).isEqualTo(type);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo(type.getSimpleName());
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
        assertThat(e.statusCode()).isEqualTo(400);
        return e;
    }
}

package dev.ecsemu.api.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import software.amazon.awssdk.services.ecr.model.EcrException;

/** Assertions on ECR refusals as the real SDK surfaces them. */
public final class EcrAssertions {
    private EcrAssertions() {
    }

    /** The call fails with exactly this SDK exception class (HTTP 400, error code its name); answers the error message. */
    public static <E extends EcrException> String ecrError(ThrowingCallable call, Class<E> type) {
        E e = catchThrowableOfType(type, call);
        assertThat(e).as("expected %s to be thrown", type.getSimpleName()).isNotNull();
        assertThat(e.getClass()).isEqualTo(type);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo(type.getSimpleName());
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorMessage()).isNotBlank();
        return e.awsErrorDetails().errorMessage();
    }

    /** As {@link #ecrError(ThrowingCallable, Class)}, with the exact message. */
    public static <E extends EcrException> void assertEcrError(ThrowingCallable call, Class<E> type, String message) {
        assertThat(ecrError(call, type)).isEqualTo(message);
    }
}

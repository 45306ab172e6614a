package dev.ecsemu.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.ecsemu.core.error.ApiException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Asserts on the refusals the domain answers with: their AWS error type, HTTP status and message. */
public final class Refusals {
    private Refusals() {
    }

    /** Runs the call, asserts it was refused with an {@link ApiException}, and answers that exception. */
    public static ApiException refusal(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("expected a refusal (ApiException)").isInstanceOf(ApiException.class);
        return (ApiException) thrown;
    }

    /** Asserts the call is refused with exactly this error type (400) and message. */
    public static ApiException assertRefused(ThrowingCallable call, String errorType, String message) {
        ApiException e = refusal(call);
        assertThat(e.errorType()).as("error type of: " + e.getMessage()).isEqualTo(errorType);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo(message);
        return e;
    }

    /** Asserts the call is refused with this error type (400) and a message containing every fragment. */
    public static ApiException assertRefusedContaining(ThrowingCallable call, String errorType, String... fragments) {
        ApiException e = refusal(call);
        assertThat(e.errorType()).as("error type of: " + e.getMessage()).isEqualTo(errorType);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).contains(fragments);
        return e;
    }
}

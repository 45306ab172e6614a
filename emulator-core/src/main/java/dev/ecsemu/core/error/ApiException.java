package dev.ecsemu.core.error;

/**
 * A refusal that reaches the client as an AWS error: the error type (the {@code __type} of the
 * JSON body), the HTTP status and a message a person can act on.
 *
 * <p>The type is the simple name of the SDK's exception class for that error, so clients that catch
 * the typed exception (for example {@code ClusterNotFoundException}) get exactly that type.
 */
public class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String errorType;
    private final int status;

    public ApiException(String errorType, int status, String message) {
        super(message, null, false, false);
        this.errorType = errorType;
        this.status = status;
    }

    /** A client error (400) whose type is the simple name of the given SDK exception class. */
    public static ApiException of(Class<? extends Throwable> sdkException, String message) {
        String type = sdkException.getSimpleName();
        return new ApiException(type, type.equals("ServerException") ? 500 : 400, message);
    }

    public String errorType() {
        return errorType;
    }

    public int status() {
        return status;
    }
}

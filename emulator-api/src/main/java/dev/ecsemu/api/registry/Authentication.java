package dev.ecsemu.api.registry;

import dev.ecsemu.core.registry.AuthorizationTokens;
import java.util.function.Supplier;

/**
 * {@code docker login} as ECR has it: every request carries {@code Authorization: Basic base64(AWS:<password>)}
 * with a password GetAuthorizationToken issued and that has not expired. As in ECR, a password is good for
 * every registry (account) of the emulator; there is no IAM to narrow it.
 */
final class Authentication {
    private final AuthorizationTokens tokens;
    private final Supplier<String> registryHost;
    private final boolean required;

    Authentication(AuthorizationTokens tokens, Supplier<String> registryHost, boolean required) {
        this.tokens = tokens;
        this.registryHost = registryHost;
        this.required = required;
    }

    /** Refuses the request with 401 and a Basic challenge unless it is authenticated (or authentication is off). */
    void check(String authorizationHeader) {
        if (!required) {
            return;
        }
        String password = AuthorizationTokens.passwordOfBasic(authorizationHeader);
        if (password == null) {
            throw unauthorized("Not Authorized. Log in first: aws ecr get-login-password | docker login --username AWS"
                    + " --password-stdin " + registryHost.get());
        }
        if (tokens.verify(password).isEmpty()) {
            throw unauthorized("Your authorization token has expired. Reauthenticate and try again. (The password must come from"
                    + " GetAuthorizationToken of this emulator run; passwords last 12 hours.)");
        }
    }

    private RegistryError unauthorized(String message) {
        return new RegistryError(401, "UNAUTHORIZED", message)
                .header("WWW-Authenticate", "Basic realm=\"http://" + registryHost.get() + "/\",service=\"ecr.amazonaws.com\"");
    }
}

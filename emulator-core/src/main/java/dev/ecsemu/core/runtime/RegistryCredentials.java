package dev.ecsemu.core.runtime;

import java.util.Optional;

/**
 * The credentials to pull an image with, for images of registries that need them (the emulator's own
 * ECR registry, when it requires {@code docker login}). The engine pulls every other image as it would.
 */
@FunctionalInterface
public interface RegistryCredentials {
    RegistryCredentials NONE = image -> Optional.empty();

    /** A login for the registry the image reference names, or empty. */
    Optional<Login> forImage(String image);

    /**
     * @param registry the {@code host:port} logged into
     * @param username for ECR always {@code AWS}
     * @param password for ECR an authorization token's password
     * @param alwaysPull pull even when the engine has the image, since the tag may have moved (ECS's default for ECR)
     */
    record Login(String registry, String username, String password, boolean alwaysPull) {
    }
}

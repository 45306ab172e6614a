package dev.ecsemu.core.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.PullImageCmd;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.model.AuthConfig;
import dev.ecsemu.core.runtime.RegistryCredentials;
import java.util.Optional;
import com.github.dockerjava.api.exception.NotFoundException;
import java.util.List;

/** Makes an image present locally: uses it when the engine has it, else pulls it. */
final class Images {
    private Images() {
    }

    /** A pull that failed; the message is Docker's. */
    static final class PullException extends Exception {
        PullException(String message) {
            super(message);
        }
    }

    /**
     * Ensures the image is present and answers its repo digest ({@code sha256:...}) when the engine knows
     * one, else null (locally built images have none).
     */
    static String ensure(DockerClient quick, DockerClient streaming, String image, RegistryCredentials credentials)
            throws PullException, InterruptedException {
        if (image == null || image.isBlank()) {
            throw new PullException("the container definition has no image");
        }
        String reference = withDefaultTag(image);
        Optional<RegistryCredentials.Login> login = credentials.forImage(reference);
        if (login.isEmpty() || !login.get().alwaysPull()) {
            try {
                return digest(quick.inspectImageCmd(reference).exec());
            } catch (NotFoundException absent) {
                // pull below
            }
        }
        try {
            int at = reference.indexOf('@');
            PullImageCmd pull;
            if (at >= 0) {
                pull = streaming.pullImageCmd(reference);
            } else {
                int colon = reference.lastIndexOf(':');
                pull = streaming.pullImageCmd(reference.substring(0, colon)).withTag(reference.substring(colon + 1));
            }
            login.ifPresent(l -> pull.withAuthConfig(new AuthConfig().withRegistryAddress(l.registry()).withUsername(l.username())
                    .withPassword(l.password())));
            pull.exec(new PullImageResultCallback()).awaitCompletion();
            return digest(quick.inspectImageCmd(reference).exec());
        } catch (RuntimeException e) {
            if (login.isPresent()) {
                // ECS's default pull behaviour: when the registry cannot be reached, a cached image will do.
                try {
                    return digest(quick.inspectImageCmd(reference).exec());
                } catch (NotFoundException absent) {
                    // nothing cached either
                }
            }
            throw new PullException(DockerErrors.message(e));
        }
    }

    /** Docker pulls every tag of a repository given without one; ECS means {@code latest}. */
    static String withDefaultTag(String image) {
        if (image.contains("@")) {
            return image;
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash ? image : image + ":latest";
    }

    private static String digest(InspectImageResponse image) {
        List<String> digests = image.getRepoDigests();
        if (digests == null || digests.isEmpty()) {
            return null;
        }
        String first = digests.get(0);
        int at = first.indexOf('@');
        return at >= 0 ? first.substring(at + 1) : first;
    }
}

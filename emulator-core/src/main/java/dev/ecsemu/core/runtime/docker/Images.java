package dev.ecsemu.core.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
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
    static String ensure(DockerClient quick, DockerClient streaming, String image) throws PullException, InterruptedException {
        if (image == null || image.isBlank()) {
            throw new PullException("the container definition has no image");
        }
        String reference = withDefaultTag(image);
        try {
            return digest(quick.inspectImageCmd(reference).exec());
        } catch (NotFoundException absent) {
            // pull below
        }
        try {
            int at = reference.indexOf('@');
            if (at >= 0) {
                streaming.pullImageCmd(reference).exec(new PullImageResultCallback()).awaitCompletion();
            } else {
                int colon = reference.lastIndexOf(':');
                streaming.pullImageCmd(reference.substring(0, colon)).withTag(reference.substring(colon + 1))
                        .exec(new PullImageResultCallback()).awaitCompletion();
            }
            return digest(quick.inspectImageCmd(reference).exec());
        } catch (RuntimeException e) {
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

package dev.ecsemu.api.registry;

import dev.ecsemu.core.ecr.Image;
import dev.ecsemu.core.ecr.ImageRejected;
import dev.ecsemu.core.ecr.ManifestFacts;
import dev.ecsemu.core.registry.Digests;
import dev.ecsemu.core.registry.Registry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.util.Optional;

/**
 * {@code /v2/<name>/manifests/<tag or digest>}: images by tag or digest, kept byte-exact (Docker schema 2,
 * OCI image manifests, OCI indexes and Docker manifest lists), so a pull by digest gets exactly what was pushed.
 */
final class ManifestEndpoints {
    private final RepositoryAccess repositories;
    private final Registry registry;
    private final Clock clock;

    ManifestEndpoints(RepositoryAccess repositories, Registry registry, Clock clock) {
        this.repositories = repositories;
        this.registry = registry;
        this.clock = clock;
    }

    /** GET or HEAD. Every image is answered as stored, whatever the client's Accept says (no conversion). */
    RegistryResponse fetch(RepositoryName name, String reference, boolean headOnly) {
        Optional<Image> found = headOnly
                ? repositories.read(name, r -> r.image(reference))
                : repositories.write(name, r -> r.image(reference).map(image -> {
                    image.pulled(clock.instant());
                    return image;
                }));
        Image image = found.orElseThrow(() -> RegistryError.manifestUnknown(reference));
        RegistryResponse response = new RegistryResponse(200)
                .body(image.mediaType(), image.manifest())
                .header("Docker-Content-Digest", image.digest())
                .header("ETag", "\"" + image.digest() + "\"");
        return headOnly ? response.withoutBody() : response;
    }

    /** PUT: a manifest, at most 4 MiB, collected in memory and then stored if everything it references is there. */
    RegistryRequest put(RepositoryName name, String reference, String contentType, long contentLength) {
        repositories.requireExists(name);
        if (contentLength > ManifestFacts.MAX_BYTES) {
            throw tooLarge(contentLength);
        }
        return new RegistryRequest() {
            private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(contentLength > 0 ? (int) contentLength : 4096);
            private long received;

            @Override
            public boolean wantsBody() {
                return true;
            }

            @Override
            public void body(ByteBuf chunk) {
                received += chunk.readableBytes();
                if (received <= ManifestFacts.MAX_BYTES) {
                    bytes.writeBytes(ByteBufUtil.getBytes(chunk));
                }
            }

            @Override
            public RegistryResponse end() {
                if (received > ManifestFacts.MAX_BYTES) {
                    throw tooLarge(received);
                }
                return store(name, reference, contentType, bytes.toByteArray());
            }

            @Override
            public void abandon() {
            }
        };
    }

    private RegistryResponse store(RepositoryName name, String reference, String contentType, byte[] manifest) {
        boolean byDigest = reference.startsWith("sha256:");
        if (byDigest && !Digests.isValid(reference)) {
            throw RegistryError.digestInvalid("'" + reference + "' is not a sha256 digest (sha256:<64 lowercase hex digits>).", reference);
        }
        Image image;
        try {
            image = repositories.write(name, r -> r.put(manifest, contentType, byDigest ? null : reference, byDigest ? reference : null,
                    clock.instant(), false));
        } catch (ImageRejected e) {
            throw refusal(e);
        }
        return new RegistryResponse(201)
                .header("Location", name.path() + "/manifests/" + image.digest())
                .header("Docker-Content-Digest", image.digest())
                .header("Content-Length", 0);
    }

    /**
     * DELETE by digest deletes the image with its tags, by tag only the tag. An image an index lists
     * stays, as ECR refuses to delete it. The blobs only it held are freed afterwards, off this request.
     */
    RegistryResponse delete(RepositoryName name, String reference) {
        boolean byDigest = reference.startsWith("sha256:");
        repositories.write(name, r -> {
            if (!byDigest) {
                if (!r.untag(reference)) {
                    throw RegistryError.manifestUnknown(reference);
                }
                return null;
            }
            if (r.byDigest(reference).isEmpty()) {
                throw RegistryError.manifestUnknown(reference);
            }
            if (!r.indexesListing(reference).isEmpty()) {
                throw new RegistryError(403, "DENIED", "The image " + reference + " is listed by an image index (manifest list) in the"
                        + " repository '" + r.name() + "': delete the index first.").detail("digest", reference);
            }
            r.delete(reference);
            return null;
        });
        if (byDigest) {
            registry.collectGarbageSoon();
        }
        return new RegistryResponse(202).header("Content-Length", 0);
    }

    private static RegistryError tooLarge(long size) {
        return new RegistryError(400, "MANIFEST_INVALID", "The manifest is " + size + " bytes; ECR accepts manifests of at most 4 MiB.");
    }

    /** The core's reasons in the spec's codes; the messages are ECR's where ECR has one. */
    private static RegistryError refusal(ImageRejected e) {
        switch (e.reason()) {
            case BLOB_UNKNOWN:
            case MANIFEST_UNKNOWN:
                // Like docker/distribution: a layer, config or (for an index) image manifest that was not pushed first.
                return new RegistryError(400, "MANIFEST_BLOB_UNKNOWN", e.getMessage()).detail("digest", e.detail());
            case TAG_INVALID:
            case TAG_IMMUTABLE:
                return new RegistryError(400, "TAG_INVALID", e.getMessage()).detail("tag", e.detail());
            case DIGEST_INVALID:
                return RegistryError.digestInvalid(e.getMessage(), e.detail());
            case MANIFEST_INVALID:
            case ALREADY_EXISTS:
            default:
                return new RegistryError(400, "MANIFEST_INVALID", e.getMessage());
        }
    }
}

package dev.ecsemu.api.registry;

import dev.ecsemu.core.ecr.Repository;
import dev.ecsemu.core.registry.BlobStore;
import dev.ecsemu.core.registry.BlobUpload;
import dev.ecsemu.core.registry.Digests;
import dev.ecsemu.core.registry.Registry;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /v2/<name>/blobs/uploads/}: pushing a blob, in one request (POST with {@code ?digest=}) or as
 * an upload session (POST, PATCH chunks, PUT with {@code ?digest=}), or by mounting it from another
 * repository of the same registry. A blob becomes part of the repository only once its bytes hash to
 * the digest the client named.
 */
final class UploadEndpoints {
    private static final Pattern CONTENT_RANGE = Pattern.compile("(?:bytes[ =])?(\\d+)-(\\d+)(?:/(?:\\d+|\\*))?");

    private final RepositoryAccess repositories;
    private final Registry registry;

    UploadEndpoints(RepositoryAccess repositories, Registry registry) {
        this.repositories = repositories;
        this.registry = registry;
    }

    /** POST: a cross-repository mount, a monolithic upload ({@code digest}), or a new upload session. */
    RegistryRequest start(RepositoryName name, String digest, String mount, String from) {
        repositories.requireExists(name);
        if (mount != null) {
            Optional<RegistryResponse> mounted = mount(name, mount, from);
            if (mounted.isPresent()) {
                return RegistryRequest.answered(mounted.get());
            }
        }
        if (digest != null) {
            BlobEndpoints.requireValid(digest);
            return new UploadBody(registry.blobs().begin(name.full()), upload -> commit(name, upload, digest));
        }
        return RegistryRequest.answered(progress(name, registry.blobs().begin(name.full()), 202));
    }

    /** PATCH: the next chunk (or the whole blob, streamed). */
    RegistryRequest patch(RepositoryName name, String id, String contentRange) {
        BlobUpload upload = find(name, id);
        requireNext(name, upload, contentRange);
        return new UploadBody(upload, u -> progress(name, u, 202));
    }

    /** PUT: the last bytes, if any, then the upload becomes the blob {@code digest} if its bytes hash to it. */
    RegistryRequest finish(RepositoryName name, String id, String digest, String contentRange) {
        BlobUpload upload = find(name, id);
        if (digest == null) {
            throw RegistryError.digestInvalid("Finishing an upload needs ?digest=sha256:<hex> naming the digest of all its bytes.", null);
        }
        BlobEndpoints.requireValid(digest);
        requireNext(name, upload, contentRange);
        return new UploadBody(upload, u -> commit(name, u, digest));
    }

    /** GET: how far the upload got. */
    RegistryResponse status(RepositoryName name, String id) {
        return progress(name, find(name, id), 204);
    }

    /** DELETE: the upload is cancelled and its bytes removed. */
    RegistryResponse cancel(RepositoryName name, String id) {
        try {
            registry.blobs().cancel(find(name, id));
        } catch (BlobStore.UploadGoneException e) {
            throw RegistryError.uploadUnknown(id);
        }
        return new RegistryResponse(204).header("Content-Length", 0);
    }

    private Optional<RegistryResponse> mount(RepositoryName name, String digest, String from) {
        if (from == null || !Digests.isValid(digest)) {
            return Optional.empty();
        }
        RepositoryName source;
        try {
            source = RepositoryName.parse(from);
        } catch (RegistryError e) {
            return Optional.empty();
        }
        if (!source.scope().equals(name.scope())) {
            return Optional.empty(); // another account's or region's registry: the client uploads instead
        }
        boolean mounted = repositories.writeState(name, state -> {
            Repository target = RepositoryAccess.require(state, name);
            Optional<Repository> origin = state.repositories().find(source.repository());
            if (origin.isEmpty() || !origin.get().hasBlob(digest) || !registry.blobs().contains(digest)) {
                return false;
            }
            registry.link(target, digest);
            return true;
        });
        return mounted ? Optional.of(created(name, digest)) : Optional.empty();
    }

    private RegistryResponse commit(RepositoryName name, BlobUpload upload, String digest) {
        long size = upload.size();
        Optional<String> stored;
        try {
            stored = registry.commit(upload, digest, () -> repositories.write(name, r -> {
                registry.link(r, digest);
                return null;
            }));
        } catch (BlobStore.UploadGoneException e) {
            throw RegistryError.uploadUnknown(upload.id()); // another request finished or cancelled it first
        }
        if (stored.isEmpty()) {
            throw RegistryError.digestInvalid("The " + size + " bytes uploaded do not hash to " + digest + " (a wrong digest, or bytes"
                    + " missing): the upload was discarded and nothing was stored. Upload the whole blob again.", digest);
        }
        return created(name, digest);
    }

    private BlobUpload find(RepositoryName name, String id) {
        return registry.blobs().upload(id).filter(u -> name.full().equals(u.owner()))
                .orElseThrow(() -> RegistryError.uploadUnknown(id));
    }

    /** A {@code Content-Range} must continue the upload where it stands; out of order is 416. */
    private static void requireNext(RepositoryName name, BlobUpload upload, String contentRange) {
        if (contentRange == null) {
            return;
        }
        Matcher m = CONTENT_RANGE.matcher(contentRange.trim());
        if (!m.matches()) {
            throw new RegistryError(400, "BLOB_UPLOAD_INVALID", "Content-Range '" + contentRange
                    + "' is not <first byte>-<last byte>.");
        }
        long size = upload.size();
        if (m.group(1).length() > 18 || Long.parseLong(m.group(1)) != size) {
            RegistryError e = new RegistryError(416, "BLOB_UPLOAD_INVALID", "The chunk starts at byte " + m.group(1) + " but the upload"
                    + " has " + size + " bytes: send the chunk that starts at byte " + size + ".");
            progress(name, upload, 416).headers().forEach(e::header);
            throw e;
        }
    }

    private static RegistryResponse progress(RepositoryName name, BlobUpload upload, int status) {
        long size = upload.size();
        return new RegistryResponse(status)
                .header("Location", name.path() + "/blobs/uploads/" + upload.id())
                // As docker/distribution writes it: the last byte received, 0-0 before the first one.
                .header("Range", "0-" + Math.max(0, size - 1))
                .header("Docker-Upload-UUID", upload.id())
                .header("Content-Length", 0);
    }

    private static RegistryResponse created(RepositoryName name, String digest) {
        return new RegistryResponse(201)
                .header("Location", name.path() + "/blobs/" + digest)
                .header("Docker-Content-Digest", digest)
                .header("Content-Length", 0);
    }
}

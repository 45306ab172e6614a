package dev.ecsemu.api.ecr;

import dev.ecsemu.api.protocol.RequestContext;
import dev.ecsemu.core.ecr.Image;
import dev.ecsemu.core.ecr.Repository;
import dev.ecsemu.core.error.ApiException;
import dev.ecsemu.core.registry.BlobStore;
import dev.ecsemu.core.registry.BlobUpload;
import dev.ecsemu.core.registry.Digests;
import dev.ecsemu.core.registry.Registry;
import dev.ecsemu.core.state.Scope;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ecr.model.BatchCheckLayerAvailabilityRequest;
import software.amazon.awssdk.services.ecr.model.BatchCheckLayerAvailabilityResponse;
import software.amazon.awssdk.services.ecr.model.CompleteLayerUploadRequest;
import software.amazon.awssdk.services.ecr.model.CompleteLayerUploadResponse;
import software.amazon.awssdk.services.ecr.model.EmptyUploadException;
import software.amazon.awssdk.services.ecr.model.GetDownloadUrlForLayerRequest;
import software.amazon.awssdk.services.ecr.model.GetDownloadUrlForLayerResponse;
import software.amazon.awssdk.services.ecr.model.InitiateLayerUploadRequest;
import software.amazon.awssdk.services.ecr.model.InitiateLayerUploadResponse;
import software.amazon.awssdk.services.ecr.model.InvalidLayerException;
import software.amazon.awssdk.services.ecr.model.InvalidLayerPartException;
import software.amazon.awssdk.services.ecr.model.Layer;
import software.amazon.awssdk.services.ecr.model.LayerAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.LayerAvailability;
import software.amazon.awssdk.services.ecr.model.LayerFailure;
import software.amazon.awssdk.services.ecr.model.LayerFailureCode;
import software.amazon.awssdk.services.ecr.model.LayerInaccessibleException;
import software.amazon.awssdk.services.ecr.model.LayersNotFoundException;
import software.amazon.awssdk.services.ecr.model.UploadLayerPartRequest;
import software.amazon.awssdk.services.ecr.model.UploadLayerPartResponse;
import software.amazon.awssdk.services.ecr.model.UploadNotFoundException;

/**
 * The layer API: BatchCheckLayerAvailability, InitiateLayerUpload, UploadLayerPart,
 * CompleteLayerUpload, GetDownloadUrlForLayer. Uploads stream into the registry's blob storage (the
 * same one {@code docker push} fills) and become blobs of the repository once their bytes hash to
 * the digest the client names.
 */
public final class LayerOperations {
    /**
     * The part size InitiateLayerUpload advises: a part travels base64-encoded in a JSON body, and
     * 5 MiB of bytes make about 6.7 MiB of body, within the emulator's default limit of 8 MiB.
     */
    static final long PART_SIZE = 5L * 1024 * 1024;

    private final Registry registry;
    private final Supplier<String> registryHost;
    /** Which repository each upload in progress belongs to. */
    private final Map<String, Owner> owners = new ConcurrentHashMap<>();

    private record Owner(Scope scope, String repository) {
    }

    public LayerOperations(Registry registry, Supplier<String> registryHost) {
        this.registry = registry;
        this.registryHost = registryHost;
    }

    /** AVAILABLE (with its size) for a blob the repository holds, UNAVAILABLE otherwise; a malformed digest is a failure. */
    public BatchCheckLayerAvailabilityResponse batchCheckLayerAvailability(BatchCheckLayerAvailabilityRequest r, RequestContext ctx) {
        EcrRequests.checkCount("layerDigests", r.layerDigests(), 1, 100);
        return ctx.store().read(state -> {
            Repository repo = EcrRequests.repository(state, r.registryId(), r.repositoryName());
            List<Layer> layers = new ArrayList<>();
            List<LayerFailure> failures = new ArrayList<>();
            for (String digest : r.layerDigests()) {
                if (digest.isEmpty()) {
                    failures.add(LayerFailure.builder().layerDigest(digest).failureCode(LayerFailureCode.MISSING_LAYER_DIGEST)
                            .failureReason("Missing layer digest").build());
                } else if (!EcrRequests.isDigestShaped(digest)) {
                    failures.add(LayerFailure.builder().layerDigest(digest).failureCode(LayerFailureCode.INVALID_LAYER_DIGEST)
                            .failureReason("Invalid layer digest: it should satisfy the regex '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'").build());
                } else if (repo.hasBlob(digest) && registry.blobs().contains(digest)) {
                    layers.add(Layer.builder().layerDigest(digest).layerAvailability(LayerAvailability.AVAILABLE)
                            .layerSize(registry.blobs().size(digest)).build());
                } else {
                    layers.add(Layer.builder().layerDigest(digest).layerAvailability(LayerAvailability.UNAVAILABLE).build());
                }
            }
            return BatchCheckLayerAvailabilityResponse.builder().layers(layers).failures(failures).build();
        });
    }

    public InitiateLayerUploadResponse initiateLayerUpload(InitiateLayerUploadRequest r, RequestContext ctx) {
        ctx.store().read(state -> EcrRequests.repository(state, r.registryId(), r.repositoryName()));
        BlobUpload upload = registry.blobs().begin();
        owners.put(upload.id(), new Owner(ctx.scope(), r.repositoryName()));
        return InitiateLayerUploadResponse.builder().uploadId(upload.id()).partSize(PART_SIZE).build();
    }

    /** Appends a part; it must start at the byte after the last one received and end where its length says. */
    public UploadLayerPartResponse uploadLayerPart(UploadLayerPartRequest r, RequestContext ctx) {
        String registryId = ctx.store().read(state -> EcrRequests.repository(state, r.registryId(), r.repositoryName()).registryId());
        BlobUpload upload = upload(r.uploadId(), ctx, r.repositoryName(), registryId);
        byte[] part = r.layerPartBlob().asByteArrayUnsafe();
        long received;
        synchronized (upload) {
            long first = upload.size();
            long last = first + part.length - 1;
            if (part.length == 0 || r.partFirstByte() != first || r.partLastByte() != last) {
                throw ApiException.of(InvalidLayerPartException.class, "The layer part is not the next one: the upload '" + r.uploadId()
                        + "' has received " + first + " bytes, so the next part starts at byte " + first + "; a part of "
                        + part.length + " bytes then ends at byte " + last + ". The request said partFirstByte " + r.partFirstByte()
                        + ", partLastByte " + r.partLastByte() + ". The last valid byte received is " + (first - 1) + ".");
            }
            try {
                upload.write(ByteBuffer.wrap(part));
            } catch (IllegalStateException completed) {
                // Completed (or discarded) by a concurrent call since it was looked up.
                throw uploadNotFound(r.uploadId(), r.repositoryName(), registryId);
            }
            received = upload.size();
        }
        return UploadLayerPartResponse.builder()
                .registryId(registryId)
                .repositoryName(r.repositoryName())
                .uploadId(r.uploadId())
                .lastByteReceived(received - 1)
                .build();
    }

    /** Turns the upload into a blob of the repository when its bytes hash to the digest named (the first of layerDigests). */
    public CompleteLayerUploadResponse completeLayerUpload(CompleteLayerUploadRequest r, RequestContext ctx) {
        EcrRequests.checkCount("layerDigests", r.layerDigests(), 1, 100);
        Repository repo = ctx.store().read(state -> EcrRequests.repository(state, r.registryId(), r.repositoryName()));
        BlobUpload upload = upload(r.uploadId(), ctx, r.repositoryName(), repo.registryId());
        String digest = r.layerDigests().get(0);
        if (!Digests.isValid(digest)) {
            throw ApiException.of(InvalidLayerException.class, "The layer digest '" + digest + "' is not a sha256 digest (sha256: and 64"
                    + " lowercase hex digits); the upload '" + r.uploadId() + "' is kept: complete it with the right digest.");
        }
        if (upload.size() == 0) {
            throw ApiException.of(EmptyUploadException.class, "The upload '" + r.uploadId() + "' has received no layer parts; send them"
                    + " with UploadLayerPart before CompleteLayerUpload.");
        }
        if (ctx.store().read(state -> repo.hasBlob(digest))) {
            if (owners.remove(upload.id()) == null) {
                throw uploadNotFound(r.uploadId(), r.repositoryName(), repo.registryId());
            }
            registry.blobs().cancel(upload);
            throw ApiException.of(LayerAlreadyExistsException.class, "The layer with digest '" + digest
                    + "' already exists in the repository with name '" + repo.name() + "' in registry with id '" + repo.registryId()
                    + "'; the upload '" + r.uploadId() + "' is discarded.");
        }
        if (owners.remove(upload.id()) == null) {
            throw uploadNotFound(r.uploadId(), r.repositoryName(), repo.registryId()); // A concurrent call completed it first.
        }
        Optional<String> stored;
        try {
            stored = registry.commit(upload, digest, () -> ctx.store().write(state -> {
                // The repository may have gone meanwhile; the blob is then collected as garbage.
                state.repositories().find(r.repositoryName()).ifPresent(current -> registry.link(current, digest));
                return null;
            }));
        } catch (BlobStore.UploadGoneException e) {
            throw uploadNotFound(r.uploadId(), r.repositoryName(), repo.registryId()); // expired or cancelled meanwhile
        }
        if (stored.isEmpty()) {
            throw ApiException.of(InvalidLayerException.class, "The " + upload.size() + " bytes uploaded do not hash to " + digest
                    + "; the upload '" + r.uploadId() + "' is discarded. Start again with InitiateLayerUpload.");
        }
        return CompleteLayerUploadResponse.builder()
                .registryId(repo.registryId())
                .repositoryName(repo.name())
                .uploadId(r.uploadId())
                .layerDigest(digest)
                .build();
    }

    /**
     * Where the layer can be downloaded: the emulator's registry ({@code /v2/...}, which asks for the
     * same credentials as {@code docker pull}). ECR answers only for layers an image refers to.
     */
    public GetDownloadUrlForLayerResponse getDownloadUrlForLayer(GetDownloadUrlForLayerRequest r, RequestContext ctx) {
        String digest = r.layerDigest();
        if (!EcrRequests.isDigestShaped(digest)) {
            throw EcrRequests.invalidParameter("Invalid parameter at 'layerDigest' failed to satisfy constraint: 'Member must satisfy"
                    + " regular expression pattern: [a-zA-Z0-9-_+.]+:[a-fA-F0-9]+' (was '" + digest + "')");
        }
        return ctx.store().read(state -> {
            Repository repo = EcrRequests.repository(state, r.registryId(), r.repositoryName());
            if (!repo.hasBlob(digest) || !registry.blobs().contains(digest)) {
                throw ApiException.of(LayersNotFoundException.class, "The image layer '" + digest
                        + "' does not exist in the repository with name '" + repo.name() + "' in the registry with id '"
                        + repo.registryId() + "'");
            }
            if (repo.images().stream().map(Image::facts).noneMatch(f -> f.blobs().contains(digest))) {
                throw ApiException.of(LayerInaccessibleException.class, "The layer '" + digest + "' is not available because no image"
                        + " of the repository '" + repo.name() + "' refers to it; push the image that uses it first.");
            }
            return GetDownloadUrlForLayerResponse.builder()
                    .layerDigest(digest)
                    .downloadUrl("http://" + registryHost.get() + "/v2/" + ctx.scope().account() + "/" + ctx.scope().region() + "/"
                            + repo.name() + "/blobs/" + digest)
                    .build();
        });
    }

    private BlobUpload upload(String uploadId, RequestContext ctx, String repository, String registryId) {
        Owner owner = owners.get(uploadId);
        Optional<BlobUpload> upload = registry.blobs().upload(uploadId);
        if (owner == null || upload.isEmpty() || !owner.equals(new Owner(ctx.scope(), repository))) {
            if (upload.isEmpty()) {
                owners.remove(uploadId);
            }
            throw uploadNotFound(uploadId, repository, registryId);
        }
        return upload.get();
    }

    private static ApiException uploadNotFound(String uploadId, String repository, String registryId) {
        return ApiException.of(UploadNotFoundException.class, "The upload with id '" + uploadId + "' does not exist in the repository"
                + " with name '" + repository + "' in the registry with id '" + registryId + "'. Start one with InitiateLayerUpload.");
    }
}

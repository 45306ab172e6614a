package dev.ecsemu.api.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * Builds and pushes images through the ECR API alone, as a client without docker does: the config
 * and layer blobs through the layer API (InitiateLayerUpload, UploadLayerPart, CompleteLayerUpload),
 * then the manifest with PutImage.
 */
public final class EcrImages {
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

    private EcrImages() {
    }

    /** An image pushed: its manifest's digest and text, and the blobs it refers to. */
    public record Pushed(String digest, String manifest, String configDigest, String layerDigest, long layerSize) {
    }

    public static String digest(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String digest(String text) {
        return digest(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Uploads bytes as one layer part and completes the upload under their digest. */
    public static String uploadBlob(EcrClient ecr, String repository, byte[] bytes) {
        String digest = digest(bytes);
        String upload = ecr.initiateLayerUpload(r -> r.repositoryName(repository)).uploadId();
        ecr.uploadLayerPart(r -> r.repositoryName(repository).uploadId(upload).partFirstByte(0L).partLastByte((long) bytes.length - 1)
                .layerPartBlob(SdkBytes.fromByteArray(bytes)));
        ecr.completeLayerUpload(r -> r.repositoryName(repository).uploadId(upload).layerDigests(digest));
        return digest;
    }

    /** Layer bytes of the given size that differ for every seed. */
    public static byte[] layer(String seed, int size) {
        byte[] pattern = ("layer " + seed + " ").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[size];
        for (int i = 0; i < size; i++) {
            out[i] = pattern[i % pattern.length];
        }
        return out;
    }

    public static byte[] config(String seed) {
        return ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":{\"seed\":\"" + seed + "\"}},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}").getBytes(StandardCharsets.UTF_8);
    }

    /** A Docker image manifest (schema 2) of one config and one layer. */
    public static String manifest(String configDigest, long configSize, String layerDigest, long layerSize) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + DOCKER_MANIFEST + "\",\"config\":{\"mediaType\":\"" + DOCKER_CONFIG
                + "\",\"size\":" + configSize + ",\"digest\":\"" + configDigest + "\"},\"layers\":[{\"mediaType\":\"" + DOCKER_LAYER
                + "\",\"size\":" + layerSize + ",\"digest\":\"" + layerDigest + "\"}]}";
    }

    /** An OCI index of the given image manifests. */
    public static String index(List<Pushed> images) {
        StringBuilder manifests = new StringBuilder();
        for (Pushed p : images) {
            manifests.append(manifests.length() == 0 ? "" : ",").append("{\"mediaType\":\"").append(DOCKER_MANIFEST)
                    .append("\",\"size\":").append(p.manifest().length()).append(",\"digest\":\"").append(p.digest())
                    .append("\",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}");
        }
        return "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":[" + manifests + "]}";
    }

    /** Uploads a config and a layer of 32 KiB made from the seed, and puts the manifest under the tag (none: untagged). */
    public static Pushed push(EcrClient ecr, String repository, String tag, String seed) {
        return push(ecr, repository, tag, seed, 32 * 1024);
    }

    public static Pushed push(EcrClient ecr, String repository, String tag, String seed, int layerSize) {
        byte[] config = config(seed);
        byte[] layer = layer(seed, layerSize);
        String configDigest = uploadBlob(ecr, repository, config);
        String layerDigest = uploadBlob(ecr, repository, layer);
        String manifest = manifest(configDigest, config.length, layerDigest, layer.length);
        String digest = ecr.putImage(r -> r.repositoryName(repository).imageTag(tag).imageManifest(manifest)).image().imageId().imageDigest();
        return new Pushed(digest, manifest, configDigest, layerDigest, layer.length);
    }
}

package dev.ecsemu.core.ecr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a registry needs to know of a manifest: its media type, the blobs (config and layers) or
 * manifests (of an index) it references, and the image size ECR reports. The bytes themselves are
 * kept as they came; this is only read from them.
 */
public record ManifestFacts(String mediaType, String configDigest, String configMediaType, String artifactType, List<String> blobs,
        List<String> manifests, long layersSize) {

    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final Set<String> IMAGE_MANIFESTS = Set.of(DOCKER_MANIFEST, OCI_MANIFEST);
    public static final Set<String> INDEXES = Set.of(DOCKER_MANIFEST_LIST, OCI_INDEX);
    /** A manifest may be at most 4 MiB, as in ECR. */
    public static final int MAX_BYTES = 4 * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    public boolean isIndex() {
        return INDEXES.contains(mediaType);
    }

    /**
     * Reads a manifest. {@code contentType} is what the client declared (the Content-Type of a
     * registry PUT, PutImage's imageManifestMediaType); the document's own mediaType wins when both
     * are there and must agree.
     */
    public static ManifestFacts parse(byte[] bytes, String contentType) {
        if (bytes.length == 0 || bytes.length > MAX_BYTES) {
            throw invalid("The manifest must be between 1 byte and 4 MiB; it is " + bytes.length + " bytes.");
        }
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw invalid("The manifest is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid("The manifest could not be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw invalid("The manifest must be a JSON object.");
        }
        String declared = contentType == null ? null : contentType.split(";")[0].trim();
        String own = root.path("mediaType").isTextual() ? root.get("mediaType").asText() : null;
        String mediaType = own != null ? own : declared;
        if (root.path("schemaVersion").asInt(0) == 1 || (mediaType != null && mediaType.contains("manifest.v1+prettyjws"))) {
            throw invalid("Image manifest schema 1 is not supported; push with a current Docker (schema 2) or an OCI tool.");
        }
        if (mediaType == null || mediaType.isEmpty() || mediaType.equals("application/json")) {
            // An OCI manifest may leave mediaType out: what it holds tells which it is.
            mediaType = root.has("manifests") ? OCI_INDEX : OCI_MANIFEST;
        }
        if (own != null && declared != null && !declared.isEmpty() && !declared.equals("application/json") && !declared.equals(own)) {
            throw invalid("The manifest's mediaType " + own + " does not match the Content-Type it was sent with, " + declared + ".");
        }
        if (root.path("schemaVersion").asInt(0) != 2) {
            throw invalid("The manifest must have schemaVersion 2.");
        }
        String artifactType = root.path("artifactType").isTextual() ? root.get("artifactType").asText() : null;
        if (INDEXES.contains(mediaType)) {
            List<String> manifests = new ArrayList<>();
            for (JsonNode m : array(root, "manifests")) {
                manifests.add(digest(m, "manifests[]"));
            }
            return new ManifestFacts(mediaType, null, null, artifactType, List.of(), List.copyOf(manifests), 0);
        }
        if (!IMAGE_MANIFESTS.contains(mediaType)) {
            throw invalid("The manifest media type " + mediaType + " is not one this registry stores (" + DOCKER_MANIFEST + ", "
                    + DOCKER_MANIFEST_LIST + ", " + OCI_MANIFEST + ", " + OCI_INDEX + ").");
        }
        JsonNode config = root.path("config");
        if (!config.isObject()) {
            throw invalid("The image manifest has no config.");
        }
        List<String> blobs = new ArrayList<>();
        String configDigest = digest(config, "config");
        blobs.add(configDigest);
        long size = 0;
        for (JsonNode layer : array(root, "layers")) {
            if (layer.has("urls")) {
                continue; // A foreign layer lives elsewhere; the registry does not hold it.
            }
            blobs.add(digest(layer, "layers[]"));
            size += layer.path("size").asLong(0);
        }
        String configMediaType = config.path("mediaType").isTextual() ? config.get("mediaType").asText() : null;
        return new ManifestFacts(mediaType, configDigest, configMediaType, artifactType, List.copyOf(blobs), List.of(), size);
    }

    private static Iterable<JsonNode> array(JsonNode root, String name) {
        JsonNode a = root.path(name);
        if (!a.isArray()) {
            throw invalid("The manifest's " + name + " must be an array.");
        }
        return a;
    }

    private static String digest(JsonNode descriptor, String where) {
        String d = descriptor.path("digest").asText("");
        if (!dev.ecsemu.core.registry.Digests.isValid(d)) {
            throw invalid("The manifest's " + where + " digest '" + d + "' is not a sha256 digest (sha256:<64 hex digits>).");
        }
        return d;
    }

    private static ImageRejected invalid(String message) {
        return new ImageRejected(ImageRejected.Reason.MANIFEST_INVALID, message, null);
    }
}

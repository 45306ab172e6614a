package dev.ecsemu.api.registry;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refusal in the distribution spec's terms: an HTTP status and a body
 * {@code {"errors":[{"code","message","detail"}]}} that docker, skopeo and other clients print as
 * {@code <code in words>: <message>}.
 */
final class RegistryError extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, String> detail = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    RegistryError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    RegistryError detail(String name, String value) {
        detail.put(name, value);
        return this;
    }

    RegistryError header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    RegistryResponse response() {
        RegistryResponse r = new RegistryResponse(status);
        headers.forEach(r::header);
        return r.json(Json.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("errors");
            g.writeStartObject();
            g.writeStringField("code", code);
            g.writeStringField("message", getMessage());
            if (detail.isEmpty()) {
                g.writeNullField("detail");
            } else {
                g.writeObjectFieldStart("detail");
                for (Map.Entry<String, String> d : detail.entrySet()) {
                    g.writeStringField(d.getKey(), d.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    // ---- the spec's codes -------------------------------------------------------------------------

    static RegistryError nameInvalid(String name) {
        return new RegistryError(400, "NAME_INVALID", "Invalid repository name '" + name + "'. This registry names repositories"
                + " <account>/<region>/<repository>, e.g. localhost:5327/000000000000/us-east-1/my-app, and a repository name is"
                + " lowercase letters and digits separated by '.', '_', '-' or '/', as in ECR.").detail("name", name);
    }

    static RegistryError blobUnknown(String digest) {
        return new RegistryError(404, "BLOB_UNKNOWN", "The blob " + digest + " is not in the repository.").detail("digest", digest);
    }

    static RegistryError uploadUnknown(String id) {
        return new RegistryError(404, "BLOB_UPLOAD_UNKNOWN", "There is no upload " + id + " in progress for this repository: it"
                + " was finished, cancelled, or abandoned for longer than an hour. Start a new one with POST .../blobs/uploads/.")
                .detail("uuid", id);
    }

    static RegistryError digestInvalid(String message, String digest) {
        RegistryError e = new RegistryError(400, "DIGEST_INVALID", message);
        return digest == null ? e : e.detail("digest", digest);
    }

    static RegistryError manifestUnknown(String reference) {
        return new RegistryError(404, "MANIFEST_UNKNOWN", "The image with the tag or digest '" + reference
                + "' is not in the repository.").detail("reference", reference);
    }

    static RegistryError unsupported(int status, String message) {
        return new RegistryError(status, "UNSUPPORTED", message);
    }
}

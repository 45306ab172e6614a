package dev.ecsemu.core.ecr;

/**
 * Why an image (a manifest, a tag) was refused, in terms both front ends map to their own errors:
 * the ECR API to its exceptions, the registry to the distribution spec's error codes.
 */
public final class ImageRejected extends RuntimeException {
    public enum Reason {
        /** Not a manifest this registry stores (bad JSON, schema 1, unknown media type). */
        MANIFEST_INVALID,
        /** A layer or config it references is not in the repository. */
        BLOB_UNKNOWN,
        /** A manifest an index references is not in the repository. */
        MANIFEST_UNKNOWN,
        /** The tag is not a valid tag. */
        TAG_INVALID,
        /** IMMUTABLE repository and the tag exists. */
        TAG_IMMUTABLE,
        /** PutImage of a digest that already has this tag. */
        ALREADY_EXISTS,
        /** The digest named does not match the manifest's bytes. */
        DIGEST_INVALID
    }

    private final Reason reason;
    private final String detail;

    public ImageRejected(Reason reason, String message, String detail) {
        super(message);
        this.reason = reason;
        this.detail = detail;
    }

    public Reason reason() {
        return reason;
    }

    /** The digest, tag or blob the refusal is about. */
    public String detail() {
        return detail;
    }
}

package dev.ecsemu.core.ecr;

import java.time.Instant;

/** One image of a repository: a manifest, kept byte-exact, under its digest. Tags live in the repository. */
public final class Image {
    private final String digest;
    private final byte[] manifest;
    private final ManifestFacts facts;
    private final Instant pushedAt;
    private final long sizeInBytes;
    private Instant lastRecordedPullTime;
    private Instant scanCompletedAt;

    Image(String digest, byte[] manifest, ManifestFacts facts, Instant pushedAt, long sizeInBytes) {
        this.digest = digest;
        this.manifest = manifest;
        this.facts = facts;
        this.pushedAt = pushedAt;
        this.sizeInBytes = sizeInBytes;
    }

    public String digest() {
        return digest;
    }

    /** The manifest's bytes as pushed; the caller must not change them. */
    public byte[] manifest() {
        return manifest;
    }

    public String mediaType() {
        return facts.mediaType();
    }

    public ManifestFacts facts() {
        return facts;
    }

    public Instant pushedAt() {
        return pushedAt;
    }

    /** The compressed size of its layers (for an index, the largest of its images), as ECR reports it. */
    public long sizeInBytes() {
        return sizeInBytes;
    }

    public Instant lastRecordedPullTime() {
        return lastRecordedPullTime;
    }

    /** A pull of the manifest; ECR records pulls at most about once a day, the emulator each time. */
    public void pulled(Instant at) {
        lastRecordedPullTime = at;
    }

    /** When the image was last scanned (StartImageScan, or scan on push), or null. */
    public Instant scanCompletedAt() {
        return scanCompletedAt;
    }

    public void scanned(Instant at) {
        scanCompletedAt = at;
    }
}

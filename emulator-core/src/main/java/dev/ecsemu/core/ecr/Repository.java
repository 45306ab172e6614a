package dev.ecsemu.core.ecr;

import dev.ecsemu.core.ecr.lifecycle.LifecycleRule;
import dev.ecsemu.core.registry.Digests;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ecr.model.EncryptionConfiguration;
import software.amazon.awssdk.services.ecr.model.ImageScanningConfiguration;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.ImageTagMutabilityExclusionFilter;

/**
 * An ECR repository: its settings, its images by digest, its tags, and the blobs pushed into it.
 * Mutated only under its store's lock.
 */
public final class Repository {
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,299}");

    private final String name;
    private final String arn;
    private final String registryId;
    private final Instant createdAt;
    private ImageTagMutability imageTagMutability;
    private List<ImageTagMutabilityExclusionFilter> exclusionFilters = List.of();
    private ImageScanningConfiguration imageScanningConfiguration;
    private final EncryptionConfiguration encryptionConfiguration;
    private String policyText;
    private String lifecyclePolicyText;
    private Instant lifecyclePolicyUpdatedAt;
    private Instant lifecyclePolicyEvaluatedAt;
    private LifecyclePreview lifecyclePreview;
    /** The repository's own tags (TagResource), not image tags. */
    private final Map<String, String> resourceTags = new LinkedHashMap<>();
    /** By digest, in push order. */
    private final Map<String, Image> images = new LinkedHashMap<>();
    private final Map<String, String> tags = new TreeMap<>();
    /** Blobs pushed into (or mounted into) this repository, and since when. */
    private final Map<String, Instant> blobs = new LinkedHashMap<>();

    Repository(String name, String arn, String registryId, Instant createdAt, ImageTagMutability mutability,
            ImageScanningConfiguration scanning, EncryptionConfiguration encryption) {
        this.name = name;
        this.arn = arn;
        this.registryId = registryId;
        this.createdAt = createdAt;
        this.imageTagMutability = mutability;
        this.imageScanningConfiguration = scanning;
        this.encryptionConfiguration = encryption;
    }

    public String name() {
        return name;
    }

    public String arn() {
        return arn;
    }

    public String registryId() {
        return registryId;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public ImageTagMutability imageTagMutability() {
        return imageTagMutability;
    }

    public void imageTagMutability(ImageTagMutability mutability) {
        imageTagMutability(mutability, List.of());
    }

    /** The setting and, for the {@code *_WITH_EXCLUSION} settings, the tags that behave the other way. */
    public void imageTagMutability(ImageTagMutability mutability, List<ImageTagMutabilityExclusionFilter> filters) {
        this.imageTagMutability = mutability;
        this.exclusionFilters = filters == null ? List.of() : List.copyOf(filters);
    }

    public List<ImageTagMutabilityExclusionFilter> imageTagMutabilityExclusionFilters() {
        return exclusionFilters;
    }

    public ImageScanningConfiguration imageScanningConfiguration() {
        return imageScanningConfiguration;
    }

    public void imageScanningConfiguration(ImageScanningConfiguration scanning) {
        this.imageScanningConfiguration = scanning;
    }

    public EncryptionConfiguration encryptionConfiguration() {
        return encryptionConfiguration;
    }

    public String policyText() {
        return policyText;
    }

    public void policyText(String text) {
        this.policyText = text;
    }

    public String lifecyclePolicyText() {
        return lifecyclePolicyText;
    }

    public Instant lifecyclePolicyUpdatedAt() {
        return lifecyclePolicyUpdatedAt;
    }

    public void lifecyclePolicy(String text, Instant at) {
        this.lifecyclePolicyText = text;
        this.lifecyclePolicyUpdatedAt = text == null ? null : at;
        this.lifecyclePolicyEvaluatedAt = null;
    }

    /** When the lifecycle policy was last applied, or null. */
    public Instant lifecyclePolicyEvaluatedAt() {
        return lifecyclePolicyEvaluatedAt;
    }

    public void lifecyclePolicyEvaluated(Instant at) {
        this.lifecyclePolicyEvaluatedAt = at;
    }

    /** The last lifecycle policy preview, or null. */
    public LifecyclePreview lifecyclePreview() {
        return lifecyclePreview;
    }

    public void lifecyclePreview(LifecyclePreview preview) {
        this.lifecyclePreview = preview;
    }

    /** The repository's tags (TagResource), key to value, in the order they were first set. */
    public Map<String, String> resourceTags() {
        return new LinkedHashMap<>(resourceTags);
    }

    public void tagResource(Map<String, String> tags) {
        resourceTags.putAll(tags);
    }

    public void untagResource(Iterable<String> keys) {
        keys.forEach(resourceTags::remove);
    }

    /** Whether the tag, once it exists, may not be moved to another image. */
    public boolean isImmutable(String tag) {
        switch (imageTagMutability) {
            case IMMUTABLE:
                return true;
            case IMMUTABLE_WITH_EXCLUSION:
                return !excluded(tag);
            case MUTABLE_WITH_EXCLUSION:
                return excluded(tag);
            default:
                return false;
        }
    }

    private boolean excluded(String tag) {
        for (ImageTagMutabilityExclusionFilter f : exclusionFilters) {
            if (LifecycleRule.wildcardMatches(f.filter(), tag)) {
                return true;
            }
        }
        return false;
    }

    // ---- images --------------------------------------------------------------------------------------

    /** Images in push order. */
    public List<Image> images() {
        return new ArrayList<>(images.values());
    }

    /** An image by tag or by digest. */
    public Optional<Image> image(String reference) {
        if (reference == null) {
            return Optional.empty();
        }
        if (reference.startsWith("sha256:")) {
            return Optional.ofNullable(images.get(reference));
        }
        String digest = tags.get(reference);
        return digest == null ? Optional.empty() : Optional.ofNullable(images.get(digest));
    }

    public Optional<Image> byDigest(String digest) {
        return Optional.ofNullable(images.get(digest));
    }

    /** The image's tags, sorted. */
    public List<String> tagsOf(String digest) {
        List<String> out = new ArrayList<>();
        tags.forEach((tag, d) -> {
            if (d.equals(digest)) {
                out.add(tag);
            }
        });
        return out;
    }

    /** Every tag, sorted, with the digest it names. */
    public Map<String, String> tags() {
        return new TreeMap<>(tags);
    }

    public static boolean isValidTag(String tag) {
        return tag != null && TAG.matcher(tag).matches();
    }

    /**
     * Stores a manifest (and moves {@code tag} to it). Everything it references must already be in
     * the repository. With {@code strict} (the PutImage API) pushing what is already there is refused,
     * as ECR's PutImage does; a registry push of the same manifest again is simply accepted.
     *
     * @param digestReference the digest a registry PUT named it by, or null
     */
    public Image put(byte[] manifest, String contentType, String tag, String digestReference, Instant now, boolean strict) {
        ManifestFacts facts = ManifestFacts.parse(manifest, contentType);
        String digest = Digests.of(manifest);
        if (digestReference != null && !digestReference.equals(digest)) {
            throw new ImageRejected(ImageRejected.Reason.DIGEST_INVALID, "The manifest's digest is " + digest + ", not " + digestReference
                    + ".", digestReference);
        }
        if (tag != null && !isValidTag(tag)) {
            throw new ImageRejected(ImageRejected.Reason.TAG_INVALID, "The image tag '" + tag + "' is not valid: up to 300 letters, digits,"
                    + " '_', '.' and '-', not starting with '.' or '-'.", tag);
        }
        for (String blob : facts.blobs()) {
            if (!blobs.containsKey(blob)) {
                throw new ImageRejected(ImageRejected.Reason.BLOB_UNKNOWN, "The manifest references the blob " + blob
                        + ", which is not in the repository '" + name + "': push it first.", blob);
            }
        }
        long size = facts.layersSize();
        for (String child : facts.manifests()) {
            Image c = images.get(child);
            if (c == null) {
                throw new ImageRejected(ImageRejected.Reason.MANIFEST_UNKNOWN, "The index references the manifest " + child
                        + ", which is not in the repository '" + name + "': push it first.", child);
            }
            size = Math.max(size, c.sizeInBytes());
        }
        String current = tag == null ? null : tags.get(tag);
        if (current != null && isImmutable(tag)) {
            throw new ImageRejected(ImageRejected.Reason.TAG_IMMUTABLE, "The image tag '" + tag + "' already exists in the '" + name
                    + "' repository and cannot be overwritten because the repository is immutable.", tag);
        }
        if (strict && images.containsKey(digest) && (tag == null || digest.equals(current))) {
            throw new ImageRejected(ImageRejected.Reason.ALREADY_EXISTS, tag == null
                    ? "Image with digest '" + digest + "' already exists in the repository with name '" + name + "' in registry with id '"
                            + registryId + "'"
                    : "Image with digest '" + digest + "' and tag '" + tag + "' already exists in the repository with name '" + name
                            + "' in registry with id '" + registryId + "'", digest);
        }
        Image image = images.get(digest);
        if (image == null) {
            image = new Image(digest, manifest.clone(), facts, now, size);
            images.put(digest, image);
            if (Boolean.TRUE.equals(imageScanningConfiguration.scanOnPush()) && !facts.isIndex()) {
                image.scanned(now); // The emulator's scan finds nothing and takes no time; see the API's ImageScanOperations.
            }
        }
        if (tag != null) {
            tags.put(tag, digest);
        }
        return image;
    }

    /** Removes a tag; the image stays (untagged if it was its last). */
    public boolean untag(String tag) {
        return tags.remove(tag) != null;
    }

    /** Deletes an image with all its tags; the blobs only it referenced leave the repository with it. */
    public Optional<Image> delete(String digest) {
        Image image = images.remove(digest);
        if (image != null) {
            tags.values().removeIf(d -> d.equals(digest));
            Set<String> stillReferenced = new HashSet<>();
            for (Image i : images.values()) {
                stillReferenced.addAll(i.facts().blobs());
            }
            for (String blob : image.facts().blobs()) {
                if (!stillReferenced.contains(blob)) {
                    blobs.remove(blob);
                }
            }
        }
        return Optional.ofNullable(image);
    }

    /** The indexes (manifest lists) in the repository that list this manifest; ECR refuses to delete it then. */
    public List<String> indexesListing(String digest) {
        List<String> out = new ArrayList<>();
        for (Image i : images.values()) {
            if (i.facts().manifests().contains(digest)) {
                out.add(i.digest());
            }
        }
        return out;
    }

    public boolean isEmpty() {
        return images.isEmpty();
    }

    // ---- blobs ---------------------------------------------------------------------------------------

    public boolean hasBlob(String digest) {
        return blobs.containsKey(digest);
    }

    /** The blob is (again) pushed or mounted here: a push in progress keeps it from being let go. */
    public void linkBlob(String digest, Instant at) {
        blobs.put(digest, at);
    }

    /** Every blob the repository holds (pushed, or referenced by its images). */
    public Set<String> blobs() {
        return new HashSet<>(blobs.keySet());
    }

    /**
     * Lets go of blobs no image references any more, except those pushed after {@code pushedBefore}
     * (they may belong to a push whose manifest has not come yet).
     */
    public void releaseUnreferencedBlobs(Instant pushedBefore) {
        Set<String> referenced = new HashSet<>();
        for (Image i : images.values()) {
            referenced.addAll(i.facts().blobs());
        }
        Iterator<Map.Entry<String, Instant>> it = blobs.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Instant> e = it.next();
            if (!referenced.contains(e.getKey()) && e.getValue().isBefore(pushedBefore)) {
                it.remove();
            }
        }
    }
}

package dev.ecsemu.core.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Content-addressed blobs on disk, shared by every account and region ({@code blobs/sha256/ab/abcd…}),
 * and the uploads in progress ({@code uploads/<uuid>}). A blob becomes visible only once its bytes
 * hash to its digest; a failed or abandoned upload leaves nothing behind.
 */
public final class BlobStore {
    private final Path blobs;
    private final Path uploads;
    private final Clock clock;
    private final Map<String, BlobUpload> inProgress = new ConcurrentHashMap<>();

    public BlobStore(Path root, Clock clock) {
        this.blobs = root.resolve("blobs").resolve("sha256");
        this.uploads = root.resolve("uploads");
        this.clock = clock;
        try {
            Files.createDirectories(blobs);
            Files.createDirectories(uploads);
            // Uploads of an earlier run cannot be resumed (their state was in memory): their files go.
            try (Stream<Path> stale = Files.list(uploads)) {
                for (Path f : (Iterable<Path>) stale::iterator) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the registry storage under " + root, e);
        }
    }

    public BlobUpload begin() {
        return begin(null);
    }

    /** Starts an upload that remembers {@code owner} (for example the repository it is for). */
    public BlobUpload begin(String owner) {
        String id = UUID.randomUUID().toString();
        try {
            BlobUpload upload = new BlobUpload(id, owner, uploads.resolve(id), clock);
            inProgress.put(id, upload);
            return upload;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start an upload under " + uploads, e);
        }
    }

    public Optional<BlobUpload> upload(String id) {
        return Optional.ofNullable(inProgress.get(id));
    }

    /**
     * Finishes an upload as the blob {@code digest}. When its bytes hash to something else the upload
     * is discarded and the answer is empty.
     */
    public Optional<String> commit(BlobUpload upload, String digest) {
        claim(upload);
        Path file = upload.close();
        try {
            String actual = upload.digest();
            if (!actual.equals(digest)) {
                Files.deleteIfExists(file);
                return Optional.empty();
            }
            Path target = path(digest);
            Files.createDirectories(target.getParent());
            if (Files.exists(target)) {
                Files.delete(file);
            } else {
                move(file, target);
            }
            Files.setLastModifiedTime(target, FileTime.from(clock.instant()));
            return Optional.of(digest);
        } catch (IOException e) {
            throw new UncheckedIOException("Storing blob " + digest + " failed", e);
        }
    }

    public void cancel(BlobUpload upload) {
        claim(upload);
        try {
            Files.deleteIfExists(upload.close());
        } catch (IOException e) {
            throw new UncheckedIOException("Removing upload " + upload.id() + " failed", e);
        }
    }

    /**
     * Takes the upload out of those in progress, once: a second commit or cancel (two clients finishing
     * one upload, a cancel racing a commit or the expiry) is refused instead of touching its file again.
     */
    private void claim(BlobUpload upload) {
        if (!inProgress.remove(upload.id(), upload)) {
            throw new UploadGoneException(upload.id());
        }
    }

    /** The upload was already committed, cancelled or expired. */
    public static final class UploadGoneException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        UploadGoneException(String id) {
            super("The upload " + id + " is already finished, cancelled or expired.");
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public boolean contains(String digest) {
        return Digests.isValid(digest) && Files.isRegularFile(path(digest));
    }

    /** The blob's size in bytes, or -1 when it is not stored. */
    public long size(String digest) {
        try {
            return contains(digest) ? Files.size(path(digest)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Where the blob's bytes are; only for a digest {@link #contains} answered true for. */
    public Path path(String digest) {
        String hex = digest.substring("sha256:".length());
        return blobs.resolve(hex.substring(0, 2)).resolve(hex);
    }

    /** Deletes every blob not in {@code keep}; answers how many bytes were freed. */
    public long sweep(Set<String> keep) {
        long freed = 0;
        try (Stream<Path> files = Files.walk(blobs)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String digest = "sha256:" + f.getFileName();
                if (keep.contains(digest)) {
                    continue;
                }
                long size = Files.size(f);
                if (Files.deleteIfExists(f)) {
                    freed += size;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Sweeping the registry storage failed", e);
        }
        return freed;
    }

    /** Uploads that received no bytes for longer than {@code idle} are removed. */
    public void expireUploads(Duration idle) {
        Instant cutoff = clock.instant().minus(idle);
        for (BlobUpload u : inProgress.values()) {
            if (u.lastWrite().isBefore(cutoff)) {
                try {
                    cancel(u);
                } catch (UploadGoneException finishedMeanwhile) {
                    // committed or cancelled while we looked
                }
            }
        }
    }

    /** Bytes the stored blobs take. */
    public long bytesStored() {
        try (Stream<Path> files = Files.walk(blobs)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}

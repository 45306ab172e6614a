package dev.ecsemu.api.registry;

import dev.ecsemu.core.registry.BlobStore;
import dev.ecsemu.core.registry.Digests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code HEAD} and {@code GET /v2/<name>/blobs/<digest>}: a blob of the repository, whole or a byte range. */
final class BlobEndpoints {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    private final RepositoryAccess repositories;
    private final BlobStore blobs;

    BlobEndpoints(RepositoryAccess repositories, BlobStore blobs) {
        this.repositories = repositories;
        this.blobs = blobs;
    }

    RegistryResponse fetch(RepositoryName name, String digest, String range, boolean headOnly) {
        requireValid(digest);
        boolean held = repositories.read(name, r -> r.hasBlob(digest));
        long size = held ? blobs.size(digest) : -1;
        if (size < 0) {
            throw RegistryError.blobUnknown(digest);
        }
        RegistryResponse response;
        long offset = 0;
        long length = size;
        long[] wanted = headOnly ? null : range(range, size);
        if (wanted == null) {
            response = new RegistryResponse(200);
        } else if (wanted.length == 0) {
            return new RegistryResponse(416).header("Content-Range", "bytes */" + size).header("Content-Length", 0);
        } else {
            offset = wanted[0];
            length = wanted[1] - wanted[0] + 1;
            response = new RegistryResponse(206).header("Content-Range", "bytes " + wanted[0] + "-" + wanted[1] + "/" + size);
        }
        response.header("Content-Type", "application/octet-stream").header("Docker-Content-Digest", digest)
                .header("ETag", "\"" + digest + "\"").header("Accept-Ranges", "bytes");
        if (headOnly) {
            return response.header("Content-Length", size).withoutBody();
        }
        try {
            return response.file(FileChannel.open(blobs.path(digest), StandardOpenOption.READ), offset, length);
        } catch (NoSuchFileException e) {
            throw RegistryError.blobUnknown(digest); // collected between the check and the read
        } catch (IOException e) {
            throw new UncheckedIOException("Reading blob " + digest + " failed", e);
        }
    }

    static void requireValid(String digest) {
        if (!Digests.isValid(digest)) {
            throw RegistryError.digestInvalid("'" + digest + "' is not a digest this registry uses: sha256:<64 lowercase hex digits>.",
                    digest);
        }
    }

    /**
     * The first and last byte a {@code Range: bytes=first-last} header asks for; null to send the whole
     * blob (no header, or one this registry ignores, such as several ranges); empty when unsatisfiable.
     */
    static long[] range(String header, long size) {
        if (header == null) {
            return null;
        }
        Matcher m = RANGE.matcher(header.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return null;
        }
        try {
            if (m.group(1).isEmpty()) { // the last n bytes
                long n = Long.parseLong(m.group(2));
                return n == 0 || size == 0 ? new long[0] : new long[] {Math.max(0, size - n), size - 1};
            }
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? Long.MAX_VALUE : Long.parseLong(m.group(2));
            if (last < first) {
                return null; // not a valid range: ignored
            }
            return first >= size ? new long[0] : new long[] {first, Math.min(last, size - 1)};
        } catch (NumberFormatException e) {
            return null; // more digits than a long holds: ignored like any malformed range
        }
    }
}

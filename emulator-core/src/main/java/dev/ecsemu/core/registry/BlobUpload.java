package dev.ecsemu.core.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;

/**
 * A blob being uploaded: its bytes go to a file of its own as they arrive, through a running SHA-256,
 * so the digest is known the moment the last byte is written and nothing is held in memory. Invisible
 * until {@link BlobStore#commit} verifies the digest.
 */
public final class BlobUpload {
    private final String id;
    private final String owner;
    private final Path file;
    private final Clock clock;
    private final Instant startedAt;
    private final MessageDigest sha256;
    private long size;
    private Instant lastWrite;
    private boolean closed;

    BlobUpload(String id, String owner, Path file, Clock clock) throws IOException {
        this.id = id;
        this.owner = owner;
        this.file = file;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.lastWrite = startedAt;
        Files.createFile(file);
        this.sha256 = Digests.sha256();
    }

    public String id() {
        return id;
    }

    /** Who started it (the repository a registry upload is for), as {@link BlobStore#begin(String)} was told; may be null. */
    public String owner() {
        return owner;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** When bytes last arrived (or it started): a client that resumes an upload keeps it alive. */
    public synchronized Instant lastWrite() {
        return lastWrite;
    }

    /** Bytes received so far. */
    public synchronized long size() {
        return size;
    }

    /** Appends the buffer's remaining bytes. */
    public synchronized void write(ByteBuffer bytes) {
        if (closed) {
            throw new IllegalStateException("upload " + id + " is finished");
        }
        ByteBuffer forDigest = bytes.duplicate();
        // Opened for each write: an upload a client abandons holds no file handle while it waits to expire.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            while (bytes.hasRemaining()) {
                size += channel.write(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Writing upload " + id + " failed", e);
        }
        sha256.update(forDigest);
        lastWrite = clock.instant();
    }

    /** The digest of the bytes received so far ({@code sha256:<hex>}). */
    synchronized String digest() {
        try {
            return Digests.format((MessageDigest) sha256.clone());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    synchronized Path close() {
        if (!closed) {
            closed = true;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException("Closing upload " + id + " failed", e);
            }
        }
        return file;
    }
}

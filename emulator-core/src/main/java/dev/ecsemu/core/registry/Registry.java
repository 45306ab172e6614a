package dev.ecsemu.core.registry;

import dev.ecsemu.core.ecr.Repository;
import dev.ecsemu.core.ecr.RepositoryLifecycle;
import dev.ecsemu.core.state.Scope;
import dev.ecsemu.core.state.Stores;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The image registry behind both the ECR API and the {@code /v2/} endpoints: blob storage shared by
 * every account and region, uploads becoming blobs of a repository, authorization tokens, and the
 * garbage collection that frees the blobs no repository holds any more.
 */
public final class Registry {
    private static final Logger LOG = LoggerFactory.getLogger(Registry.class);
    /** A blob pushed but never referenced by a manifest is let go after this long (as long as an idle upload lives). */
    public static final Duration UNREFERENCED_BLOB_GRACE = Duration.ofHours(1);
    /** An upload that received no bytes for this long is abandoned (a client resuming it does so in seconds). */
    public static final Duration UPLOAD_IDLE_LIMIT = Duration.ofHours(1);
    private static final Duration HOUSEKEEPING_PERIOD = Duration.ofMinutes(5);

    private final Stores stores;
    private final BlobStore blobs;
    private final AuthorizationTokens tokens;
    private final Clock clock;
    /** Commits share it; garbage collection takes it alone, so it never sees a blob stored but not yet linked. */
    private final ReentrantReadWriteLock commitOrCollect = new ReentrantReadWriteLock();
    private final AtomicBoolean collectionRequested = new AtomicBoolean();
    private ScheduledExecutorService housekeeping;
    /** How often every repository's lifecycle policy is applied besides after pushes and PutLifecyclePolicy. */
    public static final Duration LIFECYCLE_PERIOD = Duration.ofHours(1);

    public Registry(Stores stores, BlobStore blobs, Clock clock) {
        this.stores = stores;
        this.blobs = blobs;
        this.tokens = new AuthorizationTokens(clock);
        this.clock = clock;
    }

    public BlobStore blobs() {
        return blobs;
    }

    public AuthorizationTokens tokens() {
        return tokens;
    }

    /**
     * Finishes an upload as blob {@code digest} and hands it to {@code link} (which adds it to a
     * repository under that repository's store lock). Empty when the bytes do not hash to the digest:
     * nothing is stored then.
     */
    public Optional<String> commit(BlobUpload upload, String digest, Runnable link) {
        commitOrCollect.readLock().lock();
        try {
            Optional<String> stored = blobs.commit(upload, digest);
            if (stored.isPresent()) {
                link.run();
            }
            return stored;
        } finally {
            commitOrCollect.readLock().unlock();
        }
    }

    /**
     * Enforces the repository's lifecycle policy now (after a PutLifecyclePolicy, and
     * periodically): the images it expires are deleted and their blobs freed. Answers their digests.
     * Call it after the store's lock is released.
     */
    public List<String> applyLifecyclePolicy(Scope scope, String repository) {
        List<String> expired = stores.of(scope).write(state -> state.repositories().find(repository)
                .map(r -> RepositoryLifecycle.enforce(r, clock.instant()))
                .orElse(List.of()));
        if (!expired.isEmpty()) {
            LOG.info("Lifecycle policy of {} ({}): {} image(s) expired", repository, scope, expired.size());
            collectGarbage();
        }
        return expired;
    }

    /**
     * Enforces every repository's lifecycle policy in every account and region, as ECR does on its
     * own schedule (rules counting days since a push expire images without any push); answers how
     * many images expired.
     */
    public int applyLifecyclePolicies() {
        int expired = 0;
        Map<Scope, List<String>> withPolicies = new HashMap<>();
        stores.forEach((scope, store) -> withPolicies.put(scope, store.read(state -> state.repositories().all().stream()
                .filter(r -> r.lifecyclePolicyText() != null).map(Repository::name).toList())));
        for (Map.Entry<Scope, List<String>> e : withPolicies.entrySet()) {
            for (String repository : e.getValue()) {
                expired += applyLifecyclePolicy(e.getKey(), repository).size();
            }
        }
        return expired;
    }

    /**
     * Starts the housekeeping on a thread of its own: every few minutes abandoned uploads are removed
     * and blobs no repository holds are freed; every hour every lifecycle policy is applied.
     * {@link #close} stops it.
     */
    public synchronized void start() {
        if (housekeeping != null) {
            return;
        }
        housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "registry-housekeeping");
            t.setDaemon(true);
            return t;
        });
        long period = HOUSEKEEPING_PERIOD.toMillis();
        housekeeping.scheduleWithFixedDelay(() -> safely("housekeeping", () -> {
            blobs.expireUploads(UPLOAD_IDLE_LIMIT);
            collectGarbage();
        }), period, period, TimeUnit.MILLISECONDS);
        // Rules counting days since a push expire images without any push; ECR applies them within 24 hours.
        long lifecycle = LIFECYCLE_PERIOD.toMillis();
        housekeeping.scheduleWithFixedDelay(() -> safely("applying lifecycle policies", this::applyLifecyclePolicies),
                lifecycle, lifecycle, TimeUnit.MILLISECONDS);
    }

    /**
     * Collects garbage on the housekeeping thread soon (after an image was deleted), so that the request
     * that deleted it does not wait for the storage sweep; requests made meanwhile share one collection.
     */
    public synchronized void collectGarbageSoon() {
        if (housekeeping == null) {
            collectGarbage();
            return;
        }
        if (collectionRequested.compareAndSet(false, true)) {
            housekeeping.execute(() -> {
                collectionRequested.set(false);
                safely("garbage collection", this::collectGarbage);
            });
        }
    }

    public synchronized void close() {
        if (housekeeping != null) {
            housekeeping.shutdownNow();
            try {
                housekeeping.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            housekeeping = null;
        }
    }

    private static void safely(String what, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.warn("Registry {} failed: {}", what, e.toString(), e);
        }
    }

    /** Links an existing blob into a repository (a cross-repository mount, or a layer pushed again). */
    public void link(Repository repository, String digest) {
        repository.linkBlob(digest, clock.instant());
    }

    /**
     * Frees every stored blob that no repository of any account or region holds; answers the bytes
     * freed. Repositories first let go of pushed blobs no manifest came to reference in time.
     */
    public long collectGarbage() {
        Instant pushedBefore = clock.instant().minus(UNREFERENCED_BLOB_GRACE);
        Set<String> keep = new HashSet<>();
        long freed;
        commitOrCollect.writeLock().lock();
        try {
            stores.forEach(store -> store.write(state -> {
                state.repositories().all().forEach(r -> r.releaseUnreferencedBlobs(pushedBefore));
                keep.addAll(state.repositories().heldBlobs());
                return null;
            }));
            freed = blobs.sweep(keep);
        } finally {
            commitOrCollect.writeLock().unlock();
        }
        if (freed > 0) {
            LOG.info("Registry storage: {} bytes of blobs no repository holds were freed", freed);
        }
        return freed;
    }
}

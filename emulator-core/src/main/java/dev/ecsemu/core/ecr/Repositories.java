package dev.ecsemu.core.ecr;

import dev.ecsemu.core.error.ApiException;
import dev.ecsemu.core.state.Scope;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ecr.model.EncryptionConfiguration;
import software.amazon.awssdk.services.ecr.model.EncryptionType;
import software.amazon.awssdk.services.ecr.model.ImageScanningConfiguration;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.ImageTagMutabilityExclusionFilter;
import software.amazon.awssdk.services.ecr.model.InvalidParameterException;
import software.amazon.awssdk.services.ecr.model.RepositoryAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotEmptyException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

/** The ECR repositories of one store (one account's registry in one region). */
public final class Repositories {
    /** ECR's repository name rule: lowercase components separated by '/', each [a-z0-9] runs joined by '.', '_', '__' or '-'s. */
    private static final String COMPONENT = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*";
    private static final Pattern NAME = Pattern.compile("(?:" + COMPONENT + "/)*" + COMPONENT);

    private final Scope scope;
    private final Clock clock;
    private final TreeMap<String, Repository> byName = new TreeMap<>();
    private String registryPolicyText;

    public Repositories(Scope scope, Clock clock) {
        this.scope = scope;
        this.clock = clock;
    }

    /** The registry id: the account. */
    public String registryId() {
        return scope.account();
    }

    /** ECR's refusal of a repository name that breaks its rule. */
    public static ApiException invalidName(String name) {
        return ApiException.of(InvalidParameterException.class, "Invalid parameter at 'repositoryName' failed to satisfy constraint:"
                + " 'must satisfy regular expression '(?:" + COMPONENT + "/)*" + COMPONENT + "'' and be 2 to 256 characters long"
                + " (was '" + name + "')");
    }

    public static boolean isValidName(String name) {
        return name != null && name.length() >= 2 && name.length() <= 256 && NAME.matcher(name).matches();
    }

    public Repository create(String name, ImageTagMutability mutability, ImageScanningConfiguration scanning,
            EncryptionConfiguration encryption) {
        return create(name, mutability, List.of(), scanning, encryption);
    }

    /** As {@link #create(String, ImageTagMutability, ImageScanningConfiguration, EncryptionConfiguration)}, with exclusion filters for the {@code *_WITH_EXCLUSION} settings. */
    public Repository create(String name, ImageTagMutability mutability, List<ImageTagMutabilityExclusionFilter> exclusionFilters,
            ImageScanningConfiguration scanning, EncryptionConfiguration encryption) {
        if (!isValidName(name)) {
            throw invalidName(name);
        }
        if (byName.containsKey(name)) {
            throw ApiException.of(RepositoryAlreadyExistsException.class, "The repository with name '" + name
                    + "' already exists in the registry with id '" + registryId() + "'");
        }
        Repository r = new Repository(name, "arn:aws:ecr:" + scope.region() + ":" + scope.account() + ":repository/" + name, registryId(),
                clock.instant(), mutability == null ? ImageTagMutability.MUTABLE : mutability,
                scanning == null ? ImageScanningConfiguration.builder().scanOnPush(false).build() : scanning,
                encryption == null ? EncryptionConfiguration.builder().encryptionType(EncryptionType.AES256).build() : encryption);
        r.imageTagMutability(r.imageTagMutability(), exclusionFilters);
        byName.put(name, r);
        return r;
    }

    public Optional<Repository> find(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    /** The repository, or ECR's RepositoryNotFoundException. */
    public Repository require(String name) {
        return find(name).orElseThrow(() -> notFound(name));
    }

    public ApiException notFound(String name) {
        return ApiException.of(RepositoryNotFoundException.class, "The repository with name '" + name
                + "' does not exist in the registry with id '" + registryId() + "'");
    }

    /** Every repository, by name. */
    public List<Repository> all() {
        return new ArrayList<>(byName.values());
    }

    /** Deletes the repository; one that still holds images only with {@code force}. */
    public Repository delete(String name, boolean force) {
        Repository r = require(name);
        if (!r.isEmpty() && !force) {
            throw ApiException.of(RepositoryNotEmptyException.class, "The repository with name '" + name + "' in registry with id '"
                    + registryId() + "' cannot be deleted because it still contains images");
        }
        byName.remove(name);
        return r;
    }

    /** The registry's policy (PutRegistryPolicy), or null. */
    public String registryPolicyText() {
        return registryPolicyText;
    }

    public void registryPolicyText(String text) {
        this.registryPolicyText = text;
    }

    /** Every blob some repository of this store holds: what the storage sweep must keep. */
    public Set<String> heldBlobs() {
        Set<String> out = new HashSet<>();
        for (Repository r : byName.values()) {
            out.addAll(r.blobs());
        }
        return out;
    }
}

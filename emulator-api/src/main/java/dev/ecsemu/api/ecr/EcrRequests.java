package dev.ecsemu.api.ecr;

import dev.ecsemu.core.ecr.Repositories;
import dev.ecsemu.core.ecr.Repository;
import dev.ecsemu.core.error.ApiException;
import dev.ecsemu.core.state.RegionState;
import java.util.Collection;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ecr.model.InvalidParameterException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

/**
 * What every ECR operation checks before it acts, in ECR's words: the registry id (this account's,
 * as the emulator holds no other account's repositories for a caller), the repository name, and the
 * sizes of list members the model bounds.
 */
final class EcrRequests {
    private static final Pattern REGISTRY_ID = Pattern.compile("[0-9]{12}");
    /** ECR's pattern for an image or layer digest in a request. */
    private static final Pattern DIGEST = Pattern.compile("[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+");

    private EcrRequests() {
    }

    static ApiException invalidParameter(String message) {
        return ApiException.of(InvalidParameterException.class, message);
    }

    /** The named repository of the caller's registry, or ECR's refusal. */
    static Repository repository(RegionState state, String registryId, String name) {
        checkName(name);
        Repositories repositories = state.repositories();
        checkRegistryId(registryId);
        if (registryId != null && !registryId.equals(repositories.registryId())) {
            throw ApiException.of(RepositoryNotFoundException.class, "The repository with name '" + name
                    + "' does not exist in the registry with id '" + registryId + "'");
        }
        return repositories.require(name);
    }

    static void checkRegistryId(String registryId) {
        if (registryId != null && !REGISTRY_ID.matcher(registryId).matches()) {
            throw invalidParameter("Invalid parameter at 'registryId' failed to satisfy constraint: 'must satisfy regular expression"
                    + " '[0-9]{12}'' (an account id of 12 digits; leave it out for your own registry)");
        }
    }

    static void checkName(String name) {
        if (!Repositories.isValidName(name)) {
            throw Repositories.invalidName(name);
        }
    }

    /** A list member the model bounds to {@code min..max} entries; an absent list counts as empty. */
    static void checkCount(String member, Collection<?> values, int min, int max) {
        int n = values == null ? 0 : values.size();
        if (n < min || n > max) {
            throw invalidParameter("Invalid parameter at '" + member + "' failed to satisfy constraint: 'Member must have length between "
                    + min + " and " + max + "' (it has " + n + ")");
        }
    }

    /** A text member the model bounds to {@code min..max} characters. */
    static void checkLength(String member, String value, int min, int max) {
        int n = value == null ? 0 : value.length();
        if (value != null && (n < min || n > max)) {
            throw invalidParameter("Invalid parameter at '" + member + "' failed to satisfy constraint: 'Member must have length between "
                    + min + " and " + max + "' (it has " + n + ")");
        }
    }

    /** Whether a digest in a request has ECR's form ({@code algorithm:hex}); whether it names anything is another matter. */
    static boolean isDigestShaped(String digest) {
        return digest != null && DIGEST.matcher(digest).matches();
    }

    /** Paging and naming are exclusive in ECR's Describe calls. */
    static void checkNoPaging(String what, Integer maxResults, String nextToken) {
        if (maxResults != null || nextToken != null) {
            throw invalidParameter("maxResults and nextToken cannot be used together with " + what + ": ask for those by name, or"
                    + " page through all of them.");
        }
    }
}

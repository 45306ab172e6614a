package dev.ecsemu.core.ecr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecsemu.core.error.ApiException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.ecr.model.InvalidParameterException;

/**
 * Checks the permission policies ECR stores (a repository's, the registry's) as IAM resource-based
 * policies: a JSON object with a known {@code Version} and one or more statements, each with an
 * {@code Effect}, an action, and a principal. The emulator stores them and enforces nothing.
 */
public final class PolicyDocument {
    /** ECR's limit on a policy text. */
    public static final int MAX_LENGTH = 10240;
    private static final Set<String> VERSIONS = Set.of("2012-10-17", "2008-10-17");
    /** What a registry policy may grant: replication and pull through cache. */
    private static final Set<String> REGISTRY_ACTIONS = Set.of("ecr:ReplicateImage", "ecr:CreateRepository",
            "ecr:BatchImportUpstreamImage", "ecr:CreatePullThroughCacheRule");
    private static final ObjectMapper JSON = new ObjectMapper();

    private PolicyDocument() {
    }

    /** A repository policy (SetRepositoryPolicy), or ECR's InvalidParameterException saying what is wrong with it. */
    public static void checkRepositoryPolicy(String text) {
        check(text, "repository", false);
    }

    /** A registry policy (PutRegistryPolicy), whose statements may only grant replication and pull through cache actions. */
    public static void checkRegistryPolicy(String text) {
        check(text, "registry", true);
    }

    private static void check(String text, String kind, boolean registryActionsOnly) {
        String problem = problem(text, registryActionsOnly);
        if (problem != null) {
            throw ApiException.of(InvalidParameterException.class, "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid "
                    + kind + " policy provided': " + problem);
        }
    }

    private static String problem(String text, boolean registryActionsOnly) {
        if (text == null || text.isBlank()) {
            return "the policy text is empty.";
        }
        if (text.length() > MAX_LENGTH) {
            return "the policy text is " + text.length() + " characters long; at most " + MAX_LENGTH + " are allowed.";
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return "the policy text is not valid JSON (" + e.getOriginalMessage() + ").";
        }
        if (root == null || !root.isObject()) {
            return "the policy must be a JSON object with Version and Statement.";
        }
        JsonNode version = root.get("Version");
        if (version == null || !version.isTextual() || !VERSIONS.contains(version.asText())) {
            return "Version must be \"2012-10-17\" (or the older \"2008-10-17\").";
        }
        JsonNode statements = root.get("Statement");
        if (statements == null || !(statements.isObject() || statements.isArray() && statements.size() > 0)) {
            return "Statement must be a statement object or a non-empty array of them.";
        }
        int i = 0;
        for (JsonNode s : statements.isArray() ? statements : List.of(statements)) {
            String where = "Statement[" + i++ + "]";
            if (!s.isObject()) {
                return where + " is not a JSON object.";
            }
            JsonNode effect = s.get("Effect");
            if (effect == null || !(effect.asText().equals("Allow") || effect.asText().equals("Deny"))) {
                return where + " needs an Effect of \"Allow\" or \"Deny\".";
            }
            if (!s.has("Principal") && !s.has("NotPrincipal")) {
                return where + " has no Principal: a resource policy names whom it applies to.";
            }
            JsonNode action = s.has("Action") ? s.get("Action") : s.get("NotAction");
            if (action == null || !(action.isTextual() || action.isArray() && action.size() > 0)) {
                return where + " needs an Action (a string or an array of strings).";
            }
            if (registryActionsOnly) {
                for (JsonNode a : action.isArray() ? action : List.of(action)) {
                    if (!REGISTRY_ACTIONS.contains(a.asText())) {
                        return where + " grants " + a.asText() + "; a registry policy may only grant " + String.join(", ",
                                new TreeSet<>(REGISTRY_ACTIONS)) + ".";
                    }
                }
            }
        }
        return null;
    }
}

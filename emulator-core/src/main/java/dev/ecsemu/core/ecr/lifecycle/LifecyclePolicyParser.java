package dev.ecsemu.core.ecr.lifecycle;

import static dev.ecsemu.core.ecr.lifecycle.LifecyclePolicyException.validationFailure;

import dev.ecsemu.core.ecr.lifecycle.LifecycleRule.CountType;
import dev.ecsemu.core.ecr.lifecycle.LifecycleRule.TagStatus;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Turns a lifecycle policy text into validated rules, refusing what ECR refuses with ECR's words.
 *
 * <p>ECR checks the text in three stages, and so does this class: the API model's length constraint,
 * then a JSON Schema (its refusals are the messages of the java-json-tools validator, for example
 * {@code object has missing required properties (["rulePriority"])}), then rules that span fields or
 * rules ({@code Only one rule can select Untagged images per storage class.}). Where no ECR text is
 * known the message says exactly what to change.
 */
final class LifecyclePolicyParser {
    static final int MIN_LENGTH = 100;
    static final int MAX_LENGTH = 30720;
    static final int MAX_WILDCARDS = 4;

    private static final Set<String> POLICY_MEMBERS = Set.of("rules");
    private static final Set<String> RULE_REQUIRED = Set.of("rulePriority", "selection", "action");
    private static final Set<String> RULE_MEMBERS = Set.of("rulePriority", "description", "selection", "action");
    private static final Set<String> SELECTION_REQUIRED = Set.of("tagStatus", "countType", "countNumber");
    private static final Set<String> SELECTION_MEMBERS = Set.of("tagStatus", "tagPrefixList", "tagPatternList",
            "storageClass", "countType", "countUnit", "countNumber");
    private static final Set<String> ACTION_MEMBERS = Set.of("type", "targetStorageClass");

    /** The archive storage class and the rules that work on it (ECR, late 2025); the emulator has no archive. */
    private static final Set<String> ARCHIVE_COUNT_TYPES = Set.of("sinceImagePulled", "sinceImageTransitioned");

    private LifecyclePolicyParser() {
    }

    static List<LifecycleRule> parse(String text) {
        checkLength(text);
        Map<String, Object> policy = readPolicy(text);
        requireMembers(policy, POLICY_MEMBERS, POLICY_MEMBERS);
        List<Object> rulesJson = array(policy.get("rules"));
        if (rulesJson.isEmpty()) {
            throw validationFailure("array is too short: must have at least 1 elements but instance has 0 elements");
        }
        List<LifecycleRule> rules = new ArrayList<>();
        for (Object ruleJson : rulesJson) {
            rules.add(rule(ruleJson));
        }
        for (LifecycleRule rule : rules) {
            checkTagLists(rule);
        }
        checkAcrossRules(rules);
        return rules;
    }

    /** The API model's constraint on {@code lifecyclePolicyText}, checked before the policy is read. */
    private static void checkLength(String text) {
        if (text == null) {
            throw new LifecyclePolicyException("1 validation error detected: Value null at 'lifecyclePolicyText' "
                    + "failed to satisfy constraint: Member must not be null");
        }
        int length = text.codePointCount(0, text.length());
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw new LifecyclePolicyException("1 validation error detected: Value '" + text
                    + "' at 'lifecyclePolicyText' failed to satisfy constraint: Member must have length "
                    + (length < MIN_LENGTH ? "greater than or equal to " + MIN_LENGTH
                            : "less than or equal to " + MAX_LENGTH));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readPolicy(String text) {
        // ECR says the same for text that is not JSON and for JSON that is not an object.
        if (PolicyJson.read(text) instanceof Map<?, ?> policy) {
            return (Map<String, Object>) policy;
        }
        throw couldNotMap();
    }

    private static LifecyclePolicyException couldNotMap() {
        return validationFailure("Could not map policyString into LifecyclePolicy.");
    }

    private static LifecycleRule rule(Object json) {
        Map<String, Object> rule = object(json);
        requireMembers(rule, RULE_REQUIRED, RULE_MEMBERS);
        int rulePriority = positiveInt(rule.get("rulePriority"));
        String description = rule.containsKey("description") ? string(rule.get("description")) : null;
        Map<String, Object> selection = object(rule.get("selection"));
        requireMembers(selection, SELECTION_REQUIRED, SELECTION_MEMBERS);
        TagStatus tagStatus = tagStatus(selection.get("tagStatus"));
        List<String> prefixes = tagList(selection.get("tagPrefixList"));
        List<String> patterns = tagList(selection.get("tagPatternList"));
        checkStorageClass(selection.get("storageClass"));
        CountType countType = countType(selection, rulePriority);
        int countNumber = positiveInt(selection.get("countNumber"));
        checkAction(object(rule.get("action")));
        return new LifecycleRule(rulePriority, description, tagStatus, prefixes, patterns, countType, countNumber);
    }

    private static TagStatus tagStatus(Object json) {
        String value = string(json);
        for (TagStatus status : TagStatus.values()) {
            if (status.value().equals(value)) {
                return status;
            }
        }
        throw notInEnum(value, "any", "tagged", "untagged");
    }

    /** Absent is empty; a list present must hold at least one non-empty string. */
    private static List<String> tagList(Object json) {
        if (json == null) {
            return List.of();
        }
        List<Object> items = array(json);
        if (items.isEmpty()) {
            throw validationFailure("array is too short: must have at least 1 elements but instance has 0 elements");
        }
        List<String> tags = new ArrayList<>();
        for (Object item : items) {
            String tag = string(item);
            if (tag.isEmpty()) {
                throw validationFailure("string \"\" is too short (length: 0, required minimum: 1)");
            }
            tags.add(tag);
        }
        return tags;
    }

    private static void checkStorageClass(Object json) {
        if (json == null) {
            return;
        }
        String value = string(json);
        if (value.equals("archive")) {
            throw unsupportedArchive("storageClass \"archive\"");
        }
        if (!value.equals("standard")) {
            throw notInEnum(value, "standard", "archive");
        }
    }

    /**
     * In ECR's schema countType picks one of two shapes, imageCountMoreThan without countUnit or
     * sinceImagePushed with countUnit "days"; an unknown countType fits neither.
     */
    private static CountType countType(Map<String, Object> selection, int rulePriority) {
        String value = string(selection.get("countType"));
        if (ARCHIVE_COUNT_TYPES.contains(value)) {
            throw unsupportedArchive("countType \"" + value + "\"");
        }
        Object countUnit = selection.get("countUnit");
        if (value.equals(CountType.IMAGE_COUNT_MORE_THAN.value())) {
            if (countUnit != null) {
                throw validationFailure("countUnit is only allowed with countType sinceImagePushed; remove countUnit "
                        + "from the imageCountMoreThan rule with rulePriority " + rulePriority + ".");
            }
            return CountType.IMAGE_COUNT_MORE_THAN;
        }
        if (value.equals(CountType.SINCE_IMAGE_PUSHED.value())) {
            if (countUnit == null) {
                throw validationFailure("countUnit is required with countType sinceImagePushed; add "
                        + "\"countUnit\": \"days\" to the rule with rulePriority " + rulePriority + ".");
            }
            String unit = string(countUnit);
            if (!unit.equals("days")) {
                throw notInEnum(unit, "days");
            }
            return CountType.SINCE_IMAGE_PUSHED;
        }
        throw validationFailure("instance failed to match exactly one schema (matched 0 out of 2)");
    }

    /**
     * The action is one of two shapes too: expire (type only) or transition (with
     * targetStorageClass). An expire action with a targetStorageClass, even a null one, fits neither.
     */
    private static void checkAction(Map<String, Object> action) {
        requireMembers(action, Set.of("type"), ACTION_MEMBERS);
        String type = string(action.get("type"));
        if (type.equals("transition")) {
            throw unsupportedArchive("action type \"transition\"");
        }
        if (!type.equals("expire")) {
            throw notInEnum(type, "expire", "transition");
        }
        if (action.containsKey("targetStorageClass")) {
            throw validationFailure("instance failed to match exactly one schema (matched 0 out of 2)");
        }
    }

    private static void checkTagLists(LifecycleRule rule) {
        boolean prefixes = !rule.tagPrefixList().isEmpty();
        boolean patterns = !rule.tagPatternList().isEmpty();
        switch (rule.tagStatus()) {
            case TAGGED -> {
                if (!prefixes && !patterns) {
                    throw validationFailure("Must specify tagPrefixList or tagPatternList when tagStatus=TAGGED.");
                }
                if (prefixes && patterns) {
                    throw validationFailure("Specify either tagPrefixList or tagPatternList, not both, in the rule "
                            + "with rulePriority " + rule.rulePriority() + ".");
                }
            }
            case UNTAGGED, ANY -> {
                if (prefixes || patterns) {
                    throw validationFailure("tagPrefixList and tagPatternList are only allowed when tagStatus=TAGGED; "
                            + "remove them from the rule with rulePriority " + rule.rulePriority()
                            + " (tagStatus=" + rule.tagStatus().name() + ").");
                }
            }
        }
        for (String pattern : rule.tagPatternList()) {
            long wildcards = pattern.chars().filter(c -> c == '*').count();
            if (wildcards > MAX_WILDCARDS) {
                throw validationFailure("tagPatternList entry \"" + pattern + "\" has " + wildcards
                        + " wildcards (*); at most " + MAX_WILDCARDS + " are allowed per pattern.");
            }
        }
    }

    private static void checkAcrossRules(List<LifecycleRule> rules) {
        Set<Integer> priorities = new HashSet<>();
        for (LifecycleRule rule : rules) {
            if (!priorities.add(rule.rulePriority())) {
                throw validationFailure("rulePriority " + rule.rulePriority()
                        + " is used by more than one rule; give each rule a unique rulePriority.");
            }
        }
        if (rules.stream().filter(r -> r.tagStatus() == TagStatus.UNTAGGED).count() > 1) {
            throw validationFailure("Only one rule can select Untagged images per storage class.");
        }
        int highest = rules.stream().mapToInt(LifecycleRule::rulePriority).max().orElseThrow();
        if (rules.stream().anyMatch(r -> r.tagStatus() == TagStatus.ANY && r.rulePriority() != highest)) {
            throw validationFailure("Rule for tagStatus=ANY must have the lowest priority per storage class");
        }
    }

    private static LifecyclePolicyException unsupportedArchive(String what) {
        return new LifecyclePolicyException("ecs-emu does not support " + what + " in lifecycle policies: it has no "
                + "archive storage class. Use countType imageCountMoreThan or sinceImagePushed with action type expire.");
    }

    // --- JSON Schema checks, with the validator's messages ---

    private static void requireMembers(Map<String, Object> object, Set<String> required, Set<String> allowed) {
        Set<String> missing = new TreeSet<>(required);
        missing.removeAll(object.keySet());
        if (!missing.isEmpty()) {
            throw validationFailure("object has missing required properties (" + jsonList(missing) + ")");
        }
        Set<String> extra = new TreeSet<>(object.keySet());
        extra.removeAll(allowed);
        if (!extra.isEmpty()) {
            throw validationFailure("object instance has properties which are not allowed by the schema: "
                    + jsonList(extra));
        }
    }

    private static int positiveInt(Object json) {
        if (!(json instanceof BigInteger number)) {
            throw wrongType(json, "integer");
        }
        if (number.signum() <= 0) {
            throw validationFailure("numeric instance is lower than the required minimum (minimum: 1, found: "
                    + number + ")");
        }
        if (number.bitLength() > 31) {
            // Passes the schema but does not fit the Integer ECR reads it into.
            throw couldNotMap();
        }
        return number.intValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object json) {
        if (json instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw wrongType(json, "object");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> array(Object json) {
        if (json instanceof List<?> list) {
            return (List<Object>) list;
        }
        throw wrongType(json, "array");
    }

    private static String string(Object json) {
        if (json instanceof String s) {
            return s;
        }
        throw wrongType(json, "string");
    }

    private static LifecyclePolicyException wrongType(Object json, String allowed) {
        return validationFailure("instance type (" + typeName(json)
                + ") does not match any allowed primitive type (allowed: [\"" + allowed + "\"])");
    }

    private static LifecyclePolicyException notInEnum(String value, String... possible) {
        return validationFailure("instance value (" + quote(value) + ") not found in enum (possible values: "
                + jsonList(List.of(possible)) + ")");
    }

    private static String typeName(Object json) {
        if (json instanceof Map) {
            return "object";
        } else if (json instanceof List) {
            return "array";
        } else if (json instanceof String) {
            return "string";
        } else if (json instanceof BigInteger) {
            return "integer";
        } else if (json instanceof BigDecimal) {
            return "number";
        } else if (json instanceof Boolean) {
            return "boolean";
        }
        return "null";
    }

    private static String jsonList(Iterable<String> values) {
        List<String> quoted = new ArrayList<>();
        values.forEach(v -> quoted.add(quote(v)));
        return quoted.stream().collect(Collectors.joining(",", "[", "]"));
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}

package dev.ecsemu.core.ecr.lifecycle;

import static dev.ecsemu.core.testing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.ecsemu.core.ecr.lifecycle.LifecycleRule.CountType;
import dev.ecsemu.core.ecr.lifecycle.LifecycleRule.TagStatus;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PutLifecyclePolicy's checks of the policy text: what ECR accepts, and what it refuses with which words. */
class LifecyclePolicyValidationTest {
    private static final String PREFIX = "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: "
            + "'Lifecycle policy validation failure: ";
    private static final String ERROR = "InvalidParameterException";

    static final String UNTAGGED_COUNT = """
            {"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "imageCountMoreThan",
             "countNumber": 1}, "action": {"type": "expire"}}""";

    /** A policy of these rules, padded with trailing whitespace (valid JSON) to the 100 characters ECR requires. */
    static String policy(String... rules) {
        return padded("{\"rules\": [" + String.join(", ", rules) + "]}");
    }

    static String padded(String json) {
        return json.length() >= 100 ? json : json + " ".repeat(100 - json.length());
    }

    /** One rule with the given members in its selection and action type expire. */
    static String rule(int priority, String selection) {
        return "{\"rulePriority\": " + priority + ", \"selection\": {" + selection + "}, \"action\": {\"type\": \"expire\"}}";
    }

    static void assertValidationFailure(String text, String detail) {
        assertRefused(() -> LifecyclePolicy.parse(text), ERROR, PREFIX + detail + "'");
    }

    @Test
    void readsEveryFieldOfARule() {
        LifecyclePolicy policy = LifecyclePolicy.parse(policy("""
                {"rulePriority": 7, "description": "Expire old prod images",
                 "selection": {"tagStatus": "tagged", "tagPatternList": ["prod*", "*-rc*"],
                   "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14},
                 "action": {"type": "expire"}}"""));

        assertThat(policy.rules()).containsExactly(new LifecycleRule(7, "Expire old prod images", TagStatus.TAGGED,
                List.of(), List.of("prod*", "*-rc*"), CountType.SINCE_IMAGE_PUSHED, 14));
    }

    @Test
    void keepsTheTextAsPutAndOrdersRulesByPriority() {
        String text = policy(rule(20, "\"tagStatus\": \"any\", \"countType\": \"imageCountMoreThan\", \"countNumber\": 50"),
                rule(1, "\"tagStatus\": \"tagged\", \"tagPrefixList\": [\"v\"], \"countType\": \"imageCountMoreThan\", \"countNumber\": 5"),
                UNTAGGED_COUNT.replace("\"rulePriority\": 1", "\"rulePriority\": 10"));

        LifecyclePolicy policy = LifecyclePolicy.parse(text);

        assertThat(policy.text()).isEqualTo(text);
        // Priorities need not be contiguous; the rule without a description has none.
        assertThat(policy.rules()).extracting(LifecycleRule::rulePriority).containsExactly(1, 10, 20);
        assertThat(policy.rules().get(0).description()).isNull();
    }

    @Test
    void acceptsFourWildcardsPerPattern() {
        // The docs' own example of a valid pattern list.
        LifecyclePolicy policy = LifecyclePolicy.parse(policy(rule(1,
                "\"tagStatus\": \"tagged\", \"tagPatternList\": [\"*test*1*2*3\", \"test*1*2*3*\"], "
                        + "\"countType\": \"imageCountMoreThan\", \"countNumber\": 1")));

        assertThat(policy.rules().get(0).tagPatternList()).containsExactly("*test*1*2*3", "test*1*2*3*");
    }

    @Test
    void acceptsTheStandardStorageClassWhichIsTheDefault() {
        LifecyclePolicy policy = LifecyclePolicy.parse(policy(rule(1,
                "\"tagStatus\": \"untagged\", \"storageClass\": \"standard\", \"countType\": \"imageCountMoreThan\", "
                        + "\"countNumber\": 3")));

        assertThat(policy.rules()).hasSize(1);
    }

    @Test
    void acceptsJsonEscapesInTags() {
        LifecyclePolicy policy = LifecyclePolicy.parse(policy(rule(1,
                "\"tagStatus\": \"tagged\", \"tagPrefixList\": [\"r\\u0065l\\/\"], \"countType\": \"imageCountMoreThan\", "
                        + "\"countNumber\": 3")));

        assertThat(policy.rules().get(0).tagPrefixList()).containsExactly("rel/");
    }

    // --- length: the API model's constraint on lifecyclePolicyText ---

    @Test
    void theLengthLimitsAreInclusive() {
        // The shortest valid policy is longer than 100 characters: at exactly 100 the text is past the
        // length check and refused for its content.
        String hundred = padded("{}");
        String json = "{\"rules\":[" + UNTAGGED_COUNT + "]}";
        String longest = json + " ".repeat(30720 - json.length());

        assertThat(hundred).hasSize(100);
        assertValidationFailure(hundred, "object has missing required properties ([\"rules\"])");
        assertThat(longest).hasSize(30720);
        assertThat(LifecyclePolicy.parse(longest).rules()).hasSize(1);
    }

    @Test
    void countsCharactersNotUtf16Units() {
        // 99 characters, the last of which needs two UTF-16 units.
        String text = "{}" + " ".repeat(96) + "\uD83D\uDE00";

        assertThat(text.codePointCount(0, text.length())).isEqualTo(99);
        assertThat(catchThrowable(() -> LifecyclePolicy.parse(text)))
                .hasMessageEndingWith("Member must have length greater than or equal to 100");
    }

    @Test
    void refusesATextShorterThan100Characters() {
        String text = padded("{}").substring(1);

        assertRefused(() -> LifecyclePolicy.parse(text), ERROR, "1 validation error detected: Value '" + text
                + "' at 'lifecyclePolicyText' failed to satisfy constraint: Member must have length greater than or equal to 100");
    }

    @Test
    void refusesATextLongerThan30720Characters() {
        // Valid JSON, one character too long.
        String json = "{\"rules\":[" + UNTAGGED_COUNT + "]}";
        String text = json + " ".repeat(30721 - json.length());

        assertThat(catchThrowable(() -> LifecyclePolicy.parse(text)))
                .isInstanceOf(LifecyclePolicyException.class)
                .hasMessageStartingWith("1 validation error detected: Value '{\"rules\"")
                .hasMessageEndingWith("' at 'lifecyclePolicyText' failed to satisfy constraint: "
                        + "Member must have length less than or equal to 30720");
    }

    @Test
    void refusesNoText() {
        assertRefused(() -> LifecyclePolicy.parse(null), ERROR, "1 validation error detected: Value null at "
                + "'lifecyclePolicyText' failed to satisfy constraint: Member must not be null");
    }

    // --- JSON and the schema ---

    @ParameterizedTest
    @ValueSource(strings = {
            "not json at all",
            "[{\"rulePriority\": 1}]",
            "{\"rules\": [], }",
            "{\"rules\": []} trailing",
            "{\"rules\": [01]}",
            "{\"rules\": [\"tab\tinside\"]}",
            "{'rules': []}",
    })
    void refusesTextThatIsNotAJsonObject(String json) {
        assertValidationFailure(padded(json), "Could not map policyString into LifecyclePolicy.");
    }

    @Test
    void refusesAPolicyWithoutRules() {
        assertValidationFailure(padded("{\"rule\": []}"), "object has missing required properties ([\"rules\"])");
    }

    @Test
    void refusesUnknownMembersOfThePolicy() {
        assertValidationFailure(policy(UNTAGGED_COUNT).replaceFirst("\\{", "{\"version\": 1, "),
                "object instance has properties which are not allowed by the schema: [\"version\"]");
    }

    @Test
    void refusesRulesThatAreNotAList() {
        assertValidationFailure(padded("{\"rules\": " + UNTAGGED_COUNT + "}"),
                "instance type (object) does not match any allowed primitive type (allowed: [\"array\"])");
    }

    @Test
    void refusesAnEmptyRuleList() {
        assertValidationFailure(padded("{\"rules\": []}"),
                "array is too short: must have at least 1 elements but instance has 0 elements");
    }

    @Test
    void refusesARuleThatIsNotAnObject() {
        assertValidationFailure(policy("\"rule one\""),
                "instance type (string) does not match any allowed primitive type (allowed: [\"object\"])");
    }

    @Test
    void namesEveryMissingMemberOfARuleInOrder() {
        assertValidationFailure(policy("{\"rulePriority\": 1, \"description\": \"no selection, no action\"}"),
                "object has missing required properties ([\"action\",\"selection\"])");
        assertValidationFailure(policy(UNTAGGED_COUNT.replace("\"rulePriority\": 1, ", "")),
                "object has missing required properties ([\"rulePriority\"])");
    }

    @Test
    void refusesUnknownMembersOfARule() {
        assertValidationFailure(policy(UNTAGGED_COUNT.replace("\"rulePriority\": 1,", "\"rulePriority\": 1, \"name\": \"x\",")),
                "object instance has properties which are not allowed by the schema: [\"name\"]");
    }

    @Test
    void refusesARulePriorityThatIsNotAPositiveInteger() {
        assertValidationFailure(policy(UNTAGGED_COUNT.replace("\"rulePriority\": 1", "\"rulePriority\": 0")),
                "numeric instance is lower than the required minimum (minimum: 1, found: 0)");
        assertValidationFailure(policy(UNTAGGED_COUNT.replace("\"rulePriority\": 1", "\"rulePriority\": -3")),
                "numeric instance is lower than the required minimum (minimum: 1, found: -3)");
        assertValidationFailure(policy(UNTAGGED_COUNT.replace("\"rulePriority\": 1", "\"rulePriority\": 1.5")),
                "instance type (number) does not match any allowed primitive type (allowed: [\"integer\"])");
        assertValidationFailure(policy(UNTAGGED_COUNT.replace("\"rulePriority\": 1", "\"rulePriority\": \"1\"")),
                "instance type (string) does not match any allowed primitive type (allowed: [\"integer\"])");
        assertValidationFailure(policy(UNTAGGED_COUNT.replace("\"rulePriority\": 1", "\"rulePriority\": null")),
                "instance type (null) does not match any allowed primitive type (allowed: [\"integer\"])");
    }

    @Test
    void refusesARulePriorityBeyondAnInteger() {
        assertValidationFailure(policy(UNTAGGED_COUNT.replace("\"rulePriority\": 1", "\"rulePriority\": 2147483648")),
                "Could not map policyString into LifecyclePolicy.");
    }

    @Test
    void refusesADescriptionThatIsNotAString() {
        assertValidationFailure(policy(UNTAGGED_COUNT.replace("\"rulePriority\": 1,", "\"rulePriority\": 1, \"description\": 5,")),
                "instance type (integer) does not match any allowed primitive type (allowed: [\"string\"])");
    }

    @Test
    void refusesASelectionWithoutItsRequiredMembers() {
        assertValidationFailure(policy(rule(1, "\"countType\": \"imageCountMoreThan\", \"countNumber\": 1")),
                "object has missing required properties ([\"tagStatus\"])");
        assertValidationFailure(policy(rule(1, "\"tagStatus\": \"untagged\", \"countNumber\": 1")),
                "object has missing required properties ([\"countType\"])");
        assertValidationFailure(policy(rule(1, "\"tagStatus\": \"untagged\", \"countType\": \"imageCountMoreThan\"")),
                "object has missing required properties ([\"countNumber\"])");
    }

    @Test
    void refusesUnknownMembersOfASelection() {
        assertValidationFailure(policy(rule(1, "\"tagStatus\": \"untagged\", \"countType\": \"imageCountMoreThan\", "
                        + "\"countNumber\": 1, \"tagSuffixList\": [\"x\"]")),
                "object instance has properties which are not allowed by the schema: [\"tagSuffixList\"]");
    }

    @Test
    void refusesAnUnknownTagStatus() {
        assertValidationFailure(policy(rule(1, "\"tagStatus\": \"TAGGED\", \"tagPrefixList\": [\"v\"], "
                        + "\"countType\": \"imageCountMoreThan\", \"countNumber\": 1")),
                "instance value (\"TAGGED\") not found in enum (possible values: [\"any\",\"tagged\",\"untagged\"])");
    }

    @Test
    void refusesAnUnknownCountType() {
        assertValidationFailure(policy(rule(1, "\"tagStatus\": \"untagged\", \"countType\": \"imageCountLessThan\", "
                        + "\"countNumber\": 1")),
                "instance failed to match exactly one schema (matched 0 out of 2)");
    }

    @Test
    void refusesACountUnitWithImageCountMoreThan() {
        assertValidationFailure(policy(rule(3, "\"tagStatus\": \"untagged\", \"countType\": \"imageCountMoreThan\", "
                        + "\"countUnit\": \"days\", \"countNumber\": 5")),
                "countUnit is only allowed with countType sinceImagePushed; remove countUnit from the "
                        + "imageCountMoreThan rule with rulePriority 3.");
    }

    @Test
    void refusesSinceImagePushedWithoutACountUnit() {
        assertValidationFailure(policy(rule(4, "\"tagStatus\": \"untagged\", \"countType\": \"sinceImagePushed\", "
                        + "\"countNumber\": 5")),
                "countUnit is required with countType sinceImagePushed; add \"countUnit\": \"days\" to the rule "
                        + "with rulePriority 4.");
    }

    @Test
    void refusesACountUnitOtherThanDays() {
        assertValidationFailure(policy(rule(1, "\"tagStatus\": \"untagged\", \"countType\": \"sinceImagePushed\", "
                        + "\"countUnit\": \"hours\", \"countNumber\": 5")),
                "instance value (\"hours\") not found in enum (possible values: [\"days\"])");
    }

    @Test
    void refusesACountNumberBelowOne() {
        assertValidationFailure(policy(rule(1, "\"tagStatus\": \"untagged\", \"countType\": \"imageCountMoreThan\", "
                        + "\"countNumber\": 0")),
                "numeric instance is lower than the required minimum (minimum: 1, found: 0)");
    }

    @Test
    void refusesAnActionWithoutAKnownType() {
        assertValidationFailure(policy(UNTAGGED_COUNT.replace("{\"type\": \"expire\"}", "{}")),
                "object has missing required properties ([\"type\"])");
        assertValidationFailure(policy(UNTAGGED_COUNT.replace("\"expire\"", "\"delete\"")),
                "instance value (\"delete\") not found in enum (possible values: [\"expire\",\"transition\"])");
        assertValidationFailure(policy(UNTAGGED_COUNT.replace("\"expire\"", "\"expire\", \"when\": \"now\"")),
                "object instance has properties which are not allowed by the schema: [\"when\"]");
    }

    @Test
    void refusesAnExpireActionWithATargetStorageClassEvenNull() {
        // Seen from real ECR when a Terraform module added targetStorageClass = null to expire actions.
        assertValidationFailure(policy(UNTAGGED_COUNT.replace("\"expire\"", "\"expire\", \"targetStorageClass\": null")),
                "instance failed to match exactly one schema (matched 0 out of 2)");
    }

    @Test
    void refusesArchiveFeaturesTheEmulatorDoesNotHave() {
        String unsupported = "ecs-emu does not support %s in lifecycle policies: it has no archive storage class. "
                + "Use countType imageCountMoreThan or sinceImagePushed with action type expire.";
        assertRefused(() -> LifecyclePolicy.parse(policy(UNTAGGED_COUNT.replace("\"expire\"",
                        "\"transition\", \"targetStorageClass\": \"archive\""))),
                ERROR, unsupported.formatted("action type \"transition\""));
        assertRefused(() -> LifecyclePolicy.parse(policy(rule(1, "\"tagStatus\": \"any\", "
                        + "\"countType\": \"sinceImagePulled\", \"countUnit\": \"days\", \"countNumber\": 30"))),
                ERROR, unsupported.formatted("countType \"sinceImagePulled\""));
        assertRefused(() -> LifecyclePolicy.parse(policy(rule(1, "\"tagStatus\": \"any\", \"storageClass\": \"archive\", "
                        + "\"countType\": \"imageCountMoreThan\", \"countNumber\": 30"))),
                ERROR, unsupported.formatted("storageClass \"archive\""));
        assertValidationFailure(policy(rule(1, "\"tagStatus\": \"any\", \"storageClass\": \"cold\", "
                        + "\"countType\": \"imageCountMoreThan\", \"countNumber\": 30")),
                "instance value (\"cold\") not found in enum (possible values: [\"standard\",\"archive\"])");
    }

    // --- tag lists ---

    @Test
    void refusesATaggedRuleWithoutPrefixesOrPatterns() {
        assertValidationFailure(policy(rule(1, "\"tagStatus\": \"tagged\", \"countType\": \"imageCountMoreThan\", "
                        + "\"countNumber\": 10")),
                "Must specify tagPrefixList or tagPatternList when tagStatus=TAGGED.");
    }

    @Test
    void refusesATaggedRuleWithBothPrefixesAndPatterns() {
        assertValidationFailure(policy(rule(2, "\"tagStatus\": \"tagged\", \"tagPrefixList\": [\"v\"], "
                        + "\"tagPatternList\": [\"v*\"], \"countType\": \"imageCountMoreThan\", \"countNumber\": 10")),
                "Specify either tagPrefixList or tagPatternList, not both, in the rule with rulePriority 2.");
    }

    @Test
    void refusesTagListsOnUntaggedAndAnyRules() {
        assertValidationFailure(policy(rule(1, "\"tagStatus\": \"untagged\", \"tagPrefixList\": [\"v\"], "
                        + "\"countType\": \"imageCountMoreThan\", \"countNumber\": 10")),
                "tagPrefixList and tagPatternList are only allowed when tagStatus=TAGGED; remove them from the rule "
                        + "with rulePriority 1 (tagStatus=UNTAGGED).");
        assertValidationFailure(policy(rule(9, "\"tagStatus\": \"any\", \"tagPatternList\": [\"*\"], "
                        + "\"countType\": \"imageCountMoreThan\", \"countNumber\": 10")),
                "tagPrefixList and tagPatternList are only allowed when tagStatus=TAGGED; remove them from the rule "
                        + "with rulePriority 9 (tagStatus=ANY).");
    }

    @Test
    void refusesEmptyTagListsAndEmptyEntries() {
        assertValidationFailure(policy(rule(1, "\"tagStatus\": \"tagged\", \"tagPrefixList\": [], "
                        + "\"countType\": \"imageCountMoreThan\", \"countNumber\": 10")),
                "array is too short: must have at least 1 elements but instance has 0 elements");
        assertValidationFailure(policy(rule(1, "\"tagStatus\": \"tagged\", \"tagPrefixList\": [\"\"], "
                        + "\"countType\": \"imageCountMoreThan\", \"countNumber\": 10")),
                "string \"\" is too short (length: 0, required minimum: 1)");
        assertValidationFailure(policy(rule(1, "\"tagStatus\": \"tagged\", \"tagPatternList\": [\"v*\", 3], "
                        + "\"countType\": \"imageCountMoreThan\", \"countNumber\": 10")),
                "instance type (integer) does not match any allowed primitive type (allowed: [\"string\"])");
    }

    @Test
    void refusesAPatternWithMoreThanFourWildcards() {
        // The docs' own example of an invalid pattern list.
        assertValidationFailure(policy(rule(1, "\"tagStatus\": \"tagged\", \"tagPatternList\": [\"test*1*2*3*4*5*6\"], "
                        + "\"countType\": \"imageCountMoreThan\", \"countNumber\": 1")),
                "tagPatternList entry \"test*1*2*3*4*5*6\" has 6 wildcards (*); at most 4 are allowed per pattern.");
        assertValidationFailure(policy(rule(1, "\"tagStatus\": \"tagged\", \"tagPatternList\": [\"*a*b*c*d*\"], "
                        + "\"countType\": \"imageCountMoreThan\", \"countNumber\": 1")),
                "tagPatternList entry \"*a*b*c*d*\" has 5 wildcards (*); at most 4 are allowed per pattern.");
    }

    // --- rules together ---

    @Test
    void refusesTwoRulesWithTheSamePriority() {
        assertValidationFailure(policy(
                        rule(5, "\"tagStatus\": \"tagged\", \"tagPrefixList\": [\"a\"], \"countType\": \"imageCountMoreThan\", \"countNumber\": 1"),
                        rule(5, "\"tagStatus\": \"tagged\", \"tagPrefixList\": [\"b\"], \"countType\": \"imageCountMoreThan\", \"countNumber\": 1")),
                "rulePriority 5 is used by more than one rule; give each rule a unique rulePriority.");
    }

    @Test
    void refusesTwoRulesThatSelectUntaggedImages() {
        assertValidationFailure(policy(
                        rule(1, "\"tagStatus\": \"untagged\", \"countType\": \"imageCountMoreThan\", \"countNumber\": 5"),
                        rule(2, "\"tagStatus\": \"untagged\", \"countType\": \"sinceImagePushed\", \"countUnit\": \"days\", \"countNumber\": 7")),
                "Only one rule can select Untagged images per storage class.");
    }

    @Test
    void refusesAnAnyRuleThatIsNotAppliedLast() {
        assertValidationFailure(policy(
                        rule(1, "\"tagStatus\": \"any\", \"countType\": \"imageCountMoreThan\", \"countNumber\": 5"),
                        rule(2, "\"tagStatus\": \"untagged\", \"countType\": \"imageCountMoreThan\", \"countNumber\": 1")),
                "Rule for tagStatus=ANY must have the lowest priority per storage class");
        // Two any rules cannot both be last.
        assertValidationFailure(policy(
                        rule(1, "\"tagStatus\": \"any\", \"countType\": \"imageCountMoreThan\", \"countNumber\": 5"),
                        rule(2, "\"tagStatus\": \"any\", \"countType\": \"imageCountMoreThan\", \"countNumber\": 9")),
                "Rule for tagStatus=ANY must have the lowest priority per storage class");
    }

    @Test
    void refusalsAreEcrInvalidParameterExceptions() {
        LifecyclePolicyException e = (LifecyclePolicyException) catchThrowable(() -> LifecyclePolicy.parse(padded("{}")));

        assertThat(e.errorType()).isEqualTo("InvalidParameterException");
        assertThat(e.status()).isEqualTo(400);
    }
}

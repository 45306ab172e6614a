package dev.ecsemu.core.ecr.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which images a policy expires. The worked examples are those of the AWS docs page "Examples of
 * lifecycle policies in Amazon ECR" (repository contents, policy text and stated result); images are
 * named A, B, ... as there and pushed the stated number of days before {@link #NOW}.
 */
class LifecyclePolicyEvaluationTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    static ImageFacts image(String name, int daysAgo, String... tags) {
        return pushedAt(name, NOW.minus(Duration.ofDays(daysAgo)), tags);
    }

    static ImageFacts pushedAt(String name, Instant pushedAt, String... tags) {
        return new ImageFacts("sha256:" + name, Set.of(tags), pushedAt);
    }

    /** The expired images by name, with the priority of the rule that expires each, in result order. */
    static List<String> expired(String policyText, ImageFacts... images) {
        return LifecyclePolicy.parse(policyText).evaluate(List.of(images), NOW).stream()
                .map(e -> e.image().imageDigest().substring("sha256:".length()) + "@" + e.appliedRulePriority())
                .toList();
    }

    // --- Filtering on image age ---

    @Test
    void docsFilteringOnImageAge() {
        String policy = """
                {
                    "rules": [
                        {
                            "rulePriority": 1,
                            "description": "Expire images older than 14 days",
                            "selection": {
                                "tagStatus": "tagged",
                                "tagPatternList": ["prod*"],
                                "countType": "sinceImagePushed",
                                "countUnit": "days",
                                "countNumber": 14
                            },
                            "action": {
                                "type": "expire"
                            }
                        }
                    ]
                }""";

        assertThat(expired(policy,
                image("oldProd", 20, "prod-1"),
                image("newProd", 10, "prod-2"),
                image("oldProdBare", 15, "prod"),
                image("oldDev", 20, "dev-1"),
                image("oldPreprod", 20, "preprod-1"),
                image("oldUntagged", 30)))
                .containsExactly("oldProd@1", "oldProdBare@1");
    }

    @Test
    void sinceImagePushedExpiresOnlyImagesPushedMoreThanTheDaysAgo() {
        String policy = LifecyclePolicyValidationTest.policy(LifecyclePolicyValidationTest.rule(1,
                "\"tagStatus\": \"untagged\", \"countType\": \"sinceImagePushed\", \"countUnit\": \"days\", \"countNumber\": 14"));

        assertThat(expired(policy,
                pushedAt("exactly14Days", NOW.minus(Duration.ofDays(14))),
                pushedAt("justOver14Days", NOW.minus(Duration.ofDays(14)).minusSeconds(1)),
                pushedAt("today", NOW)))
                .containsExactly("justOver14Days@1");
    }

    // --- Filtering on image count ---

    @Test
    void docsFilteringOnImageCount() {
        String policy = """
                {
                    "rules": [
                        {
                            "rulePriority": 1,
                            "description": "Keep only one untagged image, expire all others",
                            "selection": {
                                "tagStatus": "untagged",
                                "countType": "imageCountMoreThan",
                                "countNumber": 1
                            },
                            "action": {
                                "type": "expire"
                            }
                        }
                    ]
                }""";

        assertThat(expired(policy,
                image("untagged3", 3),
                image("untagged1", 1),
                image("tagged5", 5, "v1"),
                image("untagged2", 2)))
                .containsExactly("untagged3@1", "untagged2@1");
    }

    @Test
    void keepTheLastTwoImagesOfFive() {
        String policy = LifecyclePolicyValidationTest.policy(LifecyclePolicyValidationTest.rule(1,
                "\"tagStatus\": \"any\", \"countType\": \"imageCountMoreThan\", \"countNumber\": 2"));

        assertThat(expired(policy,
                image("second", 4, "v2"),
                image("fifth", 1, "v5"),
                image("first", 5, "v1"),
                image("fourth", 2),
                image("third", 3, "v3")))
                .containsExactly("first@1", "second@1", "third@1");
    }

    @Test
    void noImageIsExpiredWhileTheCountIsNotExceeded() {
        String policy = LifecyclePolicyValidationTest.policy(LifecyclePolicyValidationTest.rule(1,
                "\"tagStatus\": \"any\", \"countType\": \"imageCountMoreThan\", \"countNumber\": 2"));

        assertThat(expired(policy, image("a", 9, "v1"), image("b", 8))).isEmpty();
        assertThat(expired(policy)).isEmpty();
    }

    @Test
    void imagesPushedAtTheSameInstantAreCountedInDigestOrder() {
        String policy = LifecyclePolicyValidationTest.policy(LifecyclePolicyValidationTest.rule(1,
                "\"tagStatus\": \"any\", \"countType\": \"imageCountMoreThan\", \"countNumber\": 1"));

        assertThat(expired(policy, image("b", 1), image("a", 1), image("c", 1))).containsExactly("b@1", "c@1");
    }

    // --- Filtering on multiple rules ---

    private static final ImageFacts[] MULTIPLE_RULES_REPOSITORY = {
        image("A", 10, "beta-1", "prod-1"),
        image("B", 9, "beta-2", "prod-2"),
        image("C", 8, "beta-3"),
    };

    private static String prefixCountRule(int priority, String prefix) {
        return """
                {
                    "rulePriority": %d,
                    "description": "Rule %d",
                    "selection": {
                        "tagStatus": "tagged",
                        "tagPrefixList": ["%s"],
                        "countType": "imageCountMoreThan",
                        "countNumber": 1
                    },
                    "action": {
                        "type": "expire"
                    }
                }""".formatted(priority, priority, prefix);
    }

    @Test
    void docsMultipleRulesExampleA() {
        // Rule 2 would mark A and B, but both were seen by Rule 1: expiring B would violate Rule 1.
        String policy = "{\"rules\": [" + prefixCountRule(1, "prod") + ", " + prefixCountRule(2, "beta") + "]}";

        assertThat(expired(policy, MULTIPLE_RULES_REPOSITORY)).containsExactly("A@1");
    }

    @Test
    void docsMultipleRulesExampleB() {
        // Rule 1 sees all three images; Rule 2 sees none that Rule 1 has not seen.
        String policy = "{\"rules\": [" + prefixCountRule(1, "beta") + ", " + prefixCountRule(2, "prod") + "]}";

        assertThat(expired(policy, MULTIPLE_RULES_REPOSITORY)).containsExactly("A@1", "B@1");
    }

    @Test
    void rulesAreAppliedByPriorityNotByTheirOrderInTheText() {
        String policy = "{\"rules\": [" + prefixCountRule(2, "beta") + ", " + prefixCountRule(1, "prod") + "]}";

        assertThat(expired(policy, MULTIPLE_RULES_REPOSITORY)).containsExactly("A@1");
    }

    // --- Filtering on multiple tags in a single rule ---

    @Test
    void docsMultipleTagsInASingleRuleExampleA() {
        String policy = """
                {
                    "rules": [
                        {
                            "rulePriority": 1,
                            "description": "Rule 1",
                            "selection": {
                                "tagStatus": "tagged",
                                "tagPrefixList": ["alpha", "beta"],
                                "countType": "sinceImagePushed",
                                "countNumber": 5,
                                "countUnit": "days"
                            },
                            "action": {
                                "type": "expire"
                            }
                        }
                    ]
                }""";

        // Only C and F carry both an alpha and a beta tag; of those only C is older than five days.
        assertThat(expired(policy,
                image("A", 12, "alpha-1"),
                image("B", 11, "beta-1"),
                image("C", 10, "alpha-2", "beta-2"),
                image("D", 4, "alpha-3"),
                image("E", 3, "beta-3"),
                image("F", 2, "alpha-4", "beta-4")))
                .containsExactly("C@1");
    }

    @Test
    void docsMultipleTagsInASingleRuleExampleB() {
        String policy = """
                {
                    "rules": [
                        {
                            "rulePriority": 1,
                            "description": "Rule 1",
                            "selection": {
                                "tagStatus": "tagged",
                                "tagPrefixList": ["alpha", "beta"],
                                "countType": "imageCountMoreThan",
                                "countNumber": 1
                            },
                            "action": {
                                "type": "expire"
                            }
                        }
                    ]
                }""";

        // Tags are not exclusive: the gamma tags do not stop A and C from matching.
        assertThat(expired(policy,
                image("A", 10, "alpha-1", "beta-1", "gamma-1"),
                image("B", 9, "alpha-2", "beta-2"),
                image("C", 8, "alpha-3", "beta-3", "gamma-2")))
                .containsExactly("A@1", "B@1");
    }

    @Test
    void aPatternListAlsoNeedsEveryEntryMatchedBySomeTag() {
        String policy = LifecyclePolicyValidationTest.policy(LifecyclePolicyValidationTest.rule(1,
                "\"tagStatus\": \"tagged\", \"tagPatternList\": [\"*-rc*\", \"release\"], "
                        + "\"countType\": \"sinceImagePushed\", \"countUnit\": \"days\", \"countNumber\": 1"));

        assertThat(expired(policy,
                image("both", 5, "1.2-rc3", "release"),
                image("onlyRc", 5, "1.2-rc3"),
                image("onlyRelease", 5, "release"),
                image("releaseIsWholeTag", 5, "1.2-rc3", "release-notes")))
                .containsExactly("both@1");
    }

    // --- Filtering on all images ---

    @Test
    void docsAllImagesExampleA() {
        String policy = """
                {
                    "rules": [
                        {
                            "rulePriority": 1,
                            "description": "Rule 1",
                            "selection": {
                                "tagStatus": "any",
                                "countType": "imageCountMoreThan",
                                "countNumber": 1
                            },
                            "action": {
                                "type": "expire"
                            }
                        }
                    ]
                }""";

        assertThat(expired(policy,
                image("A", 4, "alpha-1"),
                image("B", 3, "beta-1"),
                image("C", 2),
                image("D", 1, "alpha-2")))
                .containsExactly("A@1", "B@1", "C@1");
    }

    @Test
    void docsAllImagesExampleB() {
        String policy = """
                {
                    "rules": [
                        {
                            "rulePriority": 1,
                            "description": "Rule 1",
                            "selection": {
                                "tagStatus": "tagged",
                                "tagPrefixList": ["alpha"],
                                "countType": "imageCountMoreThan",
                                "countNumber": 1
                            },
                            "action": {
                                "type": "expire"
                            }
                        },
                        {
                            "rulePriority": 2,
                            "description": "Rule 2",
                            "selection": {
                                "tagStatus": "untagged",
                                "countType": "sinceImagePushed",
                                "countUnit": "days",
                                "countNumber": 1
                            },
                            "action": {
                                "type": "expire"
                            }
                        },
                        {
                            "rulePriority": 3,
                            "description": "Rule 3",
                            "selection": {
                                "tagStatus": "any",
                                "countType": "imageCountMoreThan",
                                "countNumber": 1
                            },
                            "action": {
                                "type": "expire"
                            }
                        }
                    ]
                }""";

        // Rule 1 marks A (keeps C); Rule 2 marks B (E is not older than one day); Rule 3 keeps the newest
        // image, E, and may mark only D: A, B, C and E were identified by higher-priority rules. The doc
        // pushes D and E "1 day ago"; its result needs E to be the newer, so D is pushed a minute earlier.
        assertThat(expired(policy,
                image("A", 4, "alpha-1", "beta-1"),
                image("B", 3),
                image("C", 2, "alpha-2"),
                pushedAt("D", NOW.minus(Duration.ofDays(1)).minusSeconds(60), "git hash"),
                image("E", 1)))
                .containsExactly("A@1", "B@2", "D@3");
    }

    // --- tag matching ---

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
            "prod*, prod, true",
            "prod*, prod-1, true",
            "prod*, preprod, false",
            "*prod, preprod, true",
            "*prod, prod-1, false",
            "release, release, true",
            "release, release-1, false",
            "*, anything, true",
            "v*.*.*, v1.2.3, true",
            "v*.*.*, v1.2, false",
            "*test*1*2*3, mytest-1-2-3, true",
            "*test*1*2*3, test123x, false",
            "a*a, a, false",
            "a*a, aa, true",
            "**, '', true",
            "*-rc*, 1.0-rc1, true",
            "*-rc*, 1.0-RC1, false",
    })
    void wildcardStandsForAnyRunOfCharacters(String pattern, String tag, boolean matches) {
        assertThat(LifecycleRule.wildcardMatches(pattern, tag)).isEqualTo(matches);
    }
}

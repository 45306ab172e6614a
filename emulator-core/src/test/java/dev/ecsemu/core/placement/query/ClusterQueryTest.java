package dev.ecsemu.core.placement.query;

import static dev.ecsemu.core.testing.Refusals.assertRefused;
import static dev.ecsemu.core.testing.Refusals.assertRefusedContaining;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.core.placement.InstanceFacts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterQueryTest {
    private static final String INVALID = "InvalidParameterException";

    /** An instance as the language sees it; the {@code with...} methods answer changed copies. */
    record Facts(Map<String, String> attributes, String ec2InstanceId, Instant registeredAt, int runningTasksCount,
            boolean agentConnected, String agentVersion, Collection<String> taskGroups) implements InstanceFacts {

        /** A t2.small in us-east-1a with agent 1.14.5, registered 2018-06-18T22:28:28Z, running no tasks. */
        static Facts instance() {
            return new Facts(Map.of("ecs.instance-type", "t2.small", "ecs.availability-zone", "us-east-1a",
                    "ecs.os-type", "linux"), "i-abcd1234", Instant.parse("2018-06-18T22:28:28Z"), 0, true, "1.14.5",
                    List.of());
        }

        Facts with(String attribute, String value) {
            Map<String, String> copy = new HashMap<>(attributes);
            if (value == null) {
                copy.remove(attribute);
            } else {
                copy.put(attribute, value);
            }
            return new Facts(copy, ec2InstanceId, registeredAt, runningTasksCount, agentConnected, agentVersion, taskGroups);
        }

        Facts withInstanceId(String id) {
            return new Facts(attributes, id, registeredAt, runningTasksCount, agentConnected, agentVersion, taskGroups);
        }

        Facts registered(String at) {
            return new Facts(attributes, ec2InstanceId, Instant.parse(at), runningTasksCount, agentConnected, agentVersion,
                    taskGroups);
        }

        Facts running(int count) {
            return new Facts(attributes, ec2InstanceId, registeredAt, count, agentConnected, agentVersion, taskGroups);
        }

        Facts connected(boolean connected) {
            return new Facts(attributes, ec2InstanceId, registeredAt, runningTasksCount, connected, agentVersion, taskGroups);
        }

        Facts agent(String version) {
            return new Facts(attributes, ec2InstanceId, registeredAt, runningTasksCount, agentConnected, version, taskGroups);
        }

        Facts groups(String... groups) {
            return new Facts(attributes, ec2InstanceId, registeredAt, groups.length, agentConnected, agentVersion,
                    List.of(groups));
        }

        @Override
        public String arn() {
            return "arn:aws:ecs:us-east-1:123456789012:container-instance/default/" + ec2InstanceId;
        }

        @Override
        public String attribute(String name) {
            return attributes.get(name);
        }
    }

    private static final Facts BASE = Facts.instance();

    private static boolean matches(String expression, InstanceFacts facts) {
        return ClusterQuery.parse(expression).test(facts);
    }

    @Nested
    class DocumentedExamples {
        @Test
        void stringEquality() {
            assertThat(matches("attribute:ecs.instance-type == t2.small", BASE)).isTrue();
            assertThat(matches("attribute:ecs.instance-type == t2.small", BASE.with("ecs.instance-type", "t2.medium"))).isFalse();
        }

        @Test
        void argumentList() {
            String e = "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]";
            assertThat(matches(e, BASE)).isTrue();
            assertThat(matches(e, BASE.with("ecs.availability-zone", "us-east-1b"))).isTrue();
            assertThat(matches(e, BASE.with("ecs.availability-zone", "us-east-1c"))).isFalse();
        }

        @Test
        void compoundExpression() {
            String e = "attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d";
            assertThat(matches(e, BASE.with("ecs.instance-type", "g2.2xlarge"))).isTrue();
            assertThat(matches(e, BASE.with("ecs.instance-type", "g2.2xlarge").with("ecs.availability-zone", "us-east-1d")))
                    .isFalse();
            assertThat(matches(e, BASE)).isFalse();
        }

        @Test
        void taskAffinity() {
            String e = "task:group == service:production";
            assertThat(matches(e, BASE.groups("family:web", "service:production"))).isTrue();
            assertThat(matches(e, BASE.groups("service:staging"))).isFalse();
            assertThat(matches(e, BASE)).isFalse();
        }

        @Test
        void taskAntiAffinity() {
            String e = "not(task:group == database)";
            assertThat(matches(e, BASE)).isTrue();
            assertThat(matches(e, BASE.groups("web", "cache"))).isTrue();
            assertThat(matches(e, BASE.groups("web", "database"))).isFalse();
        }

        @Test
        void runningTaskCount() {
            assertThat(matches("runningTasksCount == 1", BASE.running(1))).isTrue();
            assertThat(matches("runningTasksCount == 1", BASE.running(2))).isFalse();
        }

        @Test
        void agentVersion() {
            assertThat(matches("agentVersion < 1.14.5", BASE.agent("1.14.4"))).isTrue();
            assertThat(matches("agentVersion < 1.14.5", BASE.agent("1.9.0"))).as("numeric, not string, order").isTrue();
            assertThat(matches("agentVersion < 1.14.5", BASE.agent("1.14.5"))).isFalse();
            assertThat(matches("agentVersion < 1.14.5", BASE.agent("1.20.0"))).isFalse();
        }

        @Test
        void registrationTime() {
            assertThat(matches("registeredAt < 2018-02-13", BASE.registered("2018-02-12T23:59:59Z"))).isTrue();
            assertThat(matches("registeredAt < 2018-02-13", BASE.registered("2018-02-13T00:00:00Z"))).isFalse();
            assertThat(matches("registeredAt < 2018-06-18", BASE)).isFalse();
            assertThat(matches("registeredAt < 2018-06-19", BASE)).isTrue();
        }

        @Test
        void ec2InstanceIds() {
            String e = "ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']";
            assertThat(matches(e, BASE)).isTrue();
            assertThat(matches(e, BASE.withInstanceId("i-wxyx7890"))).isTrue();
            assertThat(matches(e, BASE.withInstanceId("i-00000000"))).isFalse();
        }
    }

    @Nested
    class Operators {
        @ParameterizedTest(name = "{0} / {1}")
        @CsvSource(delimiter = '|', value = {
            "runningTasksCount == 3       | runningTasksCount equals 3             | true",
            "runningTasksCount != 3       | runningTasksCount not_equals 3         | false",
            "runningTasksCount > 2        | runningTasksCount greater_than 2       | true",
            "runningTasksCount > 3        | runningTasksCount greater_than 3       | false",
            "runningTasksCount >= 3       | runningTasksCount greater_than_equal 3 | true",
            "runningTasksCount >= 4       | runningTasksCount greater_than_equal 4 | false",
            "runningTasksCount < 4        | runningTasksCount less_than 4          | true",
            "runningTasksCount < 3        | runningTasksCount less_than 3          | false",
            "runningTasksCount <= 3       | runningTasksCount less_than_equal 3    | true",
            "runningTasksCount <= 2       | runningTasksCount less_than_equal 2    | false",
            "attribute:team exists        | attribute:team exists                  | true",
            "attribute:team !exists       | attribute:team not_exists              | false",
            "attribute:nope !exists       | attribute:nope not_exists              | true",
            "runningTasksCount in [1, 3]  | runningTasksCount in (1, 3)            | true",
            "runningTasksCount !in [1, 3] | runningTasksCount not_in [1, 3]        | false",
            "runningTasksCount !in [1, 2] | runningTasksCount not_in [1, 2]        | true",
            "attribute:team =~ c.re       | attribute:team matches c.re            | true",
            "attribute:team !~ c.re       | attribute:team not_matches c.re        | false",
            "attribute:team !~ web        | attribute:team not_matches web         | true",
        })
        void symbolAndWordFormsAgree(String symbol, String word, boolean expected) {
            Facts facts = BASE.with("team", "core").running(3);
            assertThat(matches(symbol, facts)).as(symbol).isEqualTo(expected);
            assertThat(matches(word, facts)).as(word).isEqualTo(expected);
        }

        @Test
        void symbolOperatorsNeedNoSpaces() {
            assertThat(matches("runningTasksCount==0", BASE)).isTrue();
            assertThat(matches("attribute:ecs.os-type!=windows&&runningTasksCount<1", BASE)).isTrue();
            assertThat(matches("runningTasksCount>-1", BASE)).isTrue();
            assertThat(matches("ec2InstanceId in['i-abcd1234']", BASE)).isTrue();
        }

        @Test
        void absentAttributeSatisfiesOnlyNegativeOperators() {
            assertThat(matches("attribute:missing exists", BASE)).isFalse();
            assertThat(matches("attribute:missing == x", BASE)).isFalse();
            assertThat(matches("attribute:missing in [x, y]", BASE)).isFalse();
            assertThat(matches("attribute:missing =~ .*", BASE)).isFalse();
            assertThat(matches("attribute:missing > a", BASE)).isFalse();
            assertThat(matches("attribute:missing < a", BASE)).isFalse();
            assertThat(matches("attribute:missing != x", BASE)).isTrue();
            assertThat(matches("attribute:missing not_in [x, y]", BASE)).isTrue();
            assertThat(matches("attribute:missing !~ .*", BASE)).isTrue();
            assertThat(matches("attribute:missing !exists", BASE)).isTrue();
        }

        @Test
        void valuelessAttributesExist() {
            Facts external = BASE.with("ecs.capability.external", "");
            assertThat(matches("attribute:ecs.capability.external exists", external)).isTrue();
            assertThat(matches("attribute:ecs.capability.external exists", BASE)).isFalse();
        }

        @Test
        void stringEqualityIsExactAndCaseSensitive() {
            assertThat(matches("attribute:ecs.os-type == linux", BASE)).isTrue();
            assertThat(matches("attribute:ecs.os-type == Linux", BASE)).isFalse();
            assertThat(matches("attribute:ecs.os-type == lin", BASE)).isFalse();
        }

        @Test
        void orderingOnAttributesIsNumericWhenBothSidesAreNumbers() {
            Facts eight = BASE.with("cores", "8");
            assertThat(matches("attribute:cores >= 16", eight)).as("8 < 16 numerically").isFalse();
            assertThat(matches("attribute:cores < 16", eight)).isTrue();
            assertThat(matches("attribute:cores > 7.5", eight)).isTrue();
            assertThat(matches("attribute:ecs.availability-zone < us-east-1b", BASE)).as("string order").isTrue();
            assertThat(matches("attribute:ecs.availability-zone >= us-east-1b", BASE)).isFalse();
            assertThat(matches("attribute:cores > abc", eight)).as("'8' < 'abc' as strings").isFalse();
        }
    }

    @Nested
    class ValuesAndLists {
        @Test
        void quotedValuesWithEitherQuote() {
            assertThat(matches("attribute:ecs.instance-type == 't2.small'", BASE)).isTrue();
            assertThat(matches("attribute:ecs.instance-type == \"t2.small\"", BASE)).isTrue();
            assertThat(matches("attribute:label == 'two words'", BASE.with("label", "two words"))).isTrue();
            assertThat(matches("attribute:label == \"it's\"", BASE.with("label", "it's"))).isTrue();
            assertThat(matches("attribute:label == 'a) and (b'", BASE.with("label", "a) and (b"))).isTrue();
        }

        @Test
        void listsMixQuotedAndBareValues() {
            String in = "ec2InstanceId in [\"i-wxyx7890\", 'i-abcd1234', i-0000]";
            assertThat(matches(in, BASE)).isTrue();
            assertThat(matches("ec2InstanceId not_in ['i-abcd1234', \"i-wxyx7890\"]", BASE)).isFalse();
            assertThat(matches("ec2InstanceId !in ['i-wxyx7890']", BASE)).isTrue();
            assertThat(matches("attribute:label in ['a, b', c]", BASE.with("label", "a, b"))).isTrue();
            assertThat(matches("attribute:ecs.availability-zone in [ us-east-1a ]", BASE)).isTrue();
            assertThat(matches("attribute:ecs.availability-zone in (us-east-1b, us-east-1a)", BASE)).isTrue();
        }

        @Test
        void valuesMayHoldColonsAndOperatorCharacters() {
            assertThat(matches("attribute:arn == arn:aws:ecs:x", BASE.with("arn", "arn:aws:ecs:x"))).isTrue();
            assertThat(matches("attribute:expr == a=b!c", BASE.with("expr", "a=b!c"))).isTrue();
        }

        @Test
        void keywordsAsValuesStayValues() {
            assertThat(matches("attribute:mode == and and attribute:other == or", BASE.with("mode", "and").with("other", "or")))
                    .isTrue();
        }
    }

    @Nested
    class RegularExpressions {
        @Test
        void matchTheWholeValue() {
            Facts g2 = BASE.with("ecs.instance-type", "g2.2xlarge");
            assertThat(matches("attribute:ecs.instance-type =~ g2.*", g2)).isTrue();
            assertThat(matches("attribute:ecs.instance-type =~ g2", g2)).as("whole value, not a prefix").isFalse();
            assertThat(matches("attribute:ecs.instance-type =~ 2xl", g2)).as("not a find").isFalse();
            assertThat(matches("attribute:ecs.instance-type !~ g2", g2)).isTrue();
        }

        @Test
        void bareRegexMayHoldGroupsAndClasses() {
            Facts p3 = BASE.with("ecs.instance-type", "p3.8xlarge");
            assertThat(matches("attribute:ecs.instance-type =~ (g2|p3)\\..*", p3)).isTrue();
            assertThat(matches("attribute:ecs.instance-type =~ [a-p][0-9].[0-9]+xlarge", p3)).isTrue();
            assertThat(matches("(attribute:ecs.instance-type =~ (g2|p3).*)", p3)).as("closing ')' ends the regex").isTrue();
            assertThat(matches("not(attribute:ecs.instance-type =~ [)(]+)", p3)).isTrue();
        }

        @Test
        void quotedRegexMayHoldSpaces() {
            assertThat(matches("attribute:label =~ 'web [0-9]+'", BASE.with("label", "web 12"))).isTrue();
            assertThat(matches("attribute:label matches \"web\\s\\d+\"", BASE.with("label", "web 12"))).isTrue();
        }

        @Test
        void appliesToEverySubjectInStringForm() {
            assertThat(matches("ec2InstanceId =~ i-abcd.*", BASE)).isTrue();
            assertThat(matches("agentVersion =~ 1\\.14\\..*", BASE)).isTrue();
            assertThat(matches("agentConnected =~ t.*", BASE)).isTrue();
            assertThat(matches("runningTasksCount =~ [0-2]", BASE.running(2))).isTrue();
            assertThat(matches("task:group =~ service:.*", BASE.groups("family:a", "service:b"))).isTrue();
            assertThat(matches("registeredAt =~ 2018-06-.*", BASE)).isTrue();
        }
    }

    @Nested
    class Subjects {
        @Test
        void attributes() {
            assertThat(matches("attribute:ecs.os-type == linux", BASE)).isTrue();
            assertThat(matches("attribute:com.amazonaws.ecs.capability.docker-remote-api.1.18 exists",
                    BASE.with("com.amazonaws.ecs.capability.docker-remote-api.1.18", ""))).isTrue();
            assertThat(matches("attribute:my_team/sub-unit == x", BASE.with("my_team/sub-unit", "x"))).isTrue();
        }

        @Test
        void taskGroupHoldsForAnyGroupAndItsNegationsForNone() {
            Facts host = BASE.groups("family:web", "service:api");
            assertThat(matches("task:group == service:api", host)).isTrue();
            assertThat(matches("task:group != service:api", host)).as("some group is service:api").isFalse();
            assertThat(matches("task:group != database", host)).isTrue();
            assertThat(matches("task:group in [database, family:web]", host)).isTrue();
            assertThat(matches("task:group not_in [database, family:web]", host)).isFalse();
            assertThat(matches("task:group not_in [database]", host)).isTrue();
            assertThat(matches("task:group !~ family:.*", host)).isFalse();
            assertThat(matches("task:group exists", host)).isTrue();
            assertThat(matches("task:group exists", BASE)).isFalse();
            assertThat(matches("task:group != database", BASE)).as("an empty instance hosts no database").isTrue();
        }

        @Test
        void agentConnected() {
            assertThat(matches("agentConnected == true", BASE)).isTrue();
            assertThat(matches("agentConnected == false", BASE)).isFalse();
            assertThat(matches("agentConnected == false", BASE.connected(false))).isTrue();
            assertThat(matches("agentConnected != TRUE", BASE.connected(false))).isTrue();
            assertThat(matches("agentConnected in [false]", BASE.connected(false))).isTrue();
            assertThat(matches("agentConnected not_in [false]", BASE.connected(false))).isFalse();
        }

        @Test
        void agentVersionComparesByNumericComponents() {
            assertThat(matches("agentVersion == 1.14.5", BASE)).isTrue();
            assertThat(matches("agentVersion == 1.14.5.0", BASE)).as("missing components are 0").isTrue();
            assertThat(matches("agentVersion >= 1.14", BASE)).isTrue();
            assertThat(matches("agentVersion > 1.14", BASE)).isTrue();
            assertThat(matches("agentVersion <= 1.14.10", BASE)).isTrue();
            assertThat(matches("agentVersion > 1.2.3", BASE.agent("1.10.0"))).isTrue();
            assertThat(matches("agentVersion < 2", BASE.agent("1.99.99"))).isTrue();
            assertThat(matches("agentVersion == 1.51.0", BASE.agent("1.51.0-beta"))).as("suffix ignored").isTrue();
            assertThat(matches("agentVersion in [1.13.0, 1.14.5]", BASE)).isTrue();
            assertThat(matches("agentVersion != 1.14.5", BASE)).isFalse();
            assertThat(matches("agentVersion exists", BASE)).isTrue();
            assertThat(matches("agentVersion exists", BASE.agent(null))).isFalse();
            assertThat(matches("agentVersion < 9", BASE.agent(null))).isFalse();
            assertThat(matches("agentVersion != 9", BASE.agent(null))).isTrue();
            assertThat(matches("agentVersion < 9", BASE.agent("unknown"))).isFalse();
        }

        @Test
        void ec2InstanceId() {
            assertThat(matches("ec2InstanceId == i-abcd1234", BASE)).isTrue();
            assertThat(matches("ec2InstanceId != i-abcd1234", BASE)).isFalse();
            assertThat(matches("ec2InstanceId exists", BASE)).isTrue();
            assertThat(matches("ec2InstanceId exists", BASE.withInstanceId(null))).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {"2018-06-18T22:28:28+00:00", "2018-06-18T22:28:28Z", "2018-06-18T22:28:28",
            "2018-06-18T23:28:28+01:00", "2018-06-18T18:28:28-04:00"})
        void registeredAtInEveryDocumentedForm(String at) {
            assertThat(matches("registeredAt == " + at, BASE)).isTrue();
            assertThat(matches("registeredAt >= " + at, BASE)).isTrue();
            assertThat(matches("registeredAt > " + at, BASE)).isFalse();
            assertThat(matches("registeredAt < " + at, BASE.registered("2018-06-18T22:28:27Z"))).isTrue();
        }

        @Test
        void registeredAtComparesAtTheArgumentsPrecision() {
            Facts withMillis = BASE.registered("2018-06-18T22:28:28.750Z");
            assertThat(matches("registeredAt == 2018-06-18T22:28:28Z", withMillis)).as("to the second").isTrue();
            assertThat(matches("registeredAt == 2018-06-18", withMillis)).as("on that day").isTrue();
            assertThat(matches("registeredAt <= 2018-06-18", withMillis)).isTrue();
            assertThat(matches("registeredAt > 2018-06-18", withMillis)).as("not after that day").isFalse();
            assertThat(matches("registeredAt > 2018-06-17", withMillis)).isTrue();
            assertThat(matches("registeredAt == 2018-06-18T22:28:28.5Z", withMillis)).as("exact when given").isFalse();
            assertThat(matches("registeredAt > 2018-06-18T22:28:28.5Z", withMillis)).isTrue();
            assertThat(matches("registeredAt in [2018-06-17, 2018-06-18]", withMillis)).isTrue();
        }

        @Test
        void runningTasksCount() {
            assertThat(matches("runningTasksCount == 0", BASE)).isTrue();
            assertThat(matches("runningTasksCount < 10", BASE.running(9))).isTrue();
            assertThat(matches("runningTasksCount < 10", BASE.running(10))).isFalse();
            assertThat(matches("runningTasksCount exists", BASE)).isTrue();
        }
    }

    @Nested
    class CompoundExpressions {
        // a: linux (true); b: t2.micro (false); c: us-east-1a (true)
        private static final String A = "attribute:ecs.os-type == linux";
        private static final String B = "attribute:ecs.instance-type == t2.micro";
        private static final String C = "attribute:ecs.availability-zone == us-east-1a";

        @Test
        void andBindsTighterThanOr() {
            assertThat(matches(A + " or " + B + " and " + B, BASE)).as("a or (b and b)").isTrue();
            assertThat(matches("(" + A + " or " + B + ") and " + B, BASE)).isFalse();
            assertThat(matches(B + " and " + B + " or " + A, BASE)).isTrue();
            assertThat(matches(B + " && " + A + " || " + C, BASE)).isTrue();
        }

        @Test
        void notBindsTighterThanAnd() {
            assertThat(matches("not " + B + " and " + A, BASE)).as("(not b) and a").isTrue();
            assertThat(matches("not " + A + " and " + B, BASE)).as("(not a) and b").isFalse();
            assertThat(matches("not (" + A + " and " + B + ")", BASE)).isTrue();
            assertThat(matches("!" + B + " && " + C, BASE)).isTrue();
            assertThat(matches("! (" + A + ")", BASE)).isFalse();
            assertThat(matches("not not " + A, BASE)).isTrue();
            assertThat(matches("!!" + A, BASE)).isTrue();
        }

        @Test
        void nestedParentheses() {
            String e = "((" + A + " and (" + B + " or " + C + ")) or runningTasksCount > 5)";
            assertThat(matches(e, BASE)).isTrue();
            assertThat(matches(e, BASE.with("ecs.availability-zone", "us-east-1b"))).isFalse();
            assertThat(matches(e, BASE.with("ecs.availability-zone", "us-east-1b").running(6))).isTrue();
        }

        @Test
        void wordsAndSymbolsMix() {
            assertThat(matches(A + " && " + C + " and not " + B, BASE)).isTrue();
            assertThat(matches(B + " || " + B + " or " + C, BASE)).isTrue();
            assertThat(matches("not(" + B + ")and(" + A + ")", BASE)).isTrue();
        }

        @Test
        void whitespaceIsFree() {
            assertThat(matches("  \t(attribute:ecs.os-type   ==   linux)\n and\nrunningTasksCount == 0  ", BASE)).isTrue();
        }
    }

    @Nested
    class Refused {
        @Test
        void unknownOperator() {
            assertRefused(() -> ClusterQuery.parse("attribute:ecs.instance-type =!= t2.small"), INVALID,
                    "Invalid expression 'attribute:ecs.instance-type =!= t2.small': unknown operator '=!=' at position 28;"
                            + " expected one of ==, !=, >, >=, <, <=, exists, !exists, in, !in, =~, !~ (or equals,"
                            + " not_equals, greater_than, greater_than_equal, less_than, less_than_equal, not_exists,"
                            + " not_in, matches, not_matches)");
            assertRefusedContaining(() -> ClusterQuery.parse("runningTasksCount is 1"), INVALID,
                    "unknown operator 'is' at position 18");
            assertRefusedContaining(() -> ClusterQuery.parse("runningTasksCount = 1"), INVALID,
                    "unknown operator '=' at position 18");
            assertRefusedContaining(() -> ClusterQuery.parse("runningTasksCount EQUALS 1"), INVALID,
                    "unknown operator 'EQUALS'");
        }

        @Test
        void missingOperator() {
            assertRefusedContaining(() -> ClusterQuery.parse("attribute:ecs.os-type"), INVALID,
                    "missing operator after 'attribute:ecs.os-type' at position 21 (found the end of the expression)");
            assertRefusedContaining(() -> ClusterQuery.parse("(attribute:x) == a"), INVALID,
                    "missing operator after 'attribute:x' at position 12 (found ')')");
            assertRefusedContaining(() -> ClusterQuery.parse("attribute:x (== a)"), INVALID,
                    "missing operator after 'attribute:x' at position 12 (found '(==')");
        }

        @Test
        void unknownSubject() {
            assertRefusedContaining(() -> ClusterQuery.parse("instanceType == t2.small"), INVALID,
                    "unknown subject 'instanceType' at position 0; expected attribute:<name>, task:group");
            assertRefusedContaining(() -> ClusterQuery.parse("runningTasksCount == 1 and task:name == x"), INVALID,
                    "unknown subject 'task:name' at position 27");
            assertRefusedContaining(() -> ClusterQuery.parse("attribute: == x"), INVALID,
                    "missing attribute name after 'attribute:' at position 0");
            assertRefusedContaining(() -> ClusterQuery.parse("attribute:a:b == x"), INVALID,
                    "invalid attribute name 'a:b' at position 0");
        }

        @Test
        void missingCondition() {
            assertRefusedContaining(() -> ClusterQuery.parse("runningTasksCount == 1 and"), INVALID,
                    "expected a condition (subject operator [argument]) at position 26 but found the end of the expression");
            assertRefusedContaining(() -> ClusterQuery.parse("== 1"), INVALID,
                    "expected a condition (subject operator [argument]) at position 0 but found '=='");
            assertRefusedContaining(() -> ClusterQuery.parse("()"), INVALID,
                    "expected a condition (subject operator [argument]) at position 1 but found ')'");
            assertRefusedContaining(() -> ClusterQuery.parse("!= x"), INVALID,
                    "expected a condition at position 0 but found an operator");
        }

        @Test
        void missingArgument() {
            assertRefused(() -> ClusterQuery.parse("attribute:ecs.instance-type =="), INVALID,
                    "Invalid expression 'attribute:ecs.instance-type ==': missing argument for operator '==' at position 30");
            assertRefusedContaining(() -> ClusterQuery.parse("(runningTasksCount >) or agentConnected == true"), INVALID,
                    "missing argument for operator '>' at position 20");
            assertRefusedContaining(() -> ClusterQuery.parse("runningTasksCount > && agentConnected == true"), INVALID,
                    "missing argument for operator '>' at position 20");
            assertRefusedContaining(() -> ClusterQuery.parse("ec2InstanceId in"), INVALID,
                    "missing argument for operator 'in' at position 16; expected a list such as [a, b]");
            assertRefusedContaining(() -> ClusterQuery.parse("attribute:x == [a]"), INVALID,
                    "expected a value for operator '==' at position 15 but found '[a]'");
        }

        @Test
        void malformedLists() {
            assertRefusedContaining(() -> ClusterQuery.parse("ec2InstanceId in i-1"), INVALID,
                    "operator 'in' expects a list such as [a, b] at position 17 but found 'i-1'");
            assertRefusedContaining(() -> ClusterQuery.parse("ec2InstanceId in []"), INVALID,
                    "empty list for operator 'in' at position 17");
            assertRefusedContaining(() -> ClusterQuery.parse("ec2InstanceId in [a, b"), INVALID,
                    "unterminated list: the list opened at position 17 is never closed with ']'");
            assertRefusedContaining(() -> ClusterQuery.parse("ec2InstanceId in [a,]"), INVALID,
                    "expected a value at position 20 but found ']'");
            assertRefusedContaining(() -> ClusterQuery.parse("ec2InstanceId in [a b]"), INVALID,
                    "expected ',' or ']' at position 20 in the list opened at position 17 but found 'b]'");
            assertRefusedContaining(() -> ClusterQuery.parse("ec2InstanceId in [a, b)"), INVALID,
                    "expected ',' or ']' at position 22");
        }

        @Test
        void unbalancedParentheses() {
            assertRefusedContaining(() -> ClusterQuery.parse("(runningTasksCount == 1"), INVALID,
                    "unbalanced parentheses: the '(' at position 0 is never closed");
            assertRefusedContaining(() -> ClusterQuery.parse("not((runningTasksCount == 1)"), INVALID,
                    "unbalanced parentheses: the '(' at position 3 is never closed");
            assertRefusedContaining(() -> ClusterQuery.parse("runningTasksCount == 1)"), INVALID,
                    "unbalanced parentheses: the ')' at position 22 has no matching '('");
            assertRefusedContaining(() -> ClusterQuery.parse("(runningTasksCount == 1))"), INVALID,
                    "the ')' at position 24 has no matching '('");
        }

        @Test
        void badRegularExpression() {
            assertRefusedContaining(() -> ClusterQuery.parse("attribute:ecs.instance-type =~ g2.*("), INVALID,
                    "invalid regular expression 'g2.*(' at position 31: Unclosed group");
            assertRefusedContaining(() -> ClusterQuery.parse("attribute:x !~ '*a'"), INVALID,
                    "invalid regular expression '*a' at position 15: Dangling meta character '*'");
            assertRefusedContaining(() -> ClusterQuery.parse("attribute:x matches [a-"), INVALID,
                    "invalid regular expression '[a-' at position 20");
        }

        @Test
        void unterminatedQuote() {
            assertRefusedContaining(() -> ClusterQuery.parse("attribute:x == 'abc"), INVALID,
                    "unterminated quote: the ' at position 15 is never closed");
            assertRefusedContaining(() -> ClusterQuery.parse("ec2InstanceId in [\"i-1\", \"i-2]"), INVALID,
                    "unterminated quote: the \" at position 25 is never closed");
        }

        @Test
        void trailingGarbage() {
            assertRefusedContaining(() -> ClusterQuery.parse("attribute:ecs.os-type == linux windows"), INVALID,
                    "unexpected 'windows' at position 31; expected 'and', 'or' or the end of the expression");
            assertRefusedContaining(() -> ClusterQuery.parse("attribute:ecs.os-type exists linux"), INVALID,
                    "unexpected 'linux' at position 29");
            assertRefusedContaining(() -> ClusterQuery.parse("attribute:x == 'a'b"), INVALID,
                    "unexpected 'b' at position 18");
            assertRefusedContaining(() -> ClusterQuery.parse("(attribute:x == a b)"), INVALID,
                    "unexpected 'b)' at position 18; expected 'and', 'or' or the ')' that closes the '(' at position 0");
            assertRefusedContaining(() -> ClusterQuery.parse("attribute:x == a AND attribute:y == b"), INVALID,
                    "unexpected 'AND' at position 17");
        }

        @Test
        void argumentsOfTheWrongKind() {
            assertRefusedContaining(() -> ClusterQuery.parse("runningTasksCount > many"), INVALID,
                    "runningTasksCount compares with a whole number such as 1, not 'many' at position 20");
            assertRefusedContaining(() -> ClusterQuery.parse("runningTasksCount in [1, 2.5]"), INVALID,
                    "not '2.5' at position 25");
            assertRefusedContaining(() -> ClusterQuery.parse("agentVersion < latest"), INVALID,
                    "agentVersion compares with a version such as 1.14.5, not 'latest' at position 15");
            assertRefusedContaining(() -> ClusterQuery.parse("registeredAt < yesterday"), INVALID,
                    "registeredAt compares with a date such as 2018-06-18");
            assertRefusedContaining(() -> ClusterQuery.parse("registeredAt < 2018-02-30"), INVALID,
                    "not '2018-02-30' at position 15");
            assertRefusedContaining(() -> ClusterQuery.parse("agentConnected == yes"), INVALID,
                    "agentConnected compares with true or false, not 'yes' at position 18");
            assertRefusedContaining(() -> ClusterQuery.parse("agentConnected > false"), INVALID,
                    "operator '>' at position 15 does not apply to agentConnected");
        }

        @Test
        void emptyOrBlank() {
            assertRefused(() -> ClusterQuery.parse(""), INVALID, "Invalid expression: the expression is empty");
            assertRefused(() -> ClusterQuery.parse("  \t\n"), INVALID, "Invalid expression: the expression is empty");
            assertRefused(() -> ClusterQuery.parse(null), INVALID, "Invalid expression: the expression is empty");
        }

        @Test
        void tooLong() {
            String condition = "attribute:ecs.os-type == linux";
            StringBuilder e = new StringBuilder(condition);
            while (e.length() + " or ".length() + condition.length() <= ClusterQuery.MAX_LENGTH) {
                e.append(" or ").append(condition);
            }
            e.append(" ".repeat(ClusterQuery.MAX_LENGTH - e.length()));
            assertThat(e).hasSize(2000);
            assertThat(matches(e.toString(), BASE)).as("2000 characters are allowed").isTrue();

            assertRefused(() -> ClusterQuery.parse(e + " "), INVALID,
                    "Invalid expression: it is 2001 characters long, more than the maximum of 2000");
        }
    }

    @Test
    void aParsedQueryIsReusableAndKeepsItsText() {
        ClusterQuery query = ClusterQuery.parse("runningTasksCount < 2 and attribute:ecs.availability-zone in [us-east-1a, us-east-1b]");
        assertThat(query.expression()).isEqualTo(query.toString()).startsWith("runningTasksCount < 2");
        assertThat(query.test(BASE)).isTrue();
        assertThat(query.test(BASE.running(2))).isFalse();
        assertThat(query.test(BASE)).isTrue();
        assertThat(List.of(BASE, BASE.running(5), BASE.with("ecs.availability-zone", "us-east-1b")))
                .filteredOn(query).hasSize(2);
    }

    /** Placement evaluates one query over every instance for every task; no timing is asserted. */
    @Test
    void evaluatesOverAThousandInstancesRepeatedly() {
        List<Facts> fleet = new ArrayList<>();
        String[] zones = {"us-east-1a", "us-east-1b", "us-east-1c"};
        for (int i = 0; i < 1000; i++) {
            fleet.add(BASE.with("ecs.availability-zone", zones[i % 3]).running(i % 7)
                    .agent("1." + (i % 30) + ".0").withInstanceId("i-" + i));
        }
        ClusterQuery query = ClusterQuery.parse("attribute:ecs.availability-zone in [us-east-1a, us-east-1b]"
                + " and runningTasksCount < 5 and agentVersion >= 1.10 and not(task:group == database)");
        int matched = 0;
        for (int round = 0; round < 200; round++) {
            for (Facts facts : fleet) {
                if (query.test(facts)) {
                    matched++;
                }
            }
        }
        long expected = fleet.stream()
                .filter(f -> !f.attribute("ecs.availability-zone").equals("us-east-1c"))
                .filter(f -> f.runningTasksCount() < 5)
                .filter(f -> Integer.parseInt(f.agentVersion().split("\\.")[1]) >= 10)
                .count();
        assertThat(matched).isEqualTo(200 * expected);
    }
}

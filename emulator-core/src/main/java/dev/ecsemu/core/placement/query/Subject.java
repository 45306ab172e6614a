package dev.ecsemu.core.placement.query;

import dev.ecsemu.core.placement.InstanceFacts;
import java.time.Instant;
import java.util.Collection;

/** What a condition asks about a container instance: an attribute or one of the instance's fields. */
sealed interface Subject permits Subject.Attribute, Subject.Field {

    /** The subject as the expression names it. */
    String text();

    /** Whether the instance has a value for this subject. */
    boolean exists(InstanceFacts facts);

    /** Whether any of the subject's values, in string form, passes the test; false when there is none. */
    boolean anyString(InstanceFacts facts, StringTest test);

    /** {@code attribute:<name>}: a built-in or custom attribute. */
    record Attribute(String name) implements Subject {
        @Override
        public String text() {
            return "attribute:" + name;
        }

        @Override
        public boolean exists(InstanceFacts facts) {
            return facts.attribute(name) != null;
        }

        @Override
        public boolean anyString(InstanceFacts facts, StringTest test) {
            String value = facts.attribute(name);
            return value != null && test.test(value);
        }
    }

    /** The instance's own fields and the groups of its tasks. */
    enum Field implements Subject {
        AGENT_CONNECTED("agentConnected"),
        AGENT_VERSION("agentVersion"),
        EC2_INSTANCE_ID("ec2InstanceId"),
        REGISTERED_AT("registeredAt"),
        RUNNING_TASKS_COUNT("runningTasksCount"),
        /** Multi-valued: a test holds when it holds for any of the instance's task groups. */
        TASK_GROUP("task:group");

        private final String text;

        Field(String text) {
            this.text = text;
        }

        /** The field named exactly so, or null. */
        static Field named(String text) {
            for (Field f : values()) {
                if (f.text.equals(text)) {
                    return f;
                }
            }
            return null;
        }

        @Override
        public String text() {
            return text;
        }

        @Override
        public boolean exists(InstanceFacts facts) {
            return switch (this) {
                case AGENT_CONNECTED, RUNNING_TASKS_COUNT -> true;
                case AGENT_VERSION -> present(facts.agentVersion());
                case EC2_INSTANCE_ID -> present(facts.ec2InstanceId());
                case REGISTERED_AT -> facts.registeredAt() != null;
                case TASK_GROUP -> {
                    Collection<String> groups = facts.taskGroups();
                    yield groups != null && !groups.isEmpty();
                }
            };
        }

        @Override
        public boolean anyString(InstanceFacts facts, StringTest test) {
            switch (this) {
                case AGENT_CONNECTED:
                    return test.test(facts.agentConnected() ? "true" : "false");
                case AGENT_VERSION:
                    return testPresent(facts.agentVersion(), test);
                case EC2_INSTANCE_ID:
                    return testPresent(facts.ec2InstanceId(), test);
                case REGISTERED_AT: {
                    Instant at = facts.registeredAt();
                    return at != null && test.test(at.toString());
                }
                case RUNNING_TASKS_COUNT:
                    return test.test(Integer.toString(facts.runningTasksCount()));
                case TASK_GROUP: {
                    Collection<String> groups = facts.taskGroups();
                    if (groups != null) {
                        for (String group : groups) {
                            if (group != null && test.test(group)) {
                                return true;
                            }
                        }
                    }
                    return false;
                }
                default:
                    throw new IllegalStateException(name());
            }
        }

        private static boolean present(String value) {
            return value != null && !value.isEmpty();
        }

        private static boolean testPresent(String value, StringTest test) {
            return present(value) && test.test(value);
        }
    }
}

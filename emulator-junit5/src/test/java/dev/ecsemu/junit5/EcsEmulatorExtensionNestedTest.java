package dev.ecsemu.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.api.Emulator;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestClassOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A static field of a class with @Nested classes: JUnit calls beforeAll/afterAll of the outer class's extension
 * for each nested class too, and the emulator must live as long as the outer class, not end with the first
 * nested class (clients built on its endpoint, and what the tests created, would vanish).
 */
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class EcsEmulatorExtensionNestedTest {

    @RegisterExtension
    static EcsEmulatorExtension emulator = new EcsEmulatorExtension().withoutTaskContainers();

    static Emulator seenFirst;

    @Nested
    @Order(1)
    class First {
        @Test
        void seesTheEmulator() {
            seenFirst = emulator.emulator();
        }
    }

    @Nested
    @Order(2)
    class Second {
        @Test
        void seesTheSameEmulator() {
            assertThat(seenFirst).isNotNull();
            assertThat(emulator.emulator()).isSameAs(seenFirst);
        }
    }
}

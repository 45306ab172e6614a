package dev.ecsemu.api.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * Integration tests against one engine-{@code none} emulator per test class, reached with the real
 * {@link EcsClient}; every test starts from empty state.
 */
public abstract class ModelOnlyIT {
    protected static TestEmulator emu;
    protected static EcsClient ecs;

    @BeforeAll
    static void startEmulator() {
        emu = TestEmulator.modelOnly();
        ecs = emu.ecs();
    }

    @AfterAll
    static void stopEmulator() {
        ecs.close();
        emu.close();
    }

    @BeforeEach
    void startFromEmptyState() {
        emu.emulator().stores().reset();
    }
}

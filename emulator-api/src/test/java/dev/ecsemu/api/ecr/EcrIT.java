package dev.ecsemu.api.ecr;

import dev.ecsemu.api.testing.TestEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * Integration tests of the ECR API against one engine-{@code none} emulator per test class, reached
 * with the real {@link EcrClient}; every test starts from empty state.
 */
abstract class EcrIT {
    static final String ACCOUNT = "000000000000";
    protected static TestEmulator emu;
    protected static EcrClient ecr;

    @BeforeAll
    static void startEmulator() {
        emu = TestEmulator.modelOnly();
        ecr = emu.ecr();
    }

    @AfterAll
    static void stopEmulator() {
        ecr.close();
        emu.close();
    }

    @BeforeEach
    void startFromEmptyState() {
        emu.emulator().reset();
    }

    static long bytesStored() {
        return emu.emulator().registry().blobs().bytesStored();
    }
}

package dev.ecsemu.api.ecr;

import dev.ecsemu.api.EmulatorSettings;
import dev.ecsemu.api.testing.TestEmulator;
import dev.ecsemu.core.testing.MutableClock;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * As {@link EcrIT}, on a clock the test moves (image ages, once-a-day rules), and with an empty
 * repository {@code app} at the start of every test.
 */
abstract class FakeClockEcrIT {
    static final String ACCOUNT = EcrIT.ACCOUNT;
    static final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
    static TestEmulator emu;
    static EcrClient ecr;

    @BeforeAll
    static void startEmulator() {
        emu = TestEmulator.modelOnly(EmulatorSettings.defaults().withClock(clock));
        ecr = emu.ecr();
    }

    @AfterAll
    static void stopEmulator() {
        ecr.close();
        emu.close();
    }

    @BeforeEach
    void startWithAnEmptyRepository() {
        emu.emulator().reset();
        ecr.createRepository(r -> r.repositoryName("app"));
    }
}

package dev.ecsemu.api.protocol;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.ecr.EcrClient;

/** Which ECR operations the emulator implements, against the SDK's ECR model; the others are refused by name. */
class EcrOperationCoverageIT extends OperationCoverage {
    private static EcrClient ecr;

    @BeforeAll
    static void ecrClient() {
        ecr = emu.ecr();
    }

    @AfterAll
    static void closeEcrClient() {
        ecr.close();
    }

    @Override
    JsonService service() {
        return emu.emulator().ecr();
    }

    @Override
    Class<?> clientInterface() {
        return EcrClient.class;
    }

    @Override
    Object client() {
        return ecr;
    }

    @Override
    List<String> wellKnownOperations() {
        return List.of("CreateRepository", "PutImage", "GetAuthorizationToken");
    }
}

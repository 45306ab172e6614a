package dev.ecsemu.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The two bounds of a rolling update and the circuit breaker threshold, against the reference's numbers (section 3.3, 3.4). */
class RolloutBoundsTest {

    @ParameterizedTest(name = "desired {0} at {1}/{2}: maxTasks {3}, minHealthy {4}")
    @CsvSource(delimiter = '|', value = {
            // desired | min% | max% | maxTasks | minHealthy
            // The reference's examples: 4 at 50/200 may stop 2 first (4 - 2) and start 4 first (8 - 4).
            "4|50|200|8|2",
            // 2 with min 75%: ceil(1.5) = 2, so none of the 2 may stop.
            "2|75|200|4|2",
            // 3 with max 125%: floor(3.75) = 3, so none may start beside the 3.
            "3|100|125|3|3",
            "3|50|125|3|2",
            // ECS's defaults: REPLICA 100/200, DAEMON 0/100.
            "1|100|200|2|1",
            "5|100|200|10|5",
            "5|0|100|5|0",
            // Rounding: max down, min up.
            "1|50|150|1|1",
            "3|34|150|4|2",
            "3|33|133|3|1",
            "7|1|101|7|1",
            "10|99|199|19|10",
            "6|50|100|6|3",
            // Nothing to run: no room and nothing to keep.
            "0|100|200|0|0",
            "0|0|100|0|0",
            "0|50|200|0|0",
            // Large values do not overflow: beyond int range the bound saturates.
            "2147483647|100|200|2147483647|2147483647",
            "2147483647|50|100|2147483647|1073741824",
            "1500000000|50|150|2147483647|750000000",
            "1000000001|33|100|1000000001|330000001",
            "1073741824|100|200|2147483647|1073741824",
    })
    void bounds(int desired, int minPercent, int maxPercent, int maxTasks, int minHealthy) {
        assertThat(RolloutBounds.of(desired, minPercent, maxPercent)).isEqualTo(new RolloutBounds(maxTasks, minHealthy));
    }

    @ParameterizedTest(name = "desired {0}: the circuit breaker trips at {1} failed tasks")
    @CsvSource(delimiter = '|', value = {
            // The reference's examples.
            "1|3",
            "25|13",
            "400|200",
            "800|200",
            // Half, rounded up, at least 3 and at most 200.
            "0|3",
            "5|3",
            "6|3",
            "7|4",
            "8|4",
            "399|200",
            "398|199",
            "2147483647|200",
    })
    void circuitBreakerThreshold(int desired, int threshold) {
        assertThat(RolloutBounds.circuitBreakerThreshold(desired)).isEqualTo(threshold);
    }
}

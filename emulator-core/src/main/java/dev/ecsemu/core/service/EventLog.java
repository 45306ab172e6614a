package dev.ecsemu.core.service;

import dev.ecsemu.core.clock.TimeScale;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes a service's events (a repeat suppressed for ECS's 6 hours × the time scale) and logs each one. */
final class EventLog {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceScheduler.class);
    /** A repeated event message is suppressed this long. */
    static final Duration EVENT_SUPPRESSION = Duration.ofHours(6);

    private final TimeScale scale;

    EventLog(TimeScale scale) {
        this.scale = scale;
    }

    void write(Service service, String message, Instant now) {
        if (service.events().add(message, now, scale.of(EVENT_SUPPRESSION))) {
            service.changed();
            LOG.info("{}", message);
        }
    }
}

package dev.ecsemu.core.service;

import java.time.Instant;

/** The earliest moment a scheduler pass must look again because time alone changes something. */
final class Wake {
    Instant at;

    void at(Instant when) {
        if (at == null || when.isBefore(at)) {
            at = when;
        }
    }
}

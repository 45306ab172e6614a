package dev.ecsemu.core.service;

import dev.ecsemu.core.state.Ids;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A service's events, newest first, the latest 100 kept. A message repeating the newest one is
 * suppressed until the suppression window has passed (ECS: 6 hours), so a stable service logs
 * "has reached a steady state." again only that often.
 */
public final class ServiceEvents {
    public static final int KEPT = 100;

    /** One event as ECS lists it. */
    public record Event(String id, Instant createdAt, String message) {
    }

    private final Deque<Event> events = new ArrayDeque<>();

    /** Adds the event unless it repeats the newest one within {@code suppression}; answers whether it was added. */
    boolean add(String message, Instant now, Duration suppression) {
        Event newest = events.peekFirst();
        if (newest != null && newest.message().equals(message) && now.isBefore(newest.createdAt().plus(suppression))) {
            return false;
        }
        events.addFirst(new Event(Ids.uuid(), now, message));
        while (events.size() > KEPT) {
            events.removeLast();
        }
        return true;
    }

    /** Newest first. */
    public List<Event> list() {
        return new ArrayList<>(events);
    }
}

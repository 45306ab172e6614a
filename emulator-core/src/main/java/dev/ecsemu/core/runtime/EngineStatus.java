package dev.ecsemu.core.runtime;

/**
 * Whether the container engine answers, and in words what it is or what to do about it.
 *
 * @param engine  {@code docker} or {@code none}
 * @param available whether containers can be started now
 * @param detail  the engine's version when available, otherwise what is wrong and how to fix it
 */
public record EngineStatus(String engine, boolean available, String detail) {
}

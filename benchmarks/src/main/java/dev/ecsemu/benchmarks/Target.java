package dev.ecsemu.benchmarks;

/**
 * One of the project's performance targets, with what this run measured against it.
 *
 * @param met null when the figure could not be measured
 */
public record Target(String target, String measured, Boolean met) {
}

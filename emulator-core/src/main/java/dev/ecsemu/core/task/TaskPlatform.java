package dev.ecsemu.core.task;

/**
 * The Fargate platform a task runs on, as DescribeTasks reports it.
 *
 * @param platformVersion     the resolved version, e.g. {@code 1.4.0} (LATEST resolved)
 * @param platformFamily      {@code Linux}
 * @param ephemeralStorageGiB the task's ephemeral storage (20 GiB unless the definition or overrides ask for more)
 * @param cpuArchitecture     {@code x86_64} or {@code arm64}, from the definition's runtimePlatform
 */
public record TaskPlatform(String platformVersion, String platformFamily, int ephemeralStorageGiB, String cpuArchitecture) {
}

package dev.ecsemu.core.runtime;

/** Where an awsvpc task's network namespace sits: its private IPv4 address and the MAC address of its interface. */
public record TaskAddress(String privateIpv4Address, String macAddress) {
}

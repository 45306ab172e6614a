package dev.ecsemu.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --container-labels org.testcontainers=true,org.testcontainers.sessionId=...}: key=value pairs, comma-separated. */
final class ContainerLabels {

    private ContainerLabels() {
    }

    static Map<String, String> parse(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return labels;
        }
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] kv = part.split("=", 2);
            String key = kv[0].trim();
            if (kv.length != 2 || key.isEmpty()) {
                throw new IllegalArgumentException("'" + part + "' is not key=value in '" + text + "'");
            }
            if (key.startsWith("ecs-emu.")) {
                throw new IllegalArgumentException("label " + key + " is the emulator's own; choose a key outside ecs-emu.*");
            }
            labels.put(key, kv[1].trim());
        }
        return labels;
    }
}

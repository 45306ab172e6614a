package dev.ecsemu.cli;

import java.util.Arrays;
import java.util.List;

/** One {@code --instance-group cluster=prod,count=3,type=c5.large,zones=us-east-1a+us-east-1b}. */
record InstanceGroup(String cluster, int count, String type, List<String> zones) {

    static InstanceGroup parse(String text, String defaultType) {
        String cluster = null;
        Integer count = null;
        String type = defaultType;
        List<String> zones = List.of();
        for (String part : text.split(",")) {
            String[] kv = part.split("=", 2);
            if (kv.length != 2 || kv[1].isBlank()) {
                throw new IllegalArgumentException("'" + part + "' is not key=value in '" + text + "'");
            }
            switch (kv[0].trim()) {
                case "cluster":
                    cluster = kv[1].trim();
                    break;
                case "count":
                    try {
                        count = Integer.valueOf(kv[1].trim());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("count must be a number in '" + text + "'");
                    }
                    break;
                case "type":
                    type = kv[1].trim();
                    break;
                case "zones":
                    zones = Arrays.asList(kv[1].trim().split("\\+", -1));
                    if (zones.stream().anyMatch(String::isBlank)) {
                        throw new IllegalArgumentException("zones must be ZONE+ZONE... without empty names in '" + text + "'");
                    }
                    break;
                default:
                    throw new IllegalArgumentException("unknown key '" + kv[0] + "' in '" + text + "' (use cluster, count, type, zones)");
            }
        }
        if (cluster == null || count == null || count < 1) {
            throw new IllegalArgumentException("'" + text + "' needs cluster=NAME and count=N (N >= 1)");
        }
        return new InstanceGroup(cluster, count, type, zones);
    }
}

package dev.ecsemu.core.taskdefinition;

import dev.ecsemu.core.error.EcsErrors;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Task-level {@code cpu} and {@code memory}: ECS accepts {@code "1024"}, {@code "1 vCPU"},
 * {@code "0.25 vcpu"}, {@code "2048"}, {@code "2GB"}, {@code "0.5 GB"} and stores integers
 * (CPU units, MiB). The Fargate size table decides which pairs Fargate can run.
 */
public final class TaskSize {
    private static final Pattern VCPU = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*vcpu");
    private static final Pattern GB = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*gb");
    private static final Pattern INTEGER = Pattern.compile("\\d{1,9}");

    private TaskSize() {
    }

    /** CPU units from a task-level cpu string, or null when absent. */
    public static Integer cpuUnits(String cpu) {
        if (cpu == null) {
            return null;
        }
        String s = cpu.trim().toLowerCase(Locale.ROOT);
        if (INTEGER.matcher(s).matches()) {
            return Integer.valueOf(s);
        }
        Matcher m = VCPU.matcher(s);
        if (m.matches() && fitsInt(m.group(1))) {
            return new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1024)).intValue();
        }
        throw EcsErrors.client("Invalid 'cpu' setting for task. Got '" + cpu + "'. Give CPU units (for example 1024) or vCPUs (for example '1 vCPU').");
    }

    /** MiB from a task-level memory string, or null when absent. */
    public static Integer memoryMiB(String memory) {
        if (memory == null) {
            return null;
        }
        String s = memory.trim().toLowerCase(Locale.ROOT);
        if (INTEGER.matcher(s).matches()) {
            return Integer.valueOf(s);
        }
        Matcher m = GB.matcher(s);
        if (m.matches() && fitsInt(m.group(1))) {
            return new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1024)).intValue();
        }
        throw EcsErrors.client("Invalid 'memory' setting for task. Got '" + memory + "'. Give MiB (for example 2048) or GB (for example '2GB').");
    }

    /** Whether Fargate offers this cpu/memory pair (the size table of the Fargate docs). */
    public static boolean fargateSupports(int cpu, int memory) {
        switch (cpu) {
            case 256:
                return memory == 512 || memory == 1024 || memory == 2048;
            case 512:
                return inSteps(memory, 1024, 4096, 1024);
            case 1024:
                return inSteps(memory, 2048, 8192, 1024);
            case 2048:
                return inSteps(memory, 4096, 16384, 1024);
            case 4096:
                return inSteps(memory, 8192, 30720, 1024);
            case 8192:
                return inSteps(memory, 16384, 61440, 4096);
            case 16384:
                return inSteps(memory, 32768, 122880, 8192);
            default:
                return false;
        }
    }

    /** Whether {@code number} x 1024 fits an int; larger values would silently wrap round (to negative sizes). */
    private static boolean fitsInt(String number) {
        return new BigDecimal(number).multiply(BigDecimal.valueOf(1024)).compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0;
    }

    private static boolean inSteps(int value, int min, int max, int step) {
        return value >= min && value <= max && (value - min) % step == 0;
    }
}

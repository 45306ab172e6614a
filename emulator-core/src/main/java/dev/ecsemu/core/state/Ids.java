package dev.ecsemu.core.state;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Identifiers in the shapes ECS uses. */
public final class Ids {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Ids() {
    }

    /** 32 lowercase hex digits, as task and container instance ids are. */
    public static String hex32() {
        return hex(32);
    }

    public static String hex(int digits) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] out = new char[digits];
        for (int i = 0; i < digits; i++) {
            out[i] = HEX[random.nextInt(16)];
        }
        return new String(out);
    }

    public static String uuid() {
        return UUID.randomUUID().toString();
    }
}

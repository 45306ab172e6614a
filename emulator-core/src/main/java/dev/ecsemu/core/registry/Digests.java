package dev.ecsemu.core.registry;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Content digests as registries write them: {@code sha256:} and 64 lowercase hex digits. */
public final class Digests {
    private static final Pattern SHA256 = Pattern.compile("sha256:[a-f0-9]{64}");

    private Digests() {
    }

    public static boolean isValid(String digest) {
        return digest != null && SHA256.matcher(digest).matches();
    }

    public static String of(byte[] bytes) {
        MessageDigest d = sha256();
        d.update(bytes);
        return format(d);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    static String format(MessageDigest finished) {
        return "sha256:" + HexFormat.of().formatHex(finished.digest());
    }
}

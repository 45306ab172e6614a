package dev.ecsemu.core.registry;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The passwords GetAuthorizationToken hands out for {@code docker login} (user {@code AWS}): valid
 * for 12 hours, for the account and region that asked. They are signed with a key of this emulator
 * process, so they need no storage and a restarted emulator does not accept old ones.
 */
public final class AuthorizationTokens {
    public static final Duration VALIDITY = Duration.ofHours(12);

    private final Clock clock;
    private final SecretKeySpec key;

    public AuthorizationTokens(Clock clock) {
        this.clock = clock;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** A password and when it expires. */
    public record Token(String password, Instant expiresAt) {
        /** The authorizationToken ECR returns: base64 of {@code AWS:<password>}. */
        public String authorizationToken() {
            return Base64.getEncoder().encodeToString(("AWS:" + password).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Who a valid password was issued to. */
    public record Holder(String account, String region) {
    }

    public Token issue(String account, String region) {
        Instant expires = clock.instant().plus(VALIDITY);
        String claims = account + ":" + region + ":" + expires.getEpochSecond();
        String body = Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        return new Token(body + "." + sign(body), Instant.ofEpochSecond(expires.getEpochSecond()));
    }

    /** The holder of a password this emulator issued and that has not expired; empty otherwise. */
    public Optional<Holder> verify(String password) {
        if (password == null) {
            return Optional.empty();
        }
        int dot = password.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String body = password.substring(0, dot);
        byte[] given = password.substring(dot + 1).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, sign(body).getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        String[] claims;
        try {
            claims = new String(Base64.getUrlDecoder().decode(body), StandardCharsets.UTF_8).split(":");
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (claims.length != 3 || !clock.instant().isBefore(Instant.ofEpochSecond(Long.parseLong(claims[2])))) {
            return Optional.empty();
        }
        return Optional.of(new Holder(claims[0], claims[1]));
    }

    /** The password of an {@code Authorization: Basic ...} header for user AWS, or null. */
    public static String passwordOfBasic(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorizationHeader.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return decoded.startsWith("AWS:") ? decoded.substring(4) : null;
    }

    private String sign(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}

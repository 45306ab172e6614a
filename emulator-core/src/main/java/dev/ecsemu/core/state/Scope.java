package dev.ecsemu.core.state;

import java.util.regex.Pattern;

/** The account and region a request acts in: each scope has its own, separate store. */
public record Scope(String account, String region) {
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");

    public Scope {
        if (!isAccountId(account)) {
            throw new IllegalArgumentException("An account id has 12 digits: " + account);
        }
        if (!isRegionName(region)) {
            throw new IllegalArgumentException("Not a region name: " + region);
        }
    }

    public static boolean isAccountId(String s) {
        return s != null && ACCOUNT.matcher(s).matches();
    }

    public static boolean isRegionName(String s) {
        return s != null && REGION.matcher(s).matches();
    }

    /** The IAM principal that owns the account, as ECS reports it in {@code registeredBy} and settings. */
    public String rootPrincipal() {
        return "arn:aws:iam::" + account + ":root";
    }
}

package dev.ecsemu.core.state;

import dev.ecsemu.core.error.EcsErrors;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a listing and the token for the next. Tokens are opaque to clients: the base64 of
 * the sort key of the last item returned, so a page stays correct when items are added or removed
 * between calls.
 */
public record Page<T>(List<T> items, String nextToken) {

    /**
     * Cuts a page out of {@code sorted}, whose items are in ascending order of {@code key}.
     *
     * @param maxResults the requested page size, or null for {@code defaultSize}
     */
    public static <T> Page<T> of(List<T> sorted, Function<T, String> key, Integer maxResults, String nextToken,
            int defaultSize, int maxSize) {
        return of(sorted, key, Comparator.naturalOrder(), maxResults, nextToken, defaultSize, maxSize);
    }

    /** As {@link #of(List, Function, Integer, String, int, int)}, for items sorted by {@code order} of their keys. */
    public static <T> Page<T> of(List<T> sorted, Function<T, String> key, Comparator<String> order, Integer maxResults,
            String nextToken, int defaultSize, int maxSize) {
        int size = maxResults == null ? defaultSize : maxResults;
        if (size < 1 || size > maxSize) {
            throw EcsErrors.invalidParameter(
                    "maxResults must be between 1 and " + maxSize + " (was " + maxResults + ").");
        }
        int from = 0;
        if (nextToken != null && !nextToken.isEmpty()) {
            String after = decode(nextToken);
            while (from < sorted.size() && order.compare(key.apply(sorted.get(from)), after) <= 0) {
                from++;
            }
        }
        int to = Math.min(sorted.size(), from + size);
        List<T> items = List.copyOf(sorted.subList(from, to));
        String next = to < sorted.size() ? encode(key.apply(sorted.get(to - 1))) : null;
        return new Page<>(items, next);
    }

    private static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw EcsErrors.invalidParameter("Invalid nextToken: pass the nextToken of the previous response unchanged.");
        }
    }
}

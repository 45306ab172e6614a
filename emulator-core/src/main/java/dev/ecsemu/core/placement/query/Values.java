package dev.ecsemu.core.placement.query;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Reading and comparing the typed values of the language: counts, versions and dates. */
final class Values {
    private static final long SECONDS_PER_DAY = 86_400;

    private Values() {
    }

    /** A decimal number such as {@code 8}, {@code -1} or {@code 2.5}, or null when the text is not one. */
    static BigDecimal decimal(String text) {
        int n = text.length();
        int i = n > 0 && text.charAt(0) == '-' ? 1 : 0;
        int digits = 0;
        boolean point = false;
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (c == '.' && !point && digits > 0 && i + 1 < n) {
                point = true;
            } else {
                return null;
            }
        }
        return digits == 0 ? null : new BigDecimal(text);
    }

    /** A whole number, or null when the text is not one (or does not fit in a long). */
    static Long wholeNumber(String text) {
        BigDecimal d = decimal(text);
        if (d == null || text.indexOf('.') >= 0) {
            return null;
        }
        try {
            return d.longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }

    /** The components of a version such as {@code 1.14.5}, or null when the text is not one. */
    static int[] version(String text) {
        if (text.isEmpty() || text.startsWith(".") || text.endsWith(".") || text.contains("..")) {
            return null;
        }
        String[] parts = text.split("\\.");
        int[] components = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Long n = wholeNumber(parts[i]);
            if (n == null || n < 0 || n > Integer.MAX_VALUE || parts[i].startsWith("-")) {
                return null;
            }
            components[i] = n.intValue();
        }
        return components;
    }

    /** What {@link #compareVersion} answers for a value that is not a version. */
    static final int NOT_A_VERSION = Integer.MIN_VALUE;

    /**
     * Compares a version as an agent reports it ({@code 1.14.5}, or with a suffix such as
     * {@code 1.14.5-beta} that is ignored) with parsed components, without allocating; missing
     * components count as 0, so {@code 1.14} equals {@code 1.14.0}. Answers {@link #NOT_A_VERSION}
     * when the value does not start with a digit.
     */
    static int compareVersion(String actual, int[] version) {
        int n = actual.length();
        int i = n > 1 && (actual.charAt(0) == 'v' || actual.charAt(0) == 'V') ? 1 : 0;
        if (i >= n || !isDigit(actual.charAt(i))) {
            return NOT_A_VERSION;
        }
        boolean more = true;
        for (int k = 0; more || k < version.length; k++) {
            long component = 0;
            if (more) {
                while (i < n && isDigit(actual.charAt(i))) {
                    component = Math.min(component * 10 + (actual.charAt(i) - '0'), Integer.MAX_VALUE);
                    i++;
                }
                if (i + 1 < n && actual.charAt(i) == '.' && isDigit(actual.charAt(i + 1))) {
                    i++;
                } else {
                    more = false;
                }
            }
            long expected = k < version.length ? version[k] : 0;
            if (component != expected) {
                return component < expected ? -1 : 1;
            }
        }
        return 0;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** How finely a date argument was given, and so how finely a registration time is compared with it. */
    enum Precision {
        DAY, SECOND, EXACT
    }

    /** A date argument: the instant it names (UTC unless it has an offset) and its precision. */
    record DateArgument(Instant instant, Precision precision) {
        /**
         * Compares a registration time with this date at the date's precision: against
         * {@code 2018-06-18} only the (UTC) day of registration counts, against
         * {@code 2018-06-18T22:28:28Z} the whole second.
         */
        int compare(Instant registeredAt) {
            return switch (precision) {
                case DAY -> Long.compare(Math.floorDiv(registeredAt.getEpochSecond(), SECONDS_PER_DAY),
                        Math.floorDiv(instant.getEpochSecond(), SECONDS_PER_DAY));
                case SECOND -> Long.compare(registeredAt.getEpochSecond(), instant.getEpochSecond());
                case EXACT -> registeredAt.compareTo(instant);
            };
        }
    }

    /**
     * A date in one of the documented forms ({@code 2018-06-18T22:28:28+00:00},
     * {@code 2018-06-18T22:28:28Z}, {@code 2018-06-18T22:28:28} in UTC, {@code 2018-06-18}), or null.
     */
    static DateArgument date(String text) {
        int t = text.indexOf('T');
        try {
            if (t < 0) {
                return new DateArgument(LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant(), Precision.DAY);
            }
            Precision precision = text.indexOf('.', t) >= 0 ? Precision.EXACT : Precision.SECOND;
            boolean zoned = text.endsWith("Z") || text.indexOf('+', t) >= 0 || text.indexOf('-', t) >= 0;
            Instant instant = zoned
                    ? OffsetDateTime.parse(text).toInstant()
                    : LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            return new DateArgument(instant, precision);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}

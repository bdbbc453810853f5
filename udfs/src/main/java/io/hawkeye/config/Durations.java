package io.hawkeye.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration syntax of Hawkeye: job options, command-line options, topologies and rule files all parse
 * through here.
 *
 * <ul>
 *   <li>a number with a unit, as in Flink's configuration: {@code 500ms}, {@code 10s}, {@code 1min} (or
 *       {@code 1m}), {@code 2h}, {@code 1d}, {@code 2w};
 *   <li>several units, largest first, each at most once: {@code 2h30m}, {@code 1m30s}, {@code 1d12h};
 *   <li>ISO-8601: {@code PT2H30M}, {@code P7D};
 *   <li>{@code 0}.
 * </ul>
 *
 * Any other bare number is rejected: Flink reads one as milliseconds, the topology files used to read one as
 * seconds, so a unit is required. Negative durations are rejected.
 */
public final class Durations {

    /** Shown in every error message, and in the README's Configuration section. */
    public static final String SYNTAX = "e.g. 500ms, 10s, 1min, 2h30m, 1d or ISO-8601 PT2H30M";

    private static final Pattern COMPACT = Pattern.compile(
            "(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)(?:min|m)(?!s))?(?:(\\d+)s)?(?:(\\d+)ms)?");
    private static final long[] MILLIS = {7 * 86_400_000L, 86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};

    private Durations() {}

    /**
     * @throws IllegalArgumentException naming the offending text when it is none of the accepted forms
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty duration (" + SYNTAX + ")");
        }
        String s = text.trim();
        Duration d;
        if (s.matches("\\d+(\\.\\d+)?")) {
            if (Double.parseDouble(s) != 0) {
                throw new IllegalArgumentException("duration '" + text + "' needs a unit (" + SYNTAX + ")");
            }
            d = Duration.ZERO;
        } else if (s.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                d = Duration.parse(s.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("invalid duration '" + text + "' (" + SYNTAX + ")", e);
            }
        } else {
            d = compact(text, s.toLowerCase(Locale.ROOT));
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException("negative duration '" + text + "'");
        }
        return d;
    }

    private static Duration compact(String text, String s) {
        Matcher m = COMPACT.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid duration '" + text + "' (" + SYNTAX + ")");
        }
        try {
            long total = 0;
            for (int i = 0; i < MILLIS.length; i++) {
                String g = m.group(i + 1);
                if (g != null) total = Math.addExact(total, Math.multiplyExact(Long.parseLong(g), MILLIS[i]));
            }
            return Duration.ofMillis(total);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("duration '" + text + "' is out of range", e);
        }
    }

    /**
     * The shortest form of {@code d} in this syntax with a single unit ({@code 0}, {@code 250ms}, {@code 5s},
     * {@code 10min}, {@code 1h}, {@code 3d}); sub-millisecond durations in ISO-8601.
     */
    public static String format(Duration d) {
        if (d.isZero()) return "0";
        if (d.getNano() % 1_000_000 != 0 || d.isNegative()) return d.toString();
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0) return ms / 86_400_000L + "d";
        if (ms % 3_600_000L == 0) return ms / 3_600_000L + "h";
        if (ms % 60_000L == 0) return ms / 60_000L + "min";
        if (ms % 1_000L == 0) return ms / 1_000L + "s";
        return ms + "ms";
    }
}

package io.hawkeye.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the durations used in topologies and on the command line: compact forms such as {@code 90s},
 * {@code 2h30m}, {@code 1d}, {@code 250ms}, ISO-8601 ({@code PT2H30M}, {@code P1D}), or a bare number of
 * seconds. Units: d, h, m, s, ms; each at most once, largest first.
 */
public final class Durations {

    private static final Pattern COMPACT =
            Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m(?!s))?(?:(\\d+)s)?(?:(\\d+)ms)?");

    private Durations() {}

    /**
     * @throws IllegalArgumentException naming the offending text when it is none of the accepted forms
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty duration");
        }
        String s = text.trim();
        if (s.matches("\\d+(\\.\\d+)?")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
        }
        if (s.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("invalid ISO-8601 duration '" + text + "'", e);
            }
        }
        Matcher m = COMPACT.matcher(s.toLowerCase(Locale.ROOT));
        if (!m.matches() || s.isEmpty()) {
            throw new IllegalArgumentException(
                    "invalid duration '" + text + "' (use e.g. 90s, 2h30m, 1d, 250ms or ISO-8601 PT2H30M)");
        }
        Duration d = Duration.ZERO;
        d = d.plusDays(group(m, 1)).plusHours(group(m, 2)).plusMinutes(group(m, 3)).plusSeconds(group(m, 4))
                .plusMillis(group(m, 5));
        return d;
    }

    private static long group(Matcher m, int i) {
        String g = m.group(i);
        return g == null ? 0 : Long.parseLong(g);
    }
}

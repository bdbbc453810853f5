package io.hawkeye.tools.csv;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Locale;

/**
 * The timestamps of the CSV files the offline commands read ({@code backtest}, {@code evaluate}, {@code forecast},
 * {@code scale-eval}, {@code rca}), one parser for all of them: epoch seconds, fractions allowed, or epoch
 * milliseconds (a number of 10^11 or more: year 1973 in milliseconds, 5138 in seconds); RFC 3339 with an offset,
 * a {@code T} or a space between date and time; a local date-time {@code yyyy-MM-dd[ |T]HH:mm[:ss][.fraction]} or
 * a date {@code yyyy-MM-dd}, both taken as UTC.
 */
public final class Timestamps {
    /** What {@link #epochMillis} returns for a text that is no timestamp (a header, an empty field, a typo). */
    public static final long NONE = Long.MIN_VALUE;

    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd[ ]['T']HH:mm[:ss]")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter(Locale.ROOT);

    private Timestamps() {}

    /** Epoch milliseconds of {@code text} (surrounding white space ignored), or {@link #NONE}. */
    public static long epochMillis(String text) {
        String t = text.trim();
        if (t.isEmpty()) return NONE;
        try {
            if (Character.isDigit(t.charAt(0)) && t.indexOf('-') < 0 && t.indexOf(':') < 0) {
                double v = Double.parseDouble(t);
                if (!Double.isFinite(v)) return NONE;
                return Math.abs(v) < 1e11 ? Math.round(v * 1000) : Math.round(v);
            }
            // The common forms first, each tried once: exceptions are slow, and this runs for every row.
            if (hasOffset(t)) {
                try {
                    return OffsetDateTime.parse(t.replace(' ', 'T')).toInstant().toEpochMilli();
                } catch (DateTimeException ignored) {
                    // not RFC 3339 with an offset
                }
            } else if (t.length() > 10) {
                try {
                    return LocalDateTime.parse(t, LOCAL).toInstant(ZoneOffset.UTC).toEpochMilli();
                } catch (DateTimeException ignored) {
                    // not a local date-time
                }
            }
            try {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            } catch (DateTimeException e) {
                return Instant.parse(t).toEpochMilli();
            }
        } catch (NumberFormatException | DateTimeException e) {
            return NONE;
        }
    }

    /** Whether a date-time text ends in a zone offset ({@code Z}, {@code +hh:mm}, {@code -hh:mm}). */
    private static boolean hasOffset(String t) {
        char last = t.charAt(t.length() - 1);
        if (last == 'Z' || last == 'z') return true;
        for (int i = 11; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '+' || c == '-') return true;
        }
        return false;
    }
}

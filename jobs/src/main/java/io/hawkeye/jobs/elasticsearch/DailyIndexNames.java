package io.hawkeye.jobs.elasticsearch;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Daily index names {@code <prefix>-yyyy.MM.dd} in UTC, matching the {@code <prefix>-*} patterns
 * of the shipped index templates. Derive the day from event time (the window start), never from
 * the wall clock: a replayed window must land in the same index so that its id overwrites.
 */
public final class DailyIndexNames {

    public static final String WINDOW_STATS_PREFIX = "hawkeye-window-stats";
    public static final String METRIC_STATS_PREFIX = "hawkeye-metric-stats";

    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC);

    private DailyIndexNames() {}

    public static String daily(String prefix, long epochMillis) {
        return prefix + '-' + DAY.format(Instant.ofEpochMilli(epochMillis));
    }

    /** {@code hawkeye-window-stats-yyyy.MM.dd} of the window start. */
    public static String windowStats(long windowStartMillis) {
        return daily(WINDOW_STATS_PREFIX, windowStartMillis);
    }

    /** {@code hawkeye-metric-stats-yyyy.MM.dd} of the window start. */
    public static String metricStats(long windowStartMillis) {
        return daily(METRIC_STATS_PREFIX, windowStartMillis);
    }
}

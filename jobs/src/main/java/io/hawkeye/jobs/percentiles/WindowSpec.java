package io.hawkeye.jobs.percentiles;

import java.io.Serializable;
import java.time.Duration;

/**
 * Window and pre-aggregation settings. {@code slide == size} gives tumbling windows, {@code slide < size}
 * hopping windows (size must be a multiple of slide). Windows are aligned to the epoch, like Flink's.
 *
 * @param sizeMillis window size
 * @param slideMillis window slide
 * @param allowedLatenessMillis how long after a window closes late events still update it
 * @param relativeAccuracy DDSketch relative accuracy of the percentiles
 * @param flushIntervalMillis how often the local pre-aggregator ships its partial sketches
 * @param maxBufferedSeries the pre-aggregator flushes when it holds more (series, window) entries than this
 * @param maxEndpointsPerService endpoint series per service; further names fold into {@code _other}
 *                               ({@link SeriesCap}, per pre-aggregator subtask)
 * @param maxMetricsPerService metric series per service; likewise
 * @param seriesIdleMillis an admitted name without data for this long (event time) gives its place up
 */
public record WindowSpec(long sizeMillis, long slideMillis, long allowedLatenessMillis, double relativeAccuracy,
        long flushIntervalMillis, int maxBufferedSeries, int maxEndpointsPerService, int maxMetricsPerService,
        long seriesIdleMillis) implements Serializable {

    /** The default series caps: 1,000 endpoints and 1,000 metrics per service, idle after a day. */
    public static final int DEFAULT_MAX_SERIES_PER_SERVICE = 1000;
    public static final long DEFAULT_SERIES_IDLE_MILLIS = Duration.ofDays(1).toMillis();

    public WindowSpec(long sizeMillis, long slideMillis, long allowedLatenessMillis, double relativeAccuracy,
            long flushIntervalMillis, int maxBufferedSeries) {
        this(sizeMillis, slideMillis, allowedLatenessMillis, relativeAccuracy, flushIntervalMillis, maxBufferedSeries,
                DEFAULT_MAX_SERIES_PER_SERVICE, DEFAULT_MAX_SERIES_PER_SERVICE, DEFAULT_SERIES_IDLE_MILLIS);
    }

    public WindowSpec {
        if (sizeMillis <= 0 || slideMillis <= 0 || slideMillis > sizeMillis || sizeMillis % slideMillis != 0) {
            throw new IllegalArgumentException("window size must be a positive multiple of the slide, got size="
                    + sizeMillis + " ms, slide=" + slideMillis + " ms");
        }
        if (allowedLatenessMillis < 0) throw new IllegalArgumentException("allowed lateness must be >= 0");
        if (!(relativeAccuracy > 0 && relativeAccuracy < 1)) {
            throw new IllegalArgumentException("relative accuracy must be in (0, 1), got " + relativeAccuracy);
        }
        if (flushIntervalMillis <= 0 || maxBufferedSeries <= 0) {
            throw new IllegalArgumentException("flush interval and buffer size must be positive");
        }
        if (maxEndpointsPerService < 1 || maxMetricsPerService < 1 || seriesIdleMillis <= 0) {
            throw new IllegalArgumentException("series caps and the idle timeout must be positive");
        }
    }

    public static WindowSpec tumbling(Duration size) {
        return new WindowSpec(size.toMillis(), size.toMillis(), 0, 0.01, 1000, 10_000);
    }

    public WindowSpec withAllowedLateness(Duration lateness) {
        return new WindowSpec(sizeMillis, slideMillis, lateness.toMillis(), relativeAccuracy, flushIntervalMillis,
                maxBufferedSeries, maxEndpointsPerService,
                maxMetricsPerService, seriesIdleMillis);
    }

    public WindowSpec withSlide(Duration slide) {
        return new WindowSpec(sizeMillis, slide.toMillis(), allowedLatenessMillis, relativeAccuracy,
                flushIntervalMillis, maxBufferedSeries, maxEndpointsPerService,
                maxMetricsPerService, seriesIdleMillis);
    }

    public WindowSpec withRelativeAccuracy(double accuracy) {
        return new WindowSpec(sizeMillis, slideMillis, allowedLatenessMillis, accuracy, flushIntervalMillis,
                maxBufferedSeries, maxEndpointsPerService,
                maxMetricsPerService, seriesIdleMillis);
    }

    public WindowSpec withFlush(Duration interval, int maxSeries) {
        return new WindowSpec(sizeMillis, slideMillis, allowedLatenessMillis, relativeAccuracy, interval.toMillis(),
                maxSeries, maxEndpointsPerService,
                maxMetricsPerService, seriesIdleMillis);
    }

    /** With other series caps per service. */
    public WindowSpec withSeriesLimits(int maxEndpoints, int maxMetrics, Duration idle) {
        return new WindowSpec(sizeMillis, slideMillis, allowedLatenessMillis, relativeAccuracy, flushIntervalMillis,
                maxBufferedSeries, maxEndpoints, maxMetrics, idle.toMillis());
    }

    /** Start of the latest window that contains {@code ts}. */
    public long lastWindowStart(long ts) {
        return ts - Math.floorMod(ts, slideMillis);
    }

    /** The time at which a window is complete: its last millisecond. */
    public long maxTimestamp(long windowStart) {
        return windowStart + sizeMillis - 1;
    }

    /** When a window's state may be dropped: no late event can update it after this watermark. */
    public long cleanupTime(long windowStart) {
        return maxTimestamp(windowStart) + allowedLatenessMillis;
    }
}

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
 */
public record WindowSpec(long sizeMillis, long slideMillis, long allowedLatenessMillis, double relativeAccuracy,
        long flushIntervalMillis, int maxBufferedSeries) implements Serializable {

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
    }

    public static WindowSpec tumbling(Duration size) {
        return new WindowSpec(size.toMillis(), size.toMillis(), 0, 0.01, 1000, 10_000);
    }

    public WindowSpec withAllowedLateness(Duration lateness) {
        return new WindowSpec(sizeMillis, slideMillis, lateness.toMillis(), relativeAccuracy, flushIntervalMillis,
                maxBufferedSeries);
    }

    public WindowSpec withSlide(Duration slide) {
        return new WindowSpec(sizeMillis, slide.toMillis(), allowedLatenessMillis, relativeAccuracy,
                flushIntervalMillis, maxBufferedSeries);
    }

    public WindowSpec withRelativeAccuracy(double accuracy) {
        return new WindowSpec(sizeMillis, slideMillis, allowedLatenessMillis, accuracy, flushIntervalMillis,
                maxBufferedSeries);
    }

    public WindowSpec withFlush(Duration interval, int maxSeries) {
        return new WindowSpec(sizeMillis, slideMillis, allowedLatenessMillis, relativeAccuracy, interval.toMillis(),
                maxSeries);
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

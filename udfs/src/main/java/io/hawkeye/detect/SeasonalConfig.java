package io.hawkeye.detect;

import io.hawkeye.config.RecordCopies;
import java.io.Serializable;
import java.util.function.Consumer;

/**
 * Constants of the seasonal detector. They are expressed in windows or in robust z units, never in the units of
 * a particular series, so one configuration serves series of any scale and any resolution from 1 s to 1 h. Each
 * setting and its default is documented on {@link Builder}; {@link #with} copies with changes.
 */
public record SeasonalConfig(
        int minLearnWindows,
        int levelWindows,
        double zHalf,
        double clipZ,
        int adaptAfterWindows,
        double minSeasonalStrength,
        double plausibleErrorRatio,
        double bandScore,
        int maxDailyBuckets,
        int maxWeeklyBuckets,
        int seasonalMemory) implements Serializable {

    public static SeasonalConfig defaults() {
        return new Builder().build();
    }

    /** A copy with the settings {@code change} makes on a builder holding this one's. */
    public SeasonalConfig with(Consumer<Builder> change) {
        return RecordCopies.with(this, Builder::new, change);
    }

    /** Score of a robust z-score: 0 at 0, 0.5 at zHalf, monotone, → 1. */
    public double score(double absZ) {
        double z0 = zHalf / Math.cbrt(Math.log(2));
        double r = absZ / z0;
        return 1 - Math.exp(-r * r * r);
    }

    /** Inverse of {@link #score}: the |z| with the given score. */
    public double zAt(double score) {
        double z0 = zHalf / Math.cbrt(Math.log(2));
        return z0 * Math.cbrt(-Math.log(1 - score));
    }

    /** The settings of a {@link SeasonalConfig}, initially the defaults. */
    public static final class Builder {
        /** Observations before the detector leaves LEARNING and scores. */
        public int minLearnWindows = 30;
        /** Time constant (windows) of the local-level model's EWMA. */
        public int levelWindows = 20;
        /** Robust z at which the score is 0.5; the score is {@code 1 - exp(-(|z|/z0)^3)} with z0 derived from it. */
        public double zHalf = 3.0;
        /** Residuals are clipped to ±clipZ robust standard deviations before they update the baseline (Huber-like). */
        public double clipZ = 3.0;
        /** Consecutive windows beyond clipZ in the same direction after which the level jumps: the new normal. */
        public int adaptAfterWindows = 30;
        /** Relative error reduction a seasonal model must achieve over the plain level model to be chosen. */
        public double minSeasonalStrength = 0.15;
        /** Models whose tracked error is within this factor of the best model's also vote; the smallest |z| wins. */
        public double plausibleErrorRatio = 1.5;
        /** Score at which the band is drawn (the firing threshold of the alert lifecycle). */
        public double bandScore = 0.9;
        /** Maximum number of time-of-day buckets (288 = 5-minute buckets). */
        public int maxDailyBuckets = 288;
        /** Maximum number of time-of-week buckets (168 = hourly buckets). */
        public int maxWeeklyBuckets = 168;
        /** Effective number of past periods a seasonal bucket averages over. */
        public int seasonalMemory = 4;

        public Builder() {}

        public SeasonalConfig build() {
            return RecordCopies.build(SeasonalConfig.class, this);
        }
    }
}

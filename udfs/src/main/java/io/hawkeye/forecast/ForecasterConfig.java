package io.hawkeye.forecast;

import io.hawkeye.config.RecordCopies;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Settings of a {@link SeasonalForecaster}. Every smoothing constant is a time constant in wall-clock
 * units, converted to a per-observation weight from the step, so behaviour does not depend on the resolution
 * (1 min … 1 h). The defaults are generic choices for service traffic (documented in docs/scaling.md), not
 * fitted to any data set.
 *
 * @param stepMillis         regular resolution of the series (observations are snapped to this grid)
 * @param horizonMillis      the horizon the deviation persistence and the interval are calibrated for
 * @param transform          LOG for positive rates (multiplicative seasonality), IDENTITY for additive
 * @param levelTau           time constant of the slow (deseasonalised) level
 * @param trendTau           time constant of the trend of that level
 * @param trendDampingPerDay fraction of the trend kept per day of horizon (Gardner–McKenzie damping)
 * @param dailyWeightPerDay  weight of one new day in the time-of-day profile (EWMA per day)
 * @param weeklyWeightPerWeek weight of one new week in the time-of-week profile (EWMA per week)
 * @param errorTau           time constant of the residual scales and the persistence regression
 * @param lowerQuantile      quantile of the lower bound (e.g. 0.1)
 * @param upperQuantile      quantile of the upper bound (e.g. 0.9)
 *
 * <p>{@link #of} gives the defaults for request rates; {@link #with} copies with changes.
 */
public record ForecasterConfig(
        long stepMillis,
        long horizonMillis,
        Transform transform,
        Duration levelTau,
        Duration trendTau,
        double trendDampingPerDay,
        double dailyWeightPerDay,
        double weeklyWeightPerWeek,
        Duration errorTau,
        double lowerQuantile,
        double upperQuantile) {

    /** How values are mapped before modelling. */
    public enum Transform {
        /** y = ln(v + δ), δ = 5% of the first positive value: seasonality and errors are relative. */
        LOG,
        /** y = v: additive model, e.g. for utilisation. */
        IDENTITY
    }

    public ForecasterConfig {
        if (stepMillis < 1000 || stepMillis > 86_400_000L) {
            throw new IllegalArgumentException("step must be between 1 s and 1 day, got " + stepMillis + " ms");
        }
        if (horizonMillis < 0) {
            throw new IllegalArgumentException("horizon must be >= 0");
        }
        if (!(lowerQuantile > 0 && lowerQuantile < 0.5 && upperQuantile > 0.5 && upperQuantile < 1)) {
            throw new IllegalArgumentException("need 0 < lower < 0.5 < upper < 1");
        }
    }

    /** Defaults for request rates: log transform, p10–p90 interval. */
    public static ForecasterConfig of(Duration step, Duration horizon) {
        Builder b = new Builder();
        b.stepMillis = step.toMillis();
        b.horizonMillis = horizon.toMillis();
        return b.build();
    }

    /** A copy with the settings {@code change} makes on a builder holding this one's. */
    public ForecasterConfig with(Consumer<Builder> change) {
        return RecordCopies.with(this, Builder::new, change);
    }

    /** Horizon in whole steps, at least 1. */
    public int horizonSteps() {
        return (int) Math.max(1, Math.round((double) horizonMillis / stepMillis));
    }

    /** Steps per day (rounded, ≥ 1). */
    public long stepsPerDay() {
        return Math.max(1, Math.round(86_400_000.0 / stepMillis));
    }

    /** The settings of a {@link ForecasterConfig}: the defaults for request rates, no step or horizon yet. */
    public static final class Builder {
        public long stepMillis;
        public long horizonMillis;
        public Transform transform = Transform.LOG;
        public Duration levelTau = Duration.ofHours(6);
        public Duration trendTau = Duration.ofDays(3);
        public double trendDampingPerDay = 0.5;
        public double dailyWeightPerDay = 0.2;
        public double weeklyWeightPerWeek = 0.3;
        public Duration errorTau = Duration.ofDays(3);
        public double lowerQuantile = 0.1;
        public double upperQuantile = 0.9;

        public Builder() {}

        public ForecasterConfig build() {
            return RecordCopies.build(ForecasterConfig.class, this);
        }
    }
}

package io.hawkeye.detect.multivariate;

import io.hawkeye.config.RecordCopies;
import java.io.Serializable;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Settings of {@link MultivariateDetector}. Defaults are generic (textbook isolation-forest settings, a week-long
 * sample horizon), not tuned to any data set. Each setting and its default is documented on {@link Builder};
 * {@link #with} copies with changes.
 */
public record MultivariateConfig(
        int reservoirSize,
        long horizonWindows,
        int minHistory,
        boolean seasonalBaseline,
        int refitEvery,
        int trees,
        int subsample,
        double admitBelow,
        int adaptAfter,
        double trimFraction,
        double shrinkage,
        double attributeFrom,
        long seed,
        boolean keepSerialisedForest,
        String[] featureNames,
        double[] absFloor,
        double[] relFloor) implements Serializable {

    public static MultivariateConfig defaults() {
        return new Builder().build();
    }

    /**
     * A detector over arbitrary numeric features, as they are: no transform, scale floor 10⁻⁹ + 0.1 % of the
     * median (the same relative floor as the seasonal detector's generic series).
     */
    public static MultivariateConfig generic(String[] names) {
        return defaults().with(b -> {
            b.featureNames = names.clone();
            b.absFloor = new double[names.length];
            b.relFloor = new double[names.length];
            Arrays.fill(b.absFloor, 1e-9);
            Arrays.fill(b.relFloor, 1e-3);
        });
    }

    /** A copy with the settings {@code change} makes on a builder holding this one's. */
    public MultivariateConfig with(Consumer<Builder> change) {
        return RecordCopies.with(this, Builder::new, change);
    }

    /** Number of features a vector must have. */
    public int dimension() {
        return featureNames == null ? ServiceFeatures.DIM : featureNames.length;
    }

    /** Name of feature {@code j}. */
    public String featureName(int j) {
        return featureNames == null ? ServiceFeatures.NAMES[j] : featureNames[j];
    }

    /** The settings of a {@link MultivariateConfig}, initially the defaults. */
    public static final class Builder {
        /** Training sample size (rows kept in state). */
        public int reservoirSize = 512;
        /**
         * Memory of the biased reservoir, in admitted windows: once full, a new window enters with probability
         * max(size/admitted, size/horizon), replacing a random row, so the sample spans roughly the last
         * {@code horizonWindows} windows (a week of 1-minute windows: every hour of the day and week is
         * represented).
         */
        public long horizonWindows = 7 * 24 * 60;
        /**
         * LEARNING until this many windows have been admitted (may exceed the sample size: the sample then spans
         * them); the first model is fitted then.
         */
        public int minHistory = 60;
        /**
         * Whether each feature is taken relative to its own seasonal baseline
         * ({@link io.hawkeye.detect.SeasonalDetector} with the generic series spec: level, time-of-day and
         * time-of-week profiles, robust to the anomalies it sees) before a vector is scored or sampled. The
         * detectors then compare how a window departs from its normal for that time — growth, the daily peak, the
         * weekend are the baseline's business — instead of where it lies in a week-long sample: with raw features
         * and +2 %/day of traffic the newest evening peak lies 14 % beyond the oldest and is "unlike any seen
         * before" every day. false = features as they are.
         */
        public boolean seasonalBaseline = true;
        /** Refit every this many windows once READY. */
        public int refitEvery = 60;
        /** Isolation forest: number of trees and per-tree subsample (Liu et al. 2008: 100 and 256). */
        public int trees = 100;
        public int subsample = 256;
        /** A window whose (either) calibrated score is at least this is not admitted to the training sample... */
        public double admitBelow = 0.9;
        /** ...unless this many consecutive windows were rejected: the new behaviour is then the new normal. */
        public int adaptAfter = 60;
        /** Robust covariance: fraction of training rows kept (closest by Mahalanobis distance) per iteration. */
        public double trimFraction = 0.8;
        /** Robust covariance: shrinkage of the off-diagonal towards zero (Σ = (1−λ)Σ + λ·diag Σ). */
        public double shrinkage = 0.1;
        /** Calibrated scores at or above this get an attribution (it costs one extra score per feature). */
        public double attributeFrom = 0.7;
        public long seed = 0x5EEDL;
        /**
         * Whether a fitted model carries its forest serialised ({@link MultivariateModel#forest}, for keyed state).
         * An offline run that keeps its models in memory turns it off: fits are then ~2× cheaper.
         */
        public boolean keepSerialisedForest = true;
        /**
         * Feature names and scale floors (z = (x − median) / max(scale, absFloor + relFloor·|median|)) of a custom
         * feature vector; null = the service vector of {@link ServiceFeatures} with its floors
         * ({@link MultivariateDetector#ABS_FLOOR}). Used by the backtest for CSV files with arbitrary numeric
         * columns.
         */
        public String[] featureNames;
        public double[] absFloor;
        public double[] relFloor;

        public Builder() {}

        public MultivariateConfig build() {
            return RecordCopies.build(MultivariateConfig.class, this);
        }
    }
}

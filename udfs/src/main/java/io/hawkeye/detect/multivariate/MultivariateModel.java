package io.hawkeye.detect.multivariate;

import java.util.Arrays;
import java.util.Objects;

/**
 * One fitted multivariate model of a service: the robust normalisation, the isolation forest (Java-serialised
 * Smile model, deflated), the robust covariance of the relationship detector, and the sorted training scores of
 * both (their calibration). Immutable once fitted; replaced at every refit. A Flink POJO, kept in its own state
 * entry so the (large) forest is written only when it changes.
 */
public class MultivariateModel {
    /** {@code iforest-<refit count>-<training size>}. */
    public String version;
    public int dim;
    public int trainingSize;
    /** Per-feature median and scale (1.4826 · MAD, floored) of the training sample. */
    public double[] median;
    public double[] scale;
    /**
     * Features that were constant in the training sample (null = none): the forest ignores them (see
     * {@link MultivariateDetector#score}); the envelope and the relationship detector still see them.
     */
    public boolean[] constant;
    /** Whether the model was fitted on the features' z against their seasonal baselines (false: raw features). */
    public boolean seasonalBaseline;
    /** Deflated Java serialisation of {@code smile.anomaly.IsolationForest}. */
    public byte[] forest;
    /** 64-bit content fingerprint of {@link #forest} (cache key of the deserialised model). */
    public long forestId;
    /** Sorted isolation-forest scores of the training rows. */
    public double[] forestScores;
    /** Sorted envelope statistics (largest robust |z| over the features) of the training rows. */
    public double[] envelopes;
    /** Robust centre (normalised space) and precision matrix (row-major dim × dim) of the relationship detector. */
    public double[] center;
    public double[] precision;
    /** Sorted Mahalanobis distances of the training rows. */
    public double[] distances;
    /** The forest itself when the model was fitted without serialising it (offline use; not state). */
    public transient smile.anomaly.IsolationForest fittedForest;

    public MultivariateModel() {}

    /** Approximate serialised size in bytes. */
    public long approximateBytes() {
        return (forest == null ? 0 : forest.length)
                + 8L * (median.length + scale.length + forestScores.length + envelopes.length + center.length + precision.length
                        + distances.length) + 64;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MultivariateModel m && dim == m.dim && trainingSize == m.trainingSize
                && forestId == m.forestId && Objects.equals(version, m.version)
                && Arrays.equals(median, m.median) && Arrays.equals(scale, m.scale)
                && Arrays.equals(constant, m.constant) && seasonalBaseline == m.seasonalBaseline
                && Arrays.equals(forest, m.forest) && Arrays.equals(forestScores, m.forestScores)
                && Arrays.equals(envelopes, m.envelopes)
                && Arrays.equals(center, m.center) && Arrays.equals(precision, m.precision)
                && Arrays.equals(distances, m.distances);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, forestId);
    }
}

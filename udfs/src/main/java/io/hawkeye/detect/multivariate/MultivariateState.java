package io.hawkeye.detect.multivariate;

import io.hawkeye.detect.SeasonalState;
import java.util.Arrays;
import java.util.Objects;

/**
 * Per-service memory of {@link MultivariateDetector} apart from the fitted model: the training sample, the
 * per-feature seasonal baselines and the counters. A Flink POJO. Size: {@code 8 · reservoirSize · dim} bytes of
 * sample (20 KB at 512 × 5), ≤ 4.9 KB per baseline, ~60 bytes of counters (44.6 KB serialised for the service vector).
 */
public class MultivariateState {
    /**
     * Training sample, row-major, {@code rows × dim} used of its length; the vectors {@code update} scores (the
     * features' z against their baselines, or the raw features without them), NaN = absent.
     */
    public double[] reservoir = new double[0];
    public int rows;
    public int dim;
    /** Windows seen (scored or learning). */
    public long observations;
    /** Windows admitted to the sample. */
    public long admitted;
    /** Windows since the last fit. */
    public int sinceRefit;
    /** Number of fits so far (the model version). */
    public int refits;
    /** Consecutive windows not admitted because they scored high. */
    public int rejectRun;
    /** Per-feature seasonal baselines (see {@link MultivariateConfig#seasonalBaseline}); empty when off. */
    public SeasonalState[] baselines = new SeasonalState[0];
    /** SplitMix64 state of the reservoir's random replacement (deterministic, survives restarts). */
    public long rng;

    public MultivariateState() {}

    /** Approximate serialised size in bytes. */
    public long approximateBytes() {
        long b = 8L * reservoir.length + 64;
        for (SeasonalState st : baselines) b += st == null ? 0 : st.approximateBytes();
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MultivariateState s && rows == s.rows && dim == s.dim && observations == s.observations
                && admitted == s.admitted && sinceRefit == s.sinceRefit && refits == s.refits
                && rejectRun == s.rejectRun && rng == s.rng && Arrays.equals(reservoir, s.reservoir)
                && Arrays.equals(baselines, s.baselines);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rows, observations, admitted, refits);
    }
}

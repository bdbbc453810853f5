package io.hawkeye.detect.multivariate;

import java.util.Arrays;
import smile.stat.distribution.GaussianDistribution;

/**
 * Maps a raw anomaly score (higher = more anomalous) to [0, 1] using the sorted scores of the training rows.
 *
 * <ol>
 *   <li>Empirical CDF, linearly interpolated: the i-th smallest of n training scores has u = (i + 1)/(n + 1).
 *   <li>u → z = Φ⁻¹(u), an equivalent one-sided normal quantile. Above the training maximum, z is extrapolated
 *       linearly with the slope of the upper tail (the 90th percentile to the maximum), so a score beyond every
 *       training row keeps growing with its distance instead of saturating.
 *   <li>z → score: Φ(z) for z ≤ 0; 0.5 + 0.5·(1 − exp(−(z/3)³)) for 0 &lt; z ≤ 5 (continuous at 0.5); beyond
 *       z = 5 (score 0.99513) 1 − score = (1 − score(5))/(1 + ln(z/5)), so that the ranking goes on for any finite
 *       z: the cube law printed 1.000000 from z ≈ 7.2 on, and on SMD 0.8 % of machine-1-7's test rows tied there
 *       (issue 12: at most 0.1 %; a 1/z law still tied 0.5 %: the extrapolated z of those rows is beyond 10⁴).
 * </ol>
 * A typical training row scores ≈ 0.5; the training maximum of 512 rows (z ≈ 2.9) ≈ 0.81; 0.7 ↔ z ≈ 2.4
 * (one-sided p ≈ 0.8 %), 0.9 ↔ z ≈ 3.5 (p ≈ 2·10⁻⁴), so a 0.9 needs a score clearly beyond the training maximum.
 * No distributional assumption on the raw score; the only assumption is that the training rows are
 * (mostly) normal and exchangeable with future normal rows.
 */
public final class TailCalibration {
    private static final GaussianDistribution N = GaussianDistribution.getInstance();
    private static final double Z0 = 3.0;
    /** Beyond this z the score's distance to 1 falls like 1/log z (no tie at the printed maximum). */
    static final double Z_TAIL = 5.0;

    private TailCalibration() {}

    /** The calibrated score in [0, 1]. */
    public static double score(double raw, double[] sorted) {
        return fromZ(z(raw, sorted));
    }

    public static double fromZ(double z) {
        if (Double.isNaN(z)) return 0;
        if (z <= 0) return N.cdf(z);
        if (z > Z_TAIL) return 1 - (1 - cube(Z_TAIL)) / (1 + Math.log(z / Z_TAIL));
        return cube(z);
    }

    private static double cube(double z) {
        double t = z / Z0;
        return 0.5 + 0.5 * (1 - Math.exp(-t * t * t));
    }

    /** The equivalent one-sided normal quantile of {@code raw} among the training scores. */
    public static double z(double raw, double[] sorted) {
        int n = sorted.length;
        if (n == 0 || Double.isNaN(raw)) return Double.NaN;
        double max = sorted[n - 1];
        if (raw > max) {
            double zMax = N.quantile(n / (n + 1.0));
            int i90 = (int) Math.floor(0.9 * (n - 1));
            double z90 = N.quantile((i90 + 1) / (n + 1.0));
            double spread = max - sorted[i90];
            double range = max - sorted[0];
            // Ties in the tail (e.g. a degenerate sample): fall back to a fraction of the whole range.
            if (!(spread > 1e-12 * Math.max(1, Math.abs(max)))) spread = Math.max(range / 10, 1e-9);
            double slope = Math.max(zMax - z90, 1e-3) / spread;
            return zMax + (raw - max) * slope;
        }
        if (raw <= sorted[0]) return N.quantile(1 / (n + 1.0));
        int i = Arrays.binarySearch(sorted, raw);
        double u;
        if (i >= 0) {
            while (i + 1 < n && sorted[i + 1] == raw) i++; // the highest rank among ties
            u = (i + 1) / (n + 1.0);
        } else {
            int hi = -i - 1; // sorted[hi - 1] < raw < sorted[hi]
            double f = (raw - sorted[hi - 1]) / (sorted[hi] - sorted[hi - 1]);
            u = (hi + f) / (n + 1.0);
        }
        return N.quantile(u);
    }
}

package io.hawkeye.rca;

import java.util.Arrays;

/** Small robust-statistics helpers; inputs contain only finite values. */
final class Robust {
    private Robust() {}

    /** Quantile with linear interpolation (type 7); NaN for an empty array. Sorts a copy. */
    static double quantile(double[] values, double q) {
        if (values.length == 0) return Double.NaN;
        double[] v = values.clone();
        Arrays.sort(v);
        double pos = q * (v.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(v.length - 1, lo + 1);
        return v[lo] + (pos - lo) * (v[hi] - v[lo]);
    }

    static double median(double[] values) {
        return quantile(values, 0.5);
    }

    /** Median absolute deviation from {@code center} (unscaled). */
    static double mad(double[] values, double center) {
        double[] d = new double[values.length];
        for (int i = 0; i < values.length; i++) d[i] = Math.abs(values[i] - center);
        return median(d);
    }

    /** Pearson correlation; NaN when fewer than 3 pairs or a constant side. */
    static double pearson(double[] x, double[] y) {
        int n = x.length;
        if (n < 3) return Double.NaN;
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < n; i++) {
            double dx = x[i] - mx, dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if (sxx <= 0 || syy <= 0) return Double.NaN;
        return sxy / Math.sqrt(sxx * syy);
    }
}

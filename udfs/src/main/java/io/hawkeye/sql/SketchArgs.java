package io.hawkeye.sql;

/** Argument rules shared by the sketch functions (documented in docs/sql.md). */
final class SketchArgs {
    private SketchArgs() {}

    /** NULL, NaN and ±Infinity values are ignored: they have no rank, and failing the job on data is never right. */
    static boolean usable(Double value) {
        return value != null && Double.isFinite(value);
    }

    /** A quantile is part of the query, not of the data: a bad one fails fast with the function's name. */
    static double quantile(String function, Double q) {
        if (q == null || !(q >= 0.0 && q <= 1.0)) {
            throw new IllegalArgumentException(function + ": quantile must be in [0, 1], got " + q);
        }
        return q;
    }

    static double[] quantiles(String function, Double[] qs) {
        if (qs == null) throw new IllegalArgumentException(function + ": quantiles must not be NULL");
        double[] out = new double[qs.length];
        for (int i = 0; i < qs.length; i++) out[i] = quantile(function, qs[i]);
        return out;
    }

    static double accuracy(String function, Double relativeAccuracy) {
        if (relativeAccuracy == null || !(relativeAccuracy > 0.0 && relativeAccuracy < 1.0)) {
            throw new IllegalArgumentException(
                    function + ": relative_accuracy must be in (0, 1), got " + relativeAccuracy);
        }
        return relativeAccuracy;
    }
}

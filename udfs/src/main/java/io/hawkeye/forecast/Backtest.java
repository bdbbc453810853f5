package io.hawkeye.forecast;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Rolling-origin backtest of {@link SeasonalForecaster} at a fixed horizon, without lookahead: the
 * forecast of row t uses exactly the forecaster state after ingesting the rows with timestamp ≤ t − h.
 * Also computes the baselines naive (the last value at or before t − h, i.e. the same information) and
 * seasonal naive (the value at exactly t − 1 day, and t − 1 week), and their MAE over the evaluation tail.
 */
public final class Backtest {

    private Backtest() {}

    /**
     * Per-row output (NaN = not available) and summary.
     *
     * @param evalFrom first row index of the evaluation tail (the last 25% of rows)
     */
    public record Result(long[] ts, double[] value, double[] forecast, double[] lower, double[] upper,
                         double[] naive, double[] seasonalDay, double[] seasonalWeek, int evalFrom) {

        /** MAE of {@code pred} over evaluation rows where both value and prediction exist; NaN if none. */
        public double mae(double[] pred) {
            return mae(pred, null);
        }

        /** MAE over evaluation rows where {@code pred} and (if given) every array in {@code common} exist. */
        public double mae(double[] pred, double[][] common) {
            double sum = 0;
            int n = 0;
            outer:
            for (int i = evalFrom; i < ts.length; i++) {
                if (Double.isNaN(pred[i]) || Double.isNaN(value[i])) {
                    continue;
                }
                if (common != null) {
                    for (double[] c : common) {
                        if (Double.isNaN(c[i])) {
                            continue outer;
                        }
                    }
                }
                sum += Math.abs(pred[i] - value[i]);
                n++;
            }
            return n == 0 ? Double.NaN : sum / n;
        }

        /** Rows of the evaluation tail that have a prediction in {@code pred}. */
        public int count(double[] pred) {
            int n = 0;
            for (int i = evalFrom; i < ts.length; i++) {
                if (!Double.isNaN(pred[i])) {
                    n++;
                }
            }
            return n;
        }

        /** Fraction of evaluation rows with an interval whose interval contains the value. */
        public double coverage() {
            int in = 0;
            int n = 0;
            for (int i = evalFrom; i < ts.length; i++) {
                if (Double.isNaN(lower[i]) || Double.isNaN(upper[i])) {
                    continue;
                }
                n++;
                if (value[i] >= lower[i] && value[i] <= upper[i]) {
                    in++;
                }
            }
            return n == 0 ? Double.NaN : (double) in / n;
        }

        /** Fraction of evaluation rows at or below the upper bound. */
        public double upperCoverage() {
            int in = 0;
            int n = 0;
            for (int i = evalFrom; i < ts.length; i++) {
                if (!Double.isNaN(upper[i])) {
                    n++;
                    if (value[i] <= upper[i]) {
                        in++;
                    }
                }
            }
            return n == 0 ? Double.NaN : (double) in / n;
        }
    }

    /** Median difference of consecutive (sorted, distinct) timestamps; at least 1 s. */
    public static long inferStepMillis(long[] ts) {
        if (ts.length < 2) {
            throw new IllegalArgumentException("need at least two rows to infer the step");
        }
        long[] d = new long[ts.length - 1];
        int n = 0;
        for (int i = 1; i < ts.length; i++) {
            if (ts[i] > ts[i - 1]) {
                d[n++] = ts[i] - ts[i - 1];
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("timestamps do not increase");
        }
        long[] s = Arrays.copyOf(d, n);
        Arrays.sort(s);
        return Math.max(1000, s[n / 2]);
    }

    /**
     * Runs the backtest. Rows must be in non-decreasing timestamp order (rows that are not are still
     * scored but not learned from, as the forecaster ignores them).
     */
    public static Result run(long[] ts, double[] value, ForecasterConfig config) {
        int n = ts.length;
        long h = config.horizonMillis();
        SeasonalForecaster f = new SeasonalForecaster(config);
        double[] fc = nan(n);
        double[] lo = nan(n);
        double[] hi = nan(n);
        double[] naive = nan(n);
        double[] sd = nan(n);
        double[] sw = nan(n);
        Map<Long, Double> byTs = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            byTs.putIfAbsent(ts[i], value[i]);
        }
        int ingested = 0;
        boolean twoWeeks = n > 0 && ts[n - 1] - ts[0] >= 14 * 86_400_000L;
        for (int i = 0; i < n; i++) {
            long cutoff = ts[i] - h;
            while (ingested < n && ts[ingested] <= cutoff) {
                f.update(ts[ingested], value[ingested]);
                ingested++;
            }
            if (ingested > 0) {
                naive[i] = value[ingested - 1];
                Forecast r = f.forecastAt(ts[i]);
                if (r != null) {
                    fc[i] = r.value();
                    lo[i] = r.lower();
                    hi[i] = r.upper();
                }
            }
            Double d = byTs.get(ts[i] - 86_400_000L);
            if (d != null) {
                sd[i] = d;
            }
            Double w = twoWeeks ? byTs.get(ts[i] - 7 * 86_400_000L) : null;
            if (w != null) {
                sw[i] = w;
            }
        }
        return new Result(ts, value, fc, lo, hi, naive, sd, sw, n - n / 4);
    }

    private static double[] nan(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }
}

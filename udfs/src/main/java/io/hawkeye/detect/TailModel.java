package io.hawkeye.detect;

import io.hawkeye.alerts.LifecyclePolicy;
import java.util.Arrays;

/**
 * Online tail model of a series' own score residuals (issue 12 item 2): peaks over threshold with a generalised
 * Pareto tail, after SPOT (Siffer et al., "Anomaly detection in streams with extreme value theory", KDD 2017),
 * with runs declustering (Coles, "An Introduction to Statistical Modeling of Extreme Values", 2001, §5.3). Pure
 * functions over the {@code tail*} fields of {@link SeasonalState}; bounded state: {@value #PEAKS} cluster peaks
 * per side.
 *
 * <h2>Model</h2>
 * The input is the detector's robust z of each READY window (already standardised by the learnt spread and the
 * noise floors), each side on its own (up, down): a series may have a heavy upper and no lower tail.
 * <ul>
 *   <li>A <b>cluster</b> is a run of windows with |z| above the threshold u = {@value #U} on one side; it ends
 *       after {@value #RUN} windows below u (runs declustering; {@value #RUN} = the job's default
 *       {@code detect.quiet-windows}, after which an alert resolves). Its <b>peak</b> (largest |z|) enters a ring
 *       of the last {@value #PEAKS} peaks per side: a long anomaly is one peak, not hundreds, so it cannot fill the
 *       tail it is judged against, and dependent windows of one excursion are counted once.
 *   <li>The <b>cluster rate</b> ζ (clusters starting per window) is a running mean over about a week of windows,
 *       started from the normal distribution's exceedance rate 1 − Φ(u) with the weight of 1/(1 − Φ(u)) windows
 *       (one pseudo-cluster).
 *   <li>The excesses y = peak − u of the ring are fitted by a <b>generalised Pareto distribution</b> (σ, ξ) by
 *       probability-weighted moments (Hosking and Wallis, Technometrics 1987): a₀ = mean, a₁ = mean of
 *       y₍ⱼ₎(1 − (j − 0.35)/n); ξ = 2 − a₀/(a₀ − 2a₁), σ = 2a₀a₁/(a₀ − 2a₁). PWM is defined for ξ &lt; 1 (moments:
 *       ξ &lt; 0.5) and stable on few peaks. ξ is kept in [0, {@value #XI_MAX}]: a bounded tail (ξ &lt; 0) would give
 *       probability 0 beyond its end point (every larger excursion tied at the maximum score), so the lightest
 *       tail assumed is exponential. Until {@value #MIN_PEAKS} peaks are in the ring the tail is the exponential
 *       one of the normal distribution beyond u (σ = 1/u, ξ = 0), heavier than the normal's own.
 * </ul>
 * The <b>exceedance probability</b> of |z| = x on a side is p = ζ·(1 + ξ(x − u)/σ)^(−1/ξ) beyond u, the
 * estimated rate per window of excursions reaching x; below u it is interpolated in log
 * space, p = ζ^((x/u)²), continuous at u and 1 at x = 0.
 *
 * <h2>Score</h2>
 * With L = −log₁₀ p: score = 1 − 10^(−L/9) = 1 − p^(1/9) for p ≥ 10⁻⁹ — 0 at p = 1, 0.5 at 2·10⁻³, 0.64 at
 * 10⁻⁴, 0.78 at 10⁻⁶, <b>0.9 at 10⁻⁹</b> — and 1 − 0.9/L beyond (0.95 at 10⁻¹⁸, 0.99 at 10⁻⁹⁰, 0.999 at
 * 10⁻⁹⁰⁰). Continuous and strictly increasing in L, so the ordering of the probabilities is kept in the scores
 * down to 10⁻⁹ with 0.026 per decade there, and beyond: six printed decimals reach 1.000000 only at L ≈ 1.8·10⁶,
 * and the probability is computed as a logarithm so that it never underflows to 0. Why not 1 − p^(1/9)
 * everywhere: with an exponential tail (ξ = 0) L grows linearly in |z|, and on SMD's min-max normalised columns
 * (|z| in the hundreds) 0.3 % of rows reached p &lt; 10⁻⁵⁶ (1.000000); why not a heavier minimum shape instead
 * (ξ ≥ 0.1): it lowered the event recall on aiops2018_kpi from 49 to 44 of 151 segments. A map capped at 10⁻⁹
 * (min(1, L/9)) would tie every larger excursion at 1.
 */
public final class TailModel {
    /** Threshold of the peaks over threshold, in robust z (the normal distribution's 97.7 % point). */
    public static final double U = 2.0;
    /** Cluster peaks kept per side. */
    public static final int PEAKS = 64;
    /** Peaks before the fitted tail replaces the exponential prior. */
    public static final int MIN_PEAKS = 10;
    /** Windows below U that end a cluster. */
    public static final int RUN = 3;
    /** Largest shape parameter used. */
    public static final double XI_MAX = 0.9;
    /** Smallest shape parameter used: the lightest tail assumed is exponential (a bounded one would tie extremes). */
    public static final double XI_MIN = 0;
    /** Decades of probability at score 0.9: score = 1 − p^(1/SCORE_DECADES) up to p = 10⁻⁹, then 1 − 0.9/L. */
    public static final double SCORE_DECADES = 9;
    /** 1 − Φ(U): the normal distribution's exceedance rate at U, the cluster rate's prior. */
    static final double PRIOR_RATE = 0.02275;
    private static final double PRIOR_SIGMA = 1 / U;
    private static final double MIN_SIGMA = 0.05;

    private TailModel() {}

    /** Score of an exceedance probability ({@link #scoreOfLog} of its log). */
    public static double score(double p) {
        if (!(p < 1)) return 0;
        if (p <= 0) return 1;
        return scoreOfLog(Math.log(p));
    }

    /**
     * Score of a natural log of an exceedance probability: with L = −log₁₀ p, 1 − 10^(−L/9) up to L = 9 (0.9 at
     * p = 10⁻⁹), then 1 − 0.9/L; continuous, strictly increasing, 1 only at p = 0.
     */
    public static double scoreOfLog(double logP) {
        if (!(logP < 0)) return 0;
        double decades = -logP / Math.log(10);
        if (decades <= SCORE_DECADES) return -Math.expm1(logP / SCORE_DECADES);
        return Double.isInfinite(decades) ? 1 : 1 - 0.9 / decades;
    }

    /** Inverse of {@link #score}: the exceedance probability with the given score. */
    public static double probabilityAt(double score) {
        if (score <= 0) return 1;
        if (score >= 1) return 0;
        if (score <= 0.9) return Math.exp(SCORE_DECADES * Math.log1p(-score));
        return Math.pow(10, -0.9 / (1 - score));
    }

    /** Estimated exceedance probability per window of a robust z (its side's tail). */
    static double probability(SeasonalState st, double z) {
        return Math.exp(logProbability(st, z));
    }

    /** Natural log of {@link #probability} (finite where the probability underflows). */
    static double logProbability(SeasonalState st, double z) {
        int side = z >= 0 ? 0 : 1;
        double x = Math.abs(z);
        double rate = rate(st, side);
        if (x <= U) return (x / U) * (x / U) * Math.log(rate);
        double sigma = PRIOR_SIGMA;
        double xi = XI_MIN;
        if (st.tailSigma != null && stored(st, side) >= MIN_PEAKS) {
            sigma = st.tailSigma[side];
            xi = st.tailXi[side];
        }
        double y = (x - U) / sigma;
        double logSf = xi < 1e-9 ? -y : -Math.log1p(xi * y) / xi;
        return Math.log(rate) + logSf;
    }

    /** The |z| whose exceedance probability on this side is {@code p} (beyond U; U when p ≥ the cluster rate). */
    static double quantile(SeasonalState st, int side, double p) {
        double rate = rate(st, side);
        if (p >= rate) return U;
        double sigma = PRIOR_SIGMA;
        double xi = XI_MIN;
        if (st.tailSigma != null && stored(st, side) >= MIN_PEAKS) {
            sigma = st.tailSigma[side];
            xi = st.tailXi[side];
        }
        double logRatio = Math.log(p / rate); // < 0
        return U + (xi < 1e-9 ? -sigma * logRatio : sigma / xi * Math.expm1(-xi * logRatio));
    }

    private static double rate(SeasonalState st, int side) {
        return st.tailRate == null ? PRIOR_RATE : st.tailRate[side];
    }

    private static int stored(SeasonalState st, int side) {
        return (int) Math.min(PEAKS, st.tailCount[side]);
    }

    /**
     * Learns from a READY window's robust z (after it was scored). {@code memory}: the windows the cluster rate
     * averages over (a week of windows).
     */
    static void observe(SeasonalState st, double z, long memory) {
        if (!Double.isFinite(z)) return;
        if (st.tailPeaks == null) allocate(st);
        st.tailN++;
        double n = Math.min(st.tailN + 1 / PRIOR_RATE, Math.max(memory, 1));
        for (int side = 0; side < 2; side++) {
            double x = side == 0 ? z : -z;
            boolean start = false;
            if (x > U) {
                start = st.tailOpen[side] == 0;
                st.tailOpen[side] = Math.max(st.tailOpen[side], x);
                st.tailBelow[side] = 0;
            } else if (st.tailOpen[side] > 0 && ++st.tailBelow[side] >= RUN) {
                // A peak rarer than once per memory (a week) is an alarm, not the series' normal: it enters
                // winsorised at that level (SPOT leaves alarms out of the tail; winsorising still lets a series
                // whose "alarms" recur often widen its tail), so anomalies do not teach the tail that they are normal.
                add(st, side, Math.min(st.tailOpen[side], quantile(st, side, 1 / n)) - U);
                st.tailOpen[side] = 0;
                st.tailBelow[side] = 0;
            }
            st.tailRate[side] += ((start ? 1 : 0) - st.tailRate[side]) / n;
        }
    }

    private static void allocate(SeasonalState st) {
        st.tailPeaks = new float[2 * PEAKS];
        st.tailCount = new int[2];
        st.tailRate = new double[] {PRIOR_RATE, PRIOR_RATE};
        st.tailOpen = new double[2];
        st.tailBelow = new int[2];
        st.tailSigma = new double[] {PRIOR_SIGMA, PRIOR_SIGMA};
        st.tailXi = new double[2];
    }

    private static void add(SeasonalState st, int side, double excess) {
        st.tailPeaks[side * PEAKS + st.tailCount[side] % PEAKS] = (float) excess;
        if (st.tailCount[side] < Integer.MAX_VALUE) st.tailCount[side]++;
        int k = stored(st, side);
        if (k < MIN_PEAKS) return;
        double[] y = new double[k];
        for (int i = 0; i < k; i++) y[i] = st.tailPeaks[side * PEAKS + i];
        double[] fit = fitPwm(y);
        st.tailSigma[side] = fit[0];
        st.tailXi[side] = fit[1];
    }

    /**
     * Generalised Pareto fit of excesses by probability-weighted moments (Hosking and Wallis 1987): {σ, ξ}, ξ in
     * [{@value #XI_MIN}, {@value #XI_MAX}] (with ξ clamped, σ = a₀(1 − ξ), which keeps the fitted mean excess).
     */
    static double[] fitPwm(double[] excesses) {
        double[] y = excesses.clone();
        Arrays.sort(y);
        int n = y.length;
        double a0 = 0;
        double a1 = 0;
        for (int j = 0; j < n; j++) {
            a0 += y[j];
            a1 += y[j] * (1 - (j + 1 - 0.35) / n);
        }
        a0 /= n;
        a1 /= n;
        double d = a0 - 2 * a1;
        double xi = d > 0 ? 2 - a0 / d : XI_MAX;
        if (!(xi >= XI_MIN)) xi = XI_MIN;
        xi = Math.min(XI_MAX, xi);
        double sigma = Math.max(MIN_SIGMA, a0 * (1 - xi));
        return new double[] {sigma, xi};
    }

    /**
     * {@code base} with the fire and keep scores of a false-alarm budget (issue 12 item 3): a seasonal detector's
     * score is {@link #score} of the estimated probability per window of an excursion as
     * far out ({@link DetectionResult#probability}), so a series with windows of {@code stepMs}
     * has W = 1 week / step windows a week and fires at p ≤ p_f = budget / W: in expectation at most
     * {@code falseAlarmsPerWeek} excursions a week reach it (the tail model counts excursions, declustered, so W·p_f
     * bounds the onsets; requiring {@code base.forWindows} windows beyond it only lowers the rate). Keep: p ≤ 10·p_f (one
     * decade of hysteresis). With {@code base.forWindows} = k &gt; 1, one window at p ≤ p_f^k fires at once: as
     * improbable as k independent windows at p_f together, and at most W·p_f^k = budget·p_f^(k−1) such windows a
     * week add to the budget. A budget ≤ 0 or an unknown step ({@code stepMs} ≤ 0) returns {@code base}.
     */
    public static LifecyclePolicy budgetPolicy(LifecyclePolicy base, double falseAlarmsPerWeek, long stepMs) {
        if (!(falseAlarmsPerWeek > 0) || stepMs <= 0) return base;
        double windowsPerWeek = 7 * 86_400_000.0 / stepMs;
        double fire = Math.min(0.5, falseAlarmsPerWeek / windowsPerWeek);
        double atOnce = base.forWindows > 1 ? scoreOfLog(base.forWindows * Math.log(fire)) : Double.POSITIVE_INFINITY;
        return new LifecyclePolicy(score(fire), score(Math.min(1, 10 * fire)), base.forWindows,
                base.updateEveryWindows, base.quietWindows, atOnce);
    }

    /** Approximate serialised bytes of the tail model. */
    static int approximateBytes(SeasonalState st) {
        return st.tailPeaks == null ? 0 : st.tailPeaks.length * 4 + 8 * 9 + 4 * 4 + 8;
    }
}

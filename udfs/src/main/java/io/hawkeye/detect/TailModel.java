package io.hawkeye.detect;

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
 *       ξ &lt; 0.5) and stable on few peaks. ξ is kept in [0, {@value #XI_MAX}]: a bounded tail (ξ &lt; 0) would
 *       give probability 0 beyond its end point (every larger excursion tied at the maximum score), so the
 *       lightest tail assumed is exponential. Until {@value #MIN_PEAKS} peaks are in the ring the tail is the
 *       exponential one of the normal distribution beyond u (σ = 1/u, ξ = 0), heavier than the normal's own.
 * </ul>
 * The <b>exceedance probability</b> of |z| = x on a side is p = ζ·(1 + ξ(x − u)/σ)^(−1/ξ) beyond u (ξ = 0:
 * ζ·e^(−(x − u)/σ)), the estimated rate per window of excursions reaching x; below u it is interpolated in log
 * space, p = ζ^((x/u)²), continuous at u and 1 at x = 0.
 *
 * <h2>Score</h2>
 * score = 1 − p^(1/{@value #SCORE_DECADES}): 0 at p = 1, 0.5 at p = 2·10⁻³, 0.64 at 10⁻⁴, 0.78 at 10⁻⁶,
 * <b>0.9 at 10⁻⁹</b>, 0.99 at 10⁻¹⁸. Strictly increasing in −log p for every p &gt; 0, so the ordering of the
 * probabilities is kept in the scores — to 10⁻⁹ with a step of 0.026 per decade there, and beyond: six printed
 * decimals reach 1.000000 only below p ≈ 10⁻⁵⁶. A map linear in −log p and capped at 10⁻⁹ (min(1, −log₁₀p/9))
 * would tie every excursion beyond 10⁻⁹ at 1: on a series with large rare bursts (aiops2018_kpi
 * {@code sparse_bursts_1min}: 0.23 % of points in bursts) that alone would break the 0.1 % bound on the
 * share of points at the maximum.
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
    /** Decades of probability per unit of 1 − score: score = 1 − p^(1/SCORE_DECADES); 0.9 ↔ 10⁻⁹. */
    public static final double SCORE_DECADES = 9;
    /** 1 − Φ(U): the normal distribution's exceedance rate at U, the cluster rate's prior. */
    static final double PRIOR_RATE = 0.02275;
    private static final double PRIOR_SIGMA = 1 / U;
    private static final double MIN_SIGMA = 0.05;

    private TailModel() {}

    /** Score of an exceedance probability: 1 − p^(1/9), in [0, 1], strictly decreasing in p. */
    public static double score(double p) {
        if (!(p < 1)) return 0;
        if (p <= 0) return 1;
        return -Math.expm1(Math.log(p) / SCORE_DECADES);
    }

    /** Inverse of {@link #score}: the exceedance probability with the given score. */
    public static double probabilityAt(double score) {
        if (score <= 0) return 1;
        if (score >= 1) return 0;
        return Math.exp(SCORE_DECADES * Math.log1p(-score));
    }

    /** Estimated exceedance probability per window of a robust z (its side's tail). */
    static double probability(SeasonalState st, double z) {
        int side = z >= 0 ? 0 : 1;
        double x = Math.abs(z);
        double rate = rate(st, side);
        if (x <= U) return Math.pow(rate, (x / U) * (x / U));
        double sigma = PRIOR_SIGMA;
        double xi = 0;
        if (st.tailSigma != null && stored(st, side) >= MIN_PEAKS) {
            sigma = st.tailSigma[side];
            xi = st.tailXi[side];
        }
        double y = (x - U) / sigma;
        double logSf = xi < 1e-9 ? -y : -Math.log1p(xi * y) / xi;
        return rate * Math.exp(logSf);
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
                add(st, side, st.tailOpen[side] - U);
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
     * [0, {@value #XI_MAX}] (with ξ clamped, σ = a₀(1 − ξ), which keeps the fitted mean excess).
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
        if (!(xi >= 0)) xi = 0;
        xi = Math.min(XI_MAX, xi);
        double sigma = Math.max(MIN_SIGMA, a0 * (1 - xi));
        return new double[] {sigma, xi};
    }

    /** Approximate serialised bytes of the tail model. */
    static int approximateBytes(SeasonalState st) {
        return st.tailPeaks == null ? 0 : st.tailPeaks.length * 4 + 8 * 9 + 4 * 4 + 8;
    }
}

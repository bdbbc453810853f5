package io.hawkeye.capacity;

import io.hawkeye.queueing.MMc;

/**
 * Replica sizing on the M/M/c model ({@link MMc}): the smallest replica count whose predicted p-quantile of
 * the response time (queueing wait + service) meets a latency SLO while utilisation stays at or below a
 * target. Formulas: docs/scaling.md.
 *
 * <p>Response time T = W + S with S ~ Exp(μ) and W = 0 with probability 1 − C, else Exp(θ), θ = cμ − λ
 * (C = Erlang C). Its tail is exact for M/M/c:
 * <pre>
 *   P(T &gt; t) = (1 − C)·e^{−μt} + C·(θ·e^{−μt} − μ·e^{−θt}) / (θ − μ)      (θ ≠ μ)
 *              (1 − C)·e^{−μt} + C·(1 + μt)·e^{−μt}                        (θ = μ)
 * </pre>
 * and its quantile is found by bisection. All rates per second, times in seconds.
 *
 * <p>M/G/c variant (a finite service-time cv² in the methods that take one): S lognormal with mean 1/μ and
 * squared coefficient of variation cv² (σ² = ln(1 + cv²), median e^{−σ²/2}/μ), W = 0 with probability 1 − C
 * (Erlang C of the M/M/c with the same λ, μ, c) and otherwise exponential with rate (cμ − λ)·2/(1 + cv²)
 * (Allen–Cunneen: the mean wait of M/M/c scaled by (1 + cv²)/2, Poisson arrivals). Then
 * <pre>
 *   P(T &gt; t) = P(S &gt; t) + C·E[e^{−θ(t − S)}; S ≤ t]
 * </pre>
 * with the expectation by Simpson's rule on the normal quantile of S. With cv² = NaN the methods are the exact
 * M/M/c ones (exponential service times) above.
 */
public final class CapacityModel {

    /** Default utilisation ceiling: headroom for bursts and forecast error. */
    public static final double DEFAULT_TARGET_UTILISATION = 0.7;

    private CapacityModel() {}

    /** P(T &gt; t) of the M/M/c response time; 1 when unstable. */
    public static double responseTimeTail(MMc q, double t) {
        if (t <= 0) {
            return 1;
        }
        if (!q.isStable()) {
            return 1;
        }
        double mu = q.serviceRate();
        double theta = q.servers() * mu - q.arrivalRate();
        double c = q.probabilityOfWaiting();
        double expS = Math.exp(-mu * t);
        double waited;
        if (Math.abs(theta - mu) < 1e-9 * mu) {
            waited = (1 + mu * t) * expS;
        } else {
            waited = (theta * expS - mu * Math.exp(-theta * t)) / (theta - mu);
        }
        return Math.min(1, Math.max(0, (1 - c) * expS + c * waited));
    }

    /** The p-quantile of the M/M/c response time (seconds); +∞ when unstable. */
    public static double responseTimeQuantile(MMc q, double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("p must be in (0, 1), got " + p);
        }
        if (!q.isStable()) {
            return Double.POSITIVE_INFINITY;
        }
        double lo = 0;
        double hi = q.waitQuantile(p) + Math.log(1 / (1 - p)) / q.serviceRate(); // upper bound: sum of quantiles
        for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
            double mid = (lo + hi) / 2;
            if (responseTimeTail(q, mid) > 1 - p) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }

    /** P(T &gt; t) of the M/G/c response time with lognormal service times of the given cv² (NaN: M/M/c). */
    public static double responseTimeTail(MMc q, double cv2, double t) {
        if (Double.isNaN(cv2)) {
            return responseTimeTail(q, t);
        }
        if (t <= 0 || !q.isStable()) {
            return 1;
        }
        double mu = q.serviceRate();
        double sigma = Math.sqrt(Math.log1p(Math.max(0, cv2)));
        double m = -Math.log(mu) - sigma * sigma / 2; // ln of the median
        double theta = (q.servers() * mu - q.arrivalRate()) * 2 / (1 + Math.max(0, cv2));
        double c = q.probabilityOfWaiting();
        if (sigma < 1e-9) { // constant service time 1/μ
            double s = 1 / mu;
            return s > t ? 1 : Math.min(1, c * Math.exp(-theta * (t - s)));
        }
        double zt = (Math.log(t) - m) / sigma;
        double pS = 0.5 * erfc(zt / Math.sqrt(2));
        if (!(c > 1e-12)) {
            return pS;
        }
        // Only S within 40/θ of t contributes more than e^−40 of the wait term: integrate there, on a grid fine
        // enough for a sharply peaked e^{−θ(t − S)} when θ is large (many replicas).
        double sFrom = t - 40 / theta;
        double lo = sFrom > 0 ? Math.max(-9, (Math.log(sFrom) - m) / sigma) : -9;
        double hi = Math.min(zt, 9);
        double waited = 0;
        if (hi > lo) {
            int n = 256; // even
            double h = (hi - lo) / n;
            for (int i = 0; i <= n; i++) {
                double z = lo + i * h;
                double f = Math.exp(-theta * (t - Math.exp(m + sigma * z)) - z * z / 2);
                waited += (i == 0 || i == n ? 1 : (i % 2 == 1 ? 4 : 2)) * f;
            }
            waited *= h / 3 / Math.sqrt(2 * Math.PI);
        }
        return Math.min(1, Math.max(0, pS + c * waited));
    }

    /** Whether c replicas meet the latency objective P(T &gt; sloSeconds) ≤ 1 − quantile at arrival rate λ. */
    public static boolean meetsLatency(double arrivalRate, double serviceRate, double cv2, int c, double quantile,
                                       double sloSeconds) {
        MMc q = new MMc(arrivalRate, serviceRate, c);
        return q.isStable() && responseTimeTail(q, cv2, sloSeconds) <= 1 - quantile;
    }

    /** The p-quantile of the M/G/c response time with lognormal service times of the given cv² (NaN: M/M/c). */
    public static double responseTimeQuantile(MMc q, double cv2, double p) {
        if (Double.isNaN(cv2)) {
            return responseTimeQuantile(q, p);
        }
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("p must be in (0, 1), got " + p);
        }
        if (!q.isStable()) {
            return Double.POSITIVE_INFINITY;
        }
        double hi = serviceTimeQuantile(q.serviceRate(), cv2, p) + Math.max(q.waitQuantile(p), 1 / q.serviceRate());
        while (responseTimeTail(q, cv2, hi) > 1 - p) {
            hi *= 2;
        }
        double lo = 0;
        for (int i = 0; i < 100 && hi - lo > 1e-9 * hi; i++) {
            double mid = (lo + hi) / 2;
            if (responseTimeTail(q, cv2, mid) > 1 - p) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }

    /**
     * The lognormal shape σ of the service time that explains an observed response-time quantile under
     * queueing: the σ (cv² = e^{σ²} − 1, mean 1/μ) at which the M/G/c model of {@code q} puts exactly 1 − p of the
     * response times above {@code observedSeconds}. The wait is part of the model, so windows with queueing count
     * too; the answer is only as good as the Allen–Cunneen wait and the lognormal shape. Bisection on [0, 2]: 0
     * when the waits alone explain the quantile, 2 when even σ = 2 leaves it unexplained.
     */
    public static double lognormalSigmaFromQuantile(MMc q, double p, double observedSeconds) {
        if (!(observedSeconds > 0) || !q.isStable()) {
            return Double.NaN;
        }
        double lo = 0;
        double hi = 2;
        if (responseTimeTail(q, 0, observedSeconds) >= 1 - p) {
            return 0;
        }
        if (responseTimeTail(q, Math.expm1(hi * hi), observedSeconds) <= 1 - p) {
            return hi;
        }
        for (int i = 0; i < 30; i++) {
            double mid = (lo + hi) / 2;
            if (responseTimeTail(q, Math.expm1(mid * mid), observedSeconds) > 1 - p) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return (lo + hi) / 2;
    }

    /** The p-quantile of the service time alone: exponential (cv² NaN) or lognormal with mean 1/μ and cv². */
    public static double serviceTimeQuantile(double serviceRate, double cv2, double p) {
        if (Double.isNaN(cv2)) {
            return Math.log(1 / (1 - p)) / serviceRate;
        }
        double sigma = Math.sqrt(Math.log1p(Math.max(0, cv2)));
        return Math.exp(-Math.log(serviceRate) - sigma * sigma / 2 + sigma * normalQuantile(p));
    }

    /** Standard normal quantile: Abramowitz–Stegun 26.2.23 refined by Newton steps on {@link #erfc} (≈ 1e-7). */
    public static double normalQuantile(double p) {
        double q = Math.min(p, 1 - p);
        double t = Math.sqrt(-2 * Math.log(q));
        double z = t - (2.515517 + 0.802853 * t + 0.010328 * t * t)
                / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t); // Abramowitz–Stegun 26.2.23
        for (int i = 0; i < 3; i++) { // Newton on the tail: P(Z > z) = q
            double e = 0.5 * erfc(z / Math.sqrt(2)) - q;
            z += e / (Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI));
        }
        return p < 0.5 ? -z : z;
    }

    /** Complementary error function (Numerical Recipes' Chebyshev fit, relative error &lt; 1.2e-7). */
    public static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }

    /**
     * Per-replica service rate from utilisation: μ = throughput / (replicas · utilisation). Valid when the
     * utilisation metric measures the busy fraction of request processing; NaN when not estimable
     * (no load, no replicas, utilisation ≤ 1%).
     */
    public static double serviceRateFromUtilisation(double throughputRps, double replicas, double utilisation) {
        if (!(throughputRps > 0) || !(replicas > 0) || !(utilisation > 0.01) || utilisation > 1.0001) {
            return Double.NaN;
        }
        return throughputRps / (replicas * Math.min(1, utilisation));
    }

    /**
     * Per-replica service rate from a latency observed at low load (where queueing is negligible):
     * μ = 1 / mean service time. NaN for a non-positive time.
     */
    public static double serviceRateFromLatency(double meanServiceSeconds) {
        return meanServiceSeconds > 0 ? 1 / meanServiceSeconds : Double.NaN;
    }

    /**
     * A sizing decision.
     *
     * @param replicas    the chosen replica count
     * @param utilisation ρ at that count
     * @param latency     predicted response-time quantile at that count, seconds
     * @param feasible    false when no count within the bounds meets the SLO (the count is then the bound
     *                    or the utilisation-only answer, whichever is larger)
     * @param limitedBy   "utilisation", "latency", "min_replicas", "max_replicas" or "slo_infeasible"
     */
    public record Sizing(int replicas, double utilisation, double latency, boolean feasible, String limitedBy) {}

    /**
     * The smallest c in [minReplicas, maxReplicas] with λ/(cμ) ≤ targetUtilisation and the p-quantile of
     * the M/M/c response time ≤ sloSeconds: {@link #size(double, double, double, double, double, double, double,
     * int, int)} with one λ for both and exponential service times.
     *
     * @param arrivalRate        λ, requests per second (e.g. the forecast upper bound)
     * @param serviceRate        μ per replica
     * @param quantile           e.g. 0.99
     * @param sloSeconds         latency objective for that quantile
     * @param targetUtilisation  in (0, 1]
     */
    public static Sizing size(double arrivalRate, double serviceRate, double quantile, double sloSeconds,
                              double targetUtilisation, int minReplicas, int maxReplicas) {
        return size(arrivalRate, arrivalRate, serviceRate, Double.NaN, quantile, sloSeconds, targetUtilisation,
                minReplicas, maxReplicas);
    }

    /**
     * The smallest c in [minReplicas, maxReplicas] with utilisationRate/(cμ) ≤ targetUtilisation and the
     * p-quantile of the response time at latencyRate ≤ sloSeconds (M/G/c with lognormal service times of the
     * given cv², or M/M/c for cv² = NaN). Two rates because they answer different risks: the utilisation
     * ceiling keeps headroom above the expected load, the latency objective must hold at a pessimistic one
     * (e.g. the forecast's upper bound).
     *
     * @param utilisationRate    λ the utilisation ceiling applies to, requests per second
     * @param latencyRate        λ the latency objective must hold at (≥ 0)
     * @param serviceRate        μ per replica
     * @param cv2                squared coefficient of variation of the service time; NaN = exponential (M/M/c)
     * @param quantile           e.g. 0.99
     * @param sloSeconds         latency objective for that quantile
     * @param targetUtilisation  in (0, 1]
     */
    public static Sizing size(double utilisationRate, double latencyRate, double serviceRate, double cv2,
                              double quantile, double sloSeconds, double targetUtilisation, int minReplicas,
                              int maxReplicas) {
        if (!(serviceRate > 0) || !(utilisationRate >= 0) || !(latencyRate >= 0)
                || !(targetUtilisation > 0 && targetUtilisation <= 1) || minReplicas < 1
                || maxReplicas < minReplicas || cv2 < 0) {
            throw new IllegalArgumentException("invalid sizing input: λ=" + utilisationRate + "/" + latencyRate
                    + " μ=" + serviceRate + " cv²=" + cv2 + " target=" + targetUtilisation + " min=" + minReplicas
                    + " max=" + maxReplicas);
        }
        int byUtil = (int) Math.ceil(utilisationRate / (serviceRate * targetUtilisation) - 1e-9);
        int c = Math.max(minReplicas, Math.max(1, byUtil));
        String limit = c == minReplicas && byUtil < minReplicas ? "min_replicas" : "utilisation";
        // Even infinitely many replicas cannot beat the service time itself.
        boolean feasible = serviceTimeQuantile(serviceRate, cv2, quantile) <= sloSeconds;
        for (; c <= maxReplicas; c++) {
            MMc q = new MMc(latencyRate, serviceRate, c);
            if (!feasible) {
                return new Sizing(c, utilisationRate / (c * serviceRate), responseTimeQuantile(q, cv2, quantile),
                        false, "slo_infeasible");
            }
            if (meetsLatency(latencyRate, serviceRate, cv2, c, quantile, sloSeconds)) {
                return new Sizing(c, utilisationRate / (c * serviceRate), responseTimeQuantile(q, cv2, quantile),
                        true, limit);
            }
            limit = "latency";
        }
        MMc q = new MMc(latencyRate, serviceRate, maxReplicas);
        return new Sizing(maxReplicas, utilisationRate / (maxReplicas * serviceRate),
                responseTimeQuantile(q, cv2, quantile), false, "max_replicas");
    }
}

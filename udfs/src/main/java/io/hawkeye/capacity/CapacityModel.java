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
     * the response time ≤ sloSeconds.
     *
     * @param arrivalRate        λ, requests per second (e.g. the forecast upper bound)
     * @param serviceRate        μ per replica
     * @param quantile           e.g. 0.99
     * @param sloSeconds         latency objective for that quantile
     * @param targetUtilisation  in (0, 1]
     */
    public static Sizing size(double arrivalRate, double serviceRate, double quantile, double sloSeconds,
                              double targetUtilisation, int minReplicas, int maxReplicas) {
        if (!(serviceRate > 0) || !(arrivalRate >= 0) || !(targetUtilisation > 0 && targetUtilisation <= 1)
                || minReplicas < 1 || maxReplicas < minReplicas) {
            throw new IllegalArgumentException("invalid sizing input: λ=" + arrivalRate + " μ=" + serviceRate
                    + " target=" + targetUtilisation + " min=" + minReplicas + " max=" + maxReplicas);
        }
        int byUtil = (int) Math.ceil(arrivalRate / (serviceRate * targetUtilisation) - 1e-9);
        int c = Math.max(minReplicas, Math.max(1, byUtil));
        String limit = c == minReplicas && byUtil < minReplicas ? "min_replicas" : "utilisation";
        // Even infinitely many replicas cannot beat the service time itself.
        double floor = Math.log(1 / (1 - quantile)) / serviceRate;
        boolean feasible = floor <= sloSeconds;
        for (; c <= maxReplicas; c++) {
            MMc q = new MMc(arrivalRate, serviceRate, c);
            double lat = responseTimeQuantile(q, quantile);
            if (!feasible || lat <= sloSeconds) {
                return new Sizing(c, q.utilisation(), lat, feasible, feasible ? limit : "slo_infeasible");
            }
            limit = "latency";
        }
        MMc q = new MMc(arrivalRate, serviceRate, maxReplicas);
        return new Sizing(maxReplicas, q.utilisation(), responseTimeQuantile(q, quantile), false, "max_replicas");
    }
}

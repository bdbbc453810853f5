package io.hawkeye.jobs.scale;

import java.util.Arrays;
import java.util.Objects;

/**
 * Per-service state of the {@link ScalingPlanner} besides the forecaster: the service-rate and service-time shape
 * estimates, the last action, the recommendations of the stabilisation window and the running forecast score.
 * Small and bounded: the history holds one entry per window of the stabilisation window. A Flink POJO.
 */
public class ScalerState {
    public long lastWindowEnd = Long.MIN_VALUE;
    /** Start of the first window seen of the service (scale-downs wait for one stabilisation window of it). */
    public long firstSeenAt = Long.MIN_VALUE;
    /** EWMA mean and variance of ln(rps) over recent windows, for the reactive warm-up's p90 (NaN: none yet). */
    public double loadLogMean = Double.NaN;
    public double loadLogVar;
    /** Last reported replica count, -1 while unknown. */
    public int replicas = -1;
    /** Decayed sums of throughput and busy replicas (replicas × utilisation): μ ≈ muNum / muDen. */
    public double muNum;
    public double muDen;
    /** The same sums with a short time constant: a slowdown (μ drops) is seen within minutes. */
    public double muShortNum;
    public double muShortDen;
    /**
     * Decayed sum and weight of the per-window lognormal shape estimates σ̂ of the service time (from the latency
     * p99, see {@code ScalingPlanner}): the service-time cv² is e^{σ̄²} − 1 ({@link #serviceTimeCv2}).
     */
    public double sigmaSum;
    public double sigmaWeight;

    public long lastActionAt = Long.MIN_VALUE;
    public int lastActionCurrent = -1;
    public int lastActionDesired = -1;
    public long lastActionValidUntil = Long.MIN_VALUE;
    /** Recommendations (event time, replicas) within the stabilisation window, oldest first. */
    public long[] recTimes = new long[0];
    public int[] recReplicas = new int[0];

    public long scoreSince = Long.MIN_VALUE;
    public long lastScoreAt = Long.MIN_VALUE;
    public long scoreCount;
    public double sumAbsError;
    public long naiveCount;
    public double sumAbsErrorOnNaive;
    public double sumAbsErrorNaive;
    public long intervalCount;
    public long covered;
    public long belowUpper;

    public ScalerState() {}

    /** Adds a recommendation and forgets those older than {@code window}; returns the largest kept. */
    public int recordRecommendation(long now, int replicas, long windowMillis) {
        int keepFrom = 0;
        while (keepFrom < recTimes.length && recTimes[keepFrom] <= now - windowMillis) keepFrom++;
        int n = recTimes.length - keepFrom;
        long[] t = Arrays.copyOfRange(recTimes, keepFrom, recTimes.length + 1);
        int[] r = Arrays.copyOfRange(recReplicas, keepFrom, recReplicas.length + 1);
        t[n] = now;
        r[n] = replicas;
        recTimes = t;
        recReplicas = r;
        int max = Integer.MIN_VALUE;
        for (int v : r) max = Math.max(max, v);
        return max;
    }

    /**
     * Adds a window's rps to the EWMA of ln(rps) (weight {@code a} of the new value); windows without load are
     * skipped (the logarithm needs rps &gt; 0).
     */
    public void updateLoad(double rps, double a) {
        if (!(rps > 0) || !Double.isFinite(rps)) return;
        double x = Math.log(rps);
        if (Double.isNaN(loadLogMean)) {
            loadLogMean = x;
            loadLogVar = 0;
            return;
        }
        double d = x - loadLogMean;
        loadLogMean += a * d;
        loadLogVar = (1 - a) * (loadLogVar + a * d * d);
    }

    /** The q-quantile of the recent load under a lognormal model, z = the normal quantile; NaN without load. */
    public double loadQuantile(double z) {
        return Double.isNaN(loadLogMean) ? Double.NaN : Math.exp(loadLogMean + z * Math.sqrt(loadLogVar));
    }

    /**
     * The per-replica service rate: the smaller of the long-term and the short-term estimate, so that a service
     * that got slower (a slow dependency, a noisy neighbour) is sized for it within minutes, while a faster one
     * is trusted only after hours; NaN while unknown.
     */
    public double serviceRate() {
        double slow = muDen > 0 ? muNum / muDen : Double.NaN;
        double fast = muShortDen > 0 ? muShortNum / muShortDen : Double.NaN;
        if (Double.isNaN(fast)) return slow;
        if (Double.isNaN(slow)) return fast;
        return Math.min(slow, fast);
    }

    /** Adds one window's lognormal shape estimate σ̂, weight 1, after decaying the earlier ones by {@code decay}. */
    public void updateServiceTimeShape(double sigma, double decay) {
        sigmaSum = sigmaSum * decay + sigma;
        sigmaWeight = sigmaWeight * decay + 1;
    }

    /** The long-term service-rate estimate alone (NaN while unknown): steadier than {@link #serviceRate()}. */
    public double longTermServiceRate() {
        return muDen > 0 ? muNum / muDen : Double.NaN;
    }

    /**
     * The squared coefficient of variation of the service time, e^{σ̄²} − 1 for the mean σ̄ of the lognormal shape
     * estimates, once they carry at least {@code minWeight} windows; NaN before (the caller then assumes
     * exponential service times, cv² = 1 with an exponential tail).
     */
    public double serviceTimeCv2(double minWeight) {
        if (!(sigmaWeight >= minWeight)) return Double.NaN;
        double sigma = Math.max(0, sigmaSum / sigmaWeight);
        return Math.expm1(sigma * sigma);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof ScalerState s)) return false;
        return lastWindowEnd == s.lastWindowEnd && firstSeenAt == s.firstSeenAt
                && Double.compare(loadLogMean, s.loadLogMean) == 0 && Double.compare(loadLogVar, s.loadLogVar) == 0
                && replicas == s.replicas && Double.compare(muNum, s.muNum) == 0
                && Double.compare(muDen, s.muDen) == 0
                && Double.compare(muShortNum, s.muShortNum) == 0 && Double.compare(muShortDen, s.muShortDen) == 0
                && Double.compare(sigmaSum, s.sigmaSum) == 0 && Double.compare(sigmaWeight, s.sigmaWeight) == 0
                && lastActionAt == s.lastActionAt
                && lastActionCurrent == s.lastActionCurrent && lastActionDesired == s.lastActionDesired
                && lastActionValidUntil == s.lastActionValidUntil && Arrays.equals(recTimes, s.recTimes)
                && Arrays.equals(recReplicas, s.recReplicas) && scoreSince == s.scoreSince
                && lastScoreAt == s.lastScoreAt && scoreCount == s.scoreCount
                && Double.compare(sumAbsError, s.sumAbsError) == 0 && naiveCount == s.naiveCount
                && Double.compare(sumAbsErrorOnNaive, s.sumAbsErrorOnNaive) == 0
                && Double.compare(sumAbsErrorNaive, s.sumAbsErrorNaive) == 0 && intervalCount == s.intervalCount
                && covered == s.covered && belowUpper == s.belowUpper;
    }

    @Override
    public int hashCode() {
        return Objects.hash(lastWindowEnd, replicas, lastActionAt, scoreCount);
    }
}

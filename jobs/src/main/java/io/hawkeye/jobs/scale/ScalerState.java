package io.hawkeye.jobs.scale;

import java.util.Arrays;
import java.util.Objects;

/**
 * Per-service state of the {@link ScalingPlanner} besides the forecaster: the service-rate estimate, the last
 * action, the recommendations of the stabilisation window and the running forecast score. Small and bounded:
 * the history holds one entry per window of the stabilisation window. A Flink POJO.
 */
public class ScalerState {
    public long lastWindowEnd = Long.MIN_VALUE;
    /** Last reported replica count, -1 while unknown. */
    public int replicas = -1;
    /** Decayed sums of throughput and busy replicas (replicas × utilisation): μ ≈ muNum / muDen. */
    public double muNum;
    public double muDen;

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

    public double serviceRate() {
        return muDen > 0 ? muNum / muDen : Double.NaN;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof ScalerState s)) return false;
        return lastWindowEnd == s.lastWindowEnd && replicas == s.replicas && Double.compare(muNum, s.muNum) == 0
                && Double.compare(muDen, s.muDen) == 0 && lastActionAt == s.lastActionAt
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

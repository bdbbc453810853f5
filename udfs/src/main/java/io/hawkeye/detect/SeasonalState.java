package io.hawkeye.detect;

import java.util.Arrays;
import java.util.Objects;

/**
 * Per-series state of {@link SeasonalDetector}; a Flink POJO (RocksDB-friendly: primitive arrays only).
 *
 * <p>Size: ~250 bytes of scalars plus 10 bytes per seasonal bucket (float mean, float spread, short count):
 * at most 288 daily + 168 weekly buckets = 4.7 KB per series at 1- or 5-minute windows; 2.8 KB at 15-minute
 * windows (96 + 168); 2.1 KB at hourly data (24 + 168).
 */
public class SeasonalState {
    public long stepMs;
    public long firstTs;
    public long lastTs;
    public long n;
    /** Local-level model. */
    public double levelL;
    public double spreadL;
    /** Seasonal models: the daily model's level, daily profile; the weekly model's level and time-of-week profile. */
    public double levelS;
    public double levelW;
    public double spreadD;
    public double spreadW;
    public float[] daily;
    public float[] dailySpread;
    public short[] dailyCount;
    public float[] weekly;
    public float[] weeklySpread;
    public short[] weeklyCount;
    /** Tracked one-step absolute errors of the candidates; counts of tracked samples. */
    public double errL;
    public double errD;
    public double errW;
    public long nErrD;
    public long nErrW;
    /** Current run of same-direction residuals beyond clipZ. */
    public int run;
    public int runCount;
    public double runSumL;
    public double runSumS;
    public double runSumW;
    /**
     * The last level shift adopted as the new normal (per model: level, daily, weekly) and when (window start; 0 =
     * none or already undone): a return to the pre-shift level within a week restores the old levels.
     */
    public double shiftL;
    public double shiftS;
    public double shiftW;
    public long shiftTs;
    /** Fast local corrections of the daily and weekly candidates (recent mean of their residuals). */
    public double biasD;
    public double biasW;
    /**
     * Noise model ({@link NoiseModel}): observations seen by it, the previous raw and transformed value, the
     * smallest non-zero step (quantum, 0 = none yet), the range, whether a non-integer was seen, and the running
     * mean of log|Δy| over the {@code moves} non-zero moves.
     */
    public long nNoise;
    public double lastValue;
    public double lastY;
    public double quantum;
    public double minValue;
    public double maxValue;
    public boolean nonInteger;
    public long moves;
    public double moveLogMean;
    /**
     * Tail model ({@link TailModel}), per side (index 0 up, 1 down): the ring of the last cluster peaks' excesses
     * (side-major, {@link TailModel#PEAKS} per side), peaks added, cluster rate, the open cluster's peak (0 = none),
     * windows below the threshold since it, the fitted generalised Pareto scale and shape; windows learnt from.
     * Null until the first READY window.
     */
    public float[] tailPeaks;
    public int[] tailCount;
    public double[] tailRate;
    public double[] tailOpen;
    public int[] tailBelow;
    public double[] tailSigma;
    public double[] tailXi;
    public long tailN;

    public SeasonalState() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof SeasonalState s)) return false;
        return stepMs == s.stepMs && firstTs == s.firstTs && lastTs == s.lastTs && n == s.n
                && Double.compare(levelL, s.levelL) == 0 && Double.compare(spreadL, s.spreadL) == 0
                && Double.compare(levelS, s.levelS) == 0
                && Double.compare(levelW, s.levelW) == 0 && Double.compare(runSumW, s.runSumW) == 0
                && Double.compare(shiftL, s.shiftL) == 0 && Double.compare(shiftS, s.shiftS) == 0
                && Double.compare(shiftW, s.shiftW) == 0 && shiftTs == s.shiftTs
                && Double.compare(biasD, s.biasD) == 0 && Double.compare(biasW, s.biasW) == 0 && Double.compare(spreadD, s.spreadD) == 0
                && Double.compare(spreadW, s.spreadW) == 0 && Arrays.equals(daily, s.daily)
                && Arrays.equals(dailySpread, s.dailySpread) && Arrays.equals(dailyCount, s.dailyCount)
                && Arrays.equals(weekly, s.weekly) && Arrays.equals(weeklySpread, s.weeklySpread)
                && Arrays.equals(weeklyCount, s.weeklyCount) && Double.compare(errL, s.errL) == 0
                && Double.compare(errD, s.errD) == 0 && Double.compare(errW, s.errW) == 0 && nErrD == s.nErrD
                && nErrW == s.nErrW && run == s.run && runCount == s.runCount
                && Double.compare(runSumL, s.runSumL) == 0 && Double.compare(runSumS, s.runSumS) == 0
                && nNoise == s.nNoise && Double.compare(lastValue, s.lastValue) == 0
                && Double.compare(lastY, s.lastY) == 0 && Double.compare(quantum, s.quantum) == 0
                && Double.compare(minValue, s.minValue) == 0 && Double.compare(maxValue, s.maxValue) == 0
                && nonInteger == s.nonInteger && moves == s.moves
                && Double.compare(moveLogMean, s.moveLogMean) == 0
                && Arrays.equals(tailPeaks, s.tailPeaks) && Arrays.equals(tailCount, s.tailCount)
                && Arrays.equals(tailRate, s.tailRate) && Arrays.equals(tailOpen, s.tailOpen)
                && Arrays.equals(tailBelow, s.tailBelow) && Arrays.equals(tailSigma, s.tailSigma)
                && Arrays.equals(tailXi, s.tailXi) && tailN == s.tailN;
    }

    @Override
    public int hashCode() {
        return Objects.hash(stepMs, firstTs, lastTs, n, levelL);
    }

    /** Approximate serialised size in bytes (what RocksDB stores for the series). */
    public int approximateBytes() {
        int b = 8 * 34 + 4 * 3 + 1;
        if (daily != null) b += daily.length * 10 + 12;
        if (weekly != null) b += weekly.length * 10 + 12;
        return b + TailModel.approximateBytes(this);
    }
}

package io.hawkeye.alerts;

/**
 * When an alert fires, updates and resolves. Fire once the score has been at least {@code fireScore} for
 * {@code forWindows} consecutive windows; while firing, any window with score ≥ {@code keepScore} keeps it
 * firing (hysteresis: a score oscillating around fireScore does not flap); send an update at most every
 * {@code updateEveryWindows} windows while firing; resolve after {@code quietWindows} consecutive windows below
 * keepScore.
 */
public final class LifecyclePolicy implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public final double fireScore;
    public final double keepScore;
    public final int forWindows;
    public final int updateEveryWindows;
    public final int quietWindows;
    /**
     * A single window scoring at least this fires at once, without waiting for {@code forWindows} (default +∞:
     * never). Set by {@link #forBudget}: the evidence of one window as improbable as {@code forWindows} windows at
     * the fire level together.
     */
    public final double fireAtOnceScore;

    public LifecyclePolicy(double fireScore, double keepScore, int forWindows, int updateEveryWindows,
            int quietWindows) {
        this(fireScore, keepScore, forWindows, updateEveryWindows, quietWindows, Double.POSITIVE_INFINITY);
    }

    public LifecyclePolicy(double fireScore, double keepScore, int forWindows, int updateEveryWindows,
            int quietWindows, double fireAtOnceScore) {
        if (keepScore > fireScore) throw new IllegalArgumentException("keepScore must be <= fireScore");
        if (forWindows < 1 || updateEveryWindows < 1 || quietWindows < 1) {
            throw new IllegalArgumentException("window counts must be >= 1");
        }
        this.fireScore = fireScore;
        this.keepScore = keepScore;
        this.forWindows = forWindows;
        this.updateEveryWindows = updateEveryWindows;
        this.quietWindows = quietWindows;
        this.fireAtOnceScore = fireAtOnceScore;
    }

    /** Seasonal default: fire at 0.9 after 2 windows, stay while ≥ 0.7, update every 5, resolve after 3 quiet. */
    public static LifecyclePolicy seasonalDefault() {
        return new LifecyclePolicy(0.9, 0.7, 2, 5, 3);
    }

    /**
     * This policy with the fire and keep scores of a false-alarm budget (issue 12 item 3): a seasonal detector's
     * score is {@link io.hawkeye.detect.TailModel#score} of the estimated probability per window of an excursion as
     * far out ({@link io.hawkeye.detect.DetectionResult#probability}), so a series with windows of {@code stepMs}
     * has W = 1 week / step windows a week and fires at p ≤ p_f = budget / W: in expectation at most
     * {@code falseAlarmsPerWeek} excursions a week reach it (the tail model counts excursions, declustered, so W·p_f
     * bounds the onsets; requiring {@code forWindows} windows beyond it only lowers the rate). Keep: p ≤ 10·p_f (one
     * decade of hysteresis). With {@code forWindows} = k &gt; 1, one window at p ≤ p_f^k fires at once: as
     * improbable as k independent windows at p_f together, and at most W·p_f^k = budget·p_f^(k−1) such windows a
     * week add to the budget. A budget ≤ 0 or an unknown step ({@code stepMs} ≤ 0) keeps this policy's scores.
     */
    public LifecyclePolicy forBudget(double falseAlarmsPerWeek, long stepMs) {
        if (!(falseAlarmsPerWeek > 0) || stepMs <= 0) return this;
        double windowsPerWeek = 7 * 86_400_000.0 / stepMs;
        double fire = Math.min(0.5, falseAlarmsPerWeek / windowsPerWeek);
        double atOnce = forWindows > 1 ? io.hawkeye.detect.TailModel.scoreOfLog(forWindows * Math.log(fire))
                : Double.POSITIVE_INFINITY;
        return new LifecyclePolicy(io.hawkeye.detect.TailModel.score(fire),
                io.hawkeye.detect.TailModel.score(Math.min(1, 10 * fire)), forWindows, updateEveryWindows,
                quietWindows, atOnce);
    }

    /** For a boolean condition (rules): score 1 when true, 0 when false. */
    public static LifecyclePolicy forCondition(int forWindows, int updateEveryWindows, int quietWindows) {
        return new LifecyclePolicy(1, 1, forWindows, updateEveryWindows, quietWindows);
    }
}

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
     * never). Set by {@code TailModel.budgetPolicy}: the evidence of one window as improbable as {@code forWindows} windows at
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

    /** For a boolean condition (rules): score 1 when true, 0 when false. */
    public static LifecyclePolicy forCondition(int forWindows, int updateEveryWindows, int quietWindows) {
        return new LifecyclePolicy(1, 1, forWindows, updateEveryWindows, quietWindows);
    }
}

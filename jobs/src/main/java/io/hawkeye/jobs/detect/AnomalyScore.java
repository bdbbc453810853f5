package io.hawkeye.jobs.detect;

/**
 * The seasonal detector's verdict on one window of one series, emitted for every scored window (side output
 * {@link io.hawkeye.jobs.SideOutputs#ANOMALY_SCORES}) — including LEARNING windows, so a detector that is still
 * learning is visible, never silent. {@code absent} marks a window scored by the gap policy (no data, counted as zero
 * traffic). A Flink POJO.
 */
public class AnomalyScore extends SignalValue {
    public double expected;
    public double lower;
    public double upper;
    /** In [0, 1]; 0 while LEARNING. */
    public double score;
    public double z;
    /** "up", "down" or "none". */
    public String direction;
    /** "LEARNING" or "READY". */
    public String state;
    /** Baseline in use: level, daily or weekly. */
    public String model;
    public boolean absent;

    public AnomalyScore() {}

    @Override
    public String toString() {
        return service + "/" + endpoint + " " + signal + "@" + windowStart + " v=" + value + " exp=" + expected
                + " score=" + score + " " + state + (absent ? " absent" : "");
    }
}

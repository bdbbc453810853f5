package io.hawkeye.jobs.detect;

import java.util.Objects;

/**
 * The seasonal detector's verdict on one window of one series, emitted for every scored window (side output
 * {@link io.hawkeye.jobs.SideOutputs#ANOMALY_SCORES}) — including LEARNING windows, so a detector that is still
 * learning is visible, never silent. {@code absent} marks a window scored by the gap policy (no data, counted as zero
 * traffic). A Flink POJO.
 */
public class AnomalyScore {
    public String scope;
    public String service;
    public String endpoint;
    public String signal;
    public long windowStart;
    public long windowEnd;
    public double value;
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
    public boolean equals(Object o) {
        return o instanceof AnomalyScore a && windowStart == a.windowStart && windowEnd == a.windowEnd
                && Double.compare(value, a.value) == 0 && Double.compare(expected, a.expected) == 0
                && Double.compare(lower, a.lower) == 0 && Double.compare(upper, a.upper) == 0
                && Double.compare(score, a.score) == 0 && Double.compare(z, a.z) == 0 && absent == a.absent
                && Objects.equals(scope, a.scope) && Objects.equals(service, a.service)
                && Objects.equals(endpoint, a.endpoint) && Objects.equals(signal, a.signal)
                && Objects.equals(direction, a.direction) && Objects.equals(state, a.state)
                && Objects.equals(model, a.model);
    }

    @Override
    public int hashCode() {
        return Objects.hash(service, endpoint, signal, windowStart);
    }

    @Override
    public String toString() {
        return service + "/" + endpoint + " " + signal + "@" + windowStart + " v=" + value + " exp=" + expected
                + " score=" + score + " " + state + (absent ? " absent" : "");
    }
}

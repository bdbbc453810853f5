package io.hawkeye.jobs.correlate;

import java.util.Objects;

/**
 * Calls on one edge caller → callee in one window: the pre-aggregate (and the window accumulator) of the
 * dependency-graph learner. A Flink POJO.
 */
public class EdgeStats {
    public String caller;
    public String callee;
    public long windowStart;
    public long windowEnd;
    public long calls;
    public long errors;
    public double latencySumMs;

    public EdgeStats() {}

    public String key() {
        return caller + "|" + callee;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof EdgeStats e)) return false;
        return windowStart == e.windowStart && windowEnd == e.windowEnd && calls == e.calls && errors == e.errors
                && Double.compare(latencySumMs, e.latencySumMs) == 0 && Objects.equals(caller, e.caller)
                && Objects.equals(callee, e.callee);
    }

    @Override
    public int hashCode() {
        return Objects.hash(caller, callee, windowStart, calls);
    }

    @Override
    public String toString() {
        return "EdgeStats{" + key() + " [" + windowStart + "," + windowEnd + ") calls=" + calls + " errors=" + errors
                + "}";
    }
}

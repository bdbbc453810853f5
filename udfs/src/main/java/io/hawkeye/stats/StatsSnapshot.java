package io.hawkeye.stats;

import com.datadoghq.sketch.ddsketch.DDSketch;
import io.hawkeye.sketch.Sketches;
import java.util.Arrays;
import java.util.Objects;

/**
 * Serialisable statistics of one series over one window (or a part of it): what a local pre-aggregate ships,
 * what the window state holds, and what a result is computed from. A Flink POJO.
 *
 * <p>Merging is exact: counts, errors, min, max and the "last" value (the one with the greatest timestamp, ties
 * broken by the larger value so the outcome does not depend on merge order) are exact, the DDSketch merge is
 * exact bin by bin, so the quantiles of merged partials are identical to those of a single pass. Only
 * {@code sum} can differ from a single pass in the last bits, because floating-point addition is not
 * associative.
 */
public class StatsSnapshot {
    public long count;
    public long errors;
    public double sum;
    public double min = Double.POSITIVE_INFINITY;
    public double max = Double.NEGATIVE_INFINITY;
    public long lastTs = Long.MIN_VALUE;
    public double lastValue = Double.NaN;
    public double relativeAccuracy;
    /** DDSketch binary encoding, see {@link Sketches}. */
    public byte[] sketch;

    public StatsSnapshot() {}

    /** Merges {@code other} into this snapshot. */
    public void merge(StatsSnapshot other) {
        if (other.count == 0) return;
        if (count == 0) {
            copyFrom(other);
            return;
        }
        DDSketch merged = Sketches.fromBytes(sketch);
        Sketches.mergeInto(merged, other.sketch);
        sketch = Sketches.toBytes(merged);
        count += other.count;
        errors += other.errors;
        sum += other.sum;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
        if (other.lastTs > lastTs || (other.lastTs == lastTs && other.lastValue > lastValue)) {
            lastTs = other.lastTs;
            lastValue = other.lastValue;
        }
    }

    private void copyFrom(StatsSnapshot o) {
        count = o.count;
        errors = o.errors;
        sum = o.sum;
        min = o.min;
        max = o.max;
        lastTs = o.lastTs;
        lastValue = o.lastValue;
        relativeAccuracy = o.relativeAccuracy;
        sketch = o.sketch == null ? null : o.sketch.clone();
    }

    public DDSketch decodeSketch() {
        return Sketches.fromBytes(sketch);
    }

    public double mean() {
        return count == 0 ? Double.NaN : sum / count;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof StatsSnapshot s)) return false;
        return count == s.count && errors == s.errors && Double.compare(sum, s.sum) == 0
                && Double.compare(min, s.min) == 0 && Double.compare(max, s.max) == 0 && lastTs == s.lastTs
                && Double.compare(lastValue, s.lastValue) == 0
                && Double.compare(relativeAccuracy, s.relativeAccuracy) == 0 && Arrays.equals(sketch, s.sketch);
    }

    @Override
    public int hashCode() {
        return Objects.hash(count, errors, sum, min, max, lastTs, lastValue, relativeAccuracy,
                Arrays.hashCode(sketch));
    }

    @Override
    public String toString() {
        return "StatsSnapshot{count=" + count + ", errors=" + errors + ", min=" + min + ", max=" + max + "}";
    }
}

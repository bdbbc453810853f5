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
        offerLast(other.lastTs, other.lastValue);
    }

    /**
     * Adds one value to the exact statistics (count, errors, sum, min, max, last), not to the sketch: the part of
     * {@link StatsAccumulator#add} that is not the live sketch.
     */
    void addExact(double value, long ts, boolean error) {
        count++;
        if (error) errors++;
        sum += value;
        if (value < min) min = value;
        if (value > max) max = value;
        offerLast(ts, value);
    }

    /** Takes {@code value} as the last one if its timestamp is later (on a tie, if it is larger). */
    private void offerLast(long ts, double value) {
        if (ts > lastTs || (ts == lastTs && value > lastValue)) {
            lastTs = ts;
            lastValue = value;
        }
    }

    /** A copy of this snapshot (the sketch bytes copied too). */
    StatsSnapshot copy() {
        StatsSnapshot c = new StatsSnapshot();
        c.copyFrom(this);
        return c;
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

    /**
     * The sketch's values at quantiles {@code qs}, each clamped to the exact min and max: a sketch's bin
     * representatives may fall a hair outside the exact range.
     */
    public double[] quantiles(double... qs) {
        double[] values = decodeSketch().getValuesAtQuantiles(qs);
        for (int i = 0; i < values.length; i++) values[i] = clamp(values[i], min, max);
        return values;
    }

    static double clamp(double v, double min, double max) {
        return Math.max(min, Math.min(max, v));
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

package io.hawkeye.stats;

import com.datadoghq.sketch.ddsketch.DDSketch;
import io.hawkeye.sketch.Sketches;

/**
 * The live, mutable statistics of one series in one window: exact count, errors, sum, min, max and last value,
 * plus a DDSketch for quantiles. Lives on the heap of the local pre-aggregator; {@link #snapshot()} turns it into
 * the serialisable {@link StatsSnapshot} that is shuffled and kept in state.
 */
public final class StatsAccumulator {
    private final DDSketch sketch;
    private long count;
    private long errors;
    private double sum;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private long lastTs = Long.MIN_VALUE;
    private double lastValue = Double.NaN;

    public StatsAccumulator(double relativeAccuracy) {
        this.sketch = Sketches.create(relativeAccuracy);
    }

    public void add(double value, long ts, boolean error) {
        sketch.accept(value);
        count++;
        if (error) errors++;
        sum += value;
        if (value < min) min = value;
        if (value > max) max = value;
        if (ts > lastTs || (ts == lastTs && value > lastValue)) {
            lastTs = ts;
            lastValue = value;
        }
    }

    public long count() {
        return count;
    }

    public long errors() {
        return errors;
    }

    /**
     * The sketch's value at quantile {@code q}, clamped to the exact min and max (a bin representative may fall a
     * hair outside them); NaN when nothing was added.
     */
    public double quantile(double q) {
        return count == 0 ? Double.NaN : WindowStats.clamp(sketch.getValueAtQuantile(q), min, max);
    }

    public StatsSnapshot snapshot() {
        StatsSnapshot s = new StatsSnapshot();
        s.count = count;
        s.errors = errors;
        s.sum = sum;
        s.min = min;
        s.max = max;
        s.lastTs = lastTs;
        s.lastValue = lastValue;
        s.relativeAccuracy = Sketches.relativeAccuracy(sketch);
        s.sketch = Sketches.toBytes(sketch);
        return s;
    }
}

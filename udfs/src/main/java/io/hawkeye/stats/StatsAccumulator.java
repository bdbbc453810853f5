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
    /** The exact statistics (all but the sketch), kept as the snapshot keeps them. */
    private final StatsSnapshot exact = new StatsSnapshot();

    public StatsAccumulator(double relativeAccuracy) {
        this.sketch = Sketches.create(relativeAccuracy);
    }

    public void add(double value, long ts, boolean error) {
        sketch.accept(value);
        exact.addExact(value, ts, error);
    }

    public long count() {
        return exact.count;
    }

    public long errors() {
        return exact.errors;
    }

    /**
     * The sketch's value at quantile {@code q}, clamped to the exact min and max (a bin representative may fall a
     * hair outside them); NaN when nothing was added.
     */
    public double quantile(double q) {
        return exact.count == 0 ? Double.NaN : StatsSnapshot.clamp(sketch.getValueAtQuantile(q), exact.min, exact.max);
    }

    public StatsSnapshot snapshot() {
        StatsSnapshot s = exact.copy();
        s.relativeAccuracy = Sketches.relativeAccuracy(sketch);
        s.sketch = Sketches.toBytes(sketch);
        return s;
    }
}

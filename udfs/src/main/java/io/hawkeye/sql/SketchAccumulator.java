package io.hawkeye.sql;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.store.Bin;
import com.datadoghq.sketch.ddsketch.store.CollapsingLowestDenseStore;
import com.datadoghq.sketch.ddsketch.store.Store;
import io.hawkeye.sketch.Sketches;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.table.annotation.DataTypeHint;

/**
 * The accumulator of every sketch aggregate ({@link ApproxPercentile}, {@link ApproxPercentiles}, {@link Sketch},
 * {@link SketchMerge}): a DDSketch of the accumulated values plus, only after a retraction, a second DDSketch of the
 * retracted values.
 *
 * <p>Declared as a {@code RAW} type with {@link SketchAccumulatorSerializer}, so Flink keeps the live object in the
 * aggregation state (no per-row conversion) and writes it to checkpoints as {@link Sketches#toBytes} bytes (compact:
 * 0.1–2 KB, independent of the number of values).
 *
 * <p>Why two sketches: DDSketch rejects negative counts ({@code accept(value, -1)} throws "The count cannot be
 * negative"), so a retraction cannot decrement the value's bucket in place. Instead it is added to {@link #retracted};
 * reading the result subtracts the retracted sketch's bins from the accumulated one, bin by bin (same index mapping),
 * which gives exactly the sketch of the values still in the window.
 */
@DataTypeHint(value = "RAW", bridgedTo = SketchAccumulator.class, rawSerializer = SketchAccumulatorSerializer.class)
public final class SketchAccumulator {

    /** Accumulated values (null until the first value). */
    public DDSketch added;
    /** Retracted values (null until the first retraction). */
    public DDSketch retracted;
    /** Quantile(s) last requested by the call (the query's constant), null before the first row. */
    public double[] quantiles;

    public SketchAccumulator() {}

    /** Adds a finite value; creates the sketch on first use with {@code relativeAccuracy}. */
    void add(double value, double relativeAccuracy) {
        if (added == null) added = Sketches.create(relativeAccuracy);
        added.accept(value);
    }

    void retract(double value, double relativeAccuracy) {
        if (retracted == null) retracted = Sketches.create(relativeAccuracy);
        retracted.accept(value);
    }

    /** Merges another sketch into {@link #added}; false (and nothing merged) if its accuracy differs. */
    boolean mergeSketch(DDSketch other) {
        if (other == null) return true;
        if (added == null) {
            added = other.copy();
            return true;
        }
        if (Sketches.relativeAccuracy(other) != Sketches.relativeAccuracy(added)) return false;
        added.mergeWith(other);
        return true;
    }

    void merge(SketchAccumulator other) {
        if (other.added != null && !mergeSketch(other.added)) {
            throw new IllegalArgumentException("cannot merge sketches of different relative accuracy");
        }
        if (other.retracted != null) {
            if (retracted == null) retracted = other.retracted.copy();
            else retracted.mergeWith(other.retracted);
        }
        if (quantiles == null && other.quantiles != null) quantiles = other.quantiles.clone();
    }

    /** The sketch of the values currently accumulated (added minus retracted); null when there are none. */
    DDSketch current() {
        if (added == null) return null;
        DDSketch result = retracted == null || retracted.isEmpty() ? added : difference(added, retracted);
        return result.getCount() <= 0.5 ? null : result; // counts are whole numbers; guard float residue
    }

    /** {@link #current()} as {@link Sketches#toBytes} writes it; null when there are no values. */
    byte[] currentBytes() {
        DDSketch sketch = current();
        return sketch == null ? null : Sketches.toBytes(sketch);
    }

    static DDSketch difference(DDSketch a, DDSketch b) {
        Store positive = subtract(a.getPositiveValueStore(), b.getPositiveValueStore());
        Store negative = subtract(a.getNegativeValueStore(), b.getNegativeValueStore());
        double zero = zeroCount(a) - zeroCount(b);
        return DDSketch.of(a.getIndexMapping(), negative, positive, zero > 0.5 ? zero : 0);
    }

    private static Store subtract(Store a, Store b) {
        Map<Integer, Double> minus = new HashMap<>();
        for (Iterator<Bin> it = b.getAscendingIterator(); it.hasNext(); ) {
            Bin bin = it.next();
            minus.merge(bin.getIndex(), bin.getCount(), Double::sum);
        }
        Store out = new CollapsingLowestDenseStore(Sketches.MAX_BINS);
        for (Iterator<Bin> it = a.getAscendingIterator(); it.hasNext(); ) {
            Bin bin = it.next();
            double count = bin.getCount() - minus.getOrDefault(bin.getIndex(), 0.0);
            if (count > 0.5) out.add(bin.getIndex(), count);
        }
        return out;
    }

    private static double zeroCount(DDSketch s) {
        return s.getCount() - s.getPositiveValueStore().getTotalCount() - s.getNegativeValueStore().getTotalCount();
    }

    /** Deep copy (Flink copies accumulators between operators when object reuse is off). */
    SketchAccumulator copy() {
        SketchAccumulator c = new SketchAccumulator();
        c.added = added == null ? null : added.copy();
        c.retracted = retracted == null ? null : retracted.copy();
        c.quantiles = quantiles == null ? null : quantiles.clone();
        return c;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SketchAccumulator)) return false;
        SketchAccumulator that = (SketchAccumulator) o;
        return Arrays.equals(bytes(added), bytes(that.added)) && Arrays.equals(bytes(retracted), bytes(that.retracted))
                && Arrays.equals(quantiles, that.quantiles);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(bytes(added)), Arrays.hashCode(quantiles));
    }

    private static byte[] bytes(DDSketch s) {
        return s == null ? null : Sketches.toBytes(s);
    }
}

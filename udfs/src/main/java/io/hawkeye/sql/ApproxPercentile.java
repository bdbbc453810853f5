package io.hawkeye.sql;

import com.datadoghq.sketch.ddsketch.DDSketch;
import io.hawkeye.sketch.Sketches;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.types.inference.TypeInference;

/**
 * {@code APPROX_PERCENTILE(value, q [, relative_accuracy])} → DOUBLE: the {@code q}-quantile of {@code value},
 * within {@code relative_accuracy} (default {@value Sketches#DEFAULT_RELATIVE_ACCURACY}) of the exact value, from a
 * DDSketch (see {@link Sketches}). Works in GROUP BY, window TVF (TUMBLE/HOP/CUMULATE/SESSION) and OVER aggregations;
 * supports retraction (OVER windows, updating inputs) and merging (session windows, two-phase aggregation).
 *
 * <p>Rules: NULL, NaN and ±Infinity values are ignored; negative values and zero are valid (the relative guarantee
 * applies to |value|); no values → NULL. {@code q} and {@code relative_accuracy} must be numeric literals, in [0, 1]
 * and (0, 1): anything else is rejected when the query is planned ({@link LiteralChecks}), with a message naming the
 * function; the same rules are checked again on the first row. The quantile is the DDSketch
 * lower-rank quantile: the value of rank {@code floor(q·(n−1))}.
 */
public class ApproxPercentile extends SketchAggregateFunction<Double> {
    static final String NAME = "APPROX_PERCENTILE";

    /** Literal quantile / accuracy arguments are checked at planning time (see {@link LiteralChecks}). */
    @Override
    public TypeInference getTypeInference(DataTypeFactory typeFactory) {
        return withLiteralChecks(typeFactory, NAME,
                new LiteralChecks.Check(1, LiteralChecks.Kind.QUANTILE, true),
                new LiteralChecks.Check(2, LiteralChecks.Kind.ACCURACY, true));
    }

    public void accumulate(SketchAccumulator acc, @DataTypeHint("DOUBLE") Double value,
            @DataTypeHint("DOUBLE") Double q) {
        accumulate(acc, value, q, Sketches.DEFAULT_RELATIVE_ACCURACY);
    }

    public void accumulate(SketchAccumulator acc, @DataTypeHint("DOUBLE") Double value,
            @DataTypeHint("DOUBLE") Double q, @DataTypeHint("DOUBLE") Double relativeAccuracy) {
        setQuantile(acc, q);
        if (SketchArgs.usable(value)) acc.add(value, SketchArgs.accuracy(NAME, relativeAccuracy));
    }

    public void retract(SketchAccumulator acc, @DataTypeHint("DOUBLE") Double value,
            @DataTypeHint("DOUBLE") Double q) {
        retract(acc, value, q, Sketches.DEFAULT_RELATIVE_ACCURACY);
    }

    public void retract(SketchAccumulator acc, @DataTypeHint("DOUBLE") Double value,
            @DataTypeHint("DOUBLE") Double q, @DataTypeHint("DOUBLE") Double relativeAccuracy) {
        if (SketchArgs.usable(value)) acc.retract(value, SketchArgs.accuracy(NAME, relativeAccuracy));
    }

    public void resetAccumulator(SketchAccumulator acc) {
        acc.added = null;
        acc.retracted = null;
    }

    @Override
    public Double getValue(SketchAccumulator acc) {
        DDSketch sketch = acc.current();
        if (sketch == null || acc.quantiles == null) return null;
        return sketch.getValueAtQuantile(acc.quantiles[0]);
    }

    private static void setQuantile(SketchAccumulator acc, Double q) {
        if (acc.quantiles == null || acc.quantiles[0] != (q == null ? Double.NaN : q)) {
            acc.quantiles = new double[] {SketchArgs.quantile(NAME, q)};
        }
    }
}

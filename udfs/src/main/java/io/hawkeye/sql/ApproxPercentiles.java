package io.hawkeye.sql;

import com.datadoghq.sketch.ddsketch.DDSketch;
import io.hawkeye.sketch.Sketches;
import java.util.Arrays;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.types.inference.TypeInference;

/**
 * {@code APPROX_PERCENTILES(value, ARRAY[q1, q2, ...] [, relative_accuracy])} → {@code ARRAY<DOUBLE>}: several
 * quantiles from one DDSketch (one sketch per group instead of one per quantile). Same rules as
 * {@link ApproxPercentile}; the result has one element per requested quantile, in order; NULL when no values.
 */
public class ApproxPercentiles extends SketchAggregateFunction<Double[]> {
    static final String NAME = "APPROX_PERCENTILES";

    /** Literal quantile / accuracy arguments are checked at planning time (see {@link LiteralChecks}). */
    @Override
    public TypeInference getTypeInference(DataTypeFactory typeFactory) {
        return withLiteralChecks(typeFactory, NAME,
                new LiteralChecks.Check(2, LiteralChecks.Kind.ACCURACY, true));
    }

    public void accumulate(SketchAccumulator acc, @DataTypeHint("DOUBLE") Double value,
            @DataTypeHint("ARRAY<DOUBLE>") Double[] qs) {
        accumulate(acc, value, qs, Sketches.DEFAULT_RELATIVE_ACCURACY);
    }

    public void accumulate(SketchAccumulator acc, @DataTypeHint("DOUBLE") Double value,
            @DataTypeHint("ARRAY<DOUBLE>") Double[] qs, @DataTypeHint("DOUBLE") Double relativeAccuracy) {
        if (acc.quantiles == null || acc.quantiles.length != (qs == null ? -1 : qs.length)) {
            acc.quantiles = SketchArgs.quantiles(NAME, qs);
        }
        if (SketchArgs.usable(value)) acc.add(value, SketchArgs.accuracy(NAME, relativeAccuracy));
    }

    public void retract(SketchAccumulator acc, @DataTypeHint("DOUBLE") Double value,
            @DataTypeHint("ARRAY<DOUBLE>") Double[] qs) {
        retract(acc, value, qs, Sketches.DEFAULT_RELATIVE_ACCURACY);
    }

    public void retract(SketchAccumulator acc, @DataTypeHint("DOUBLE") Double value,
            @DataTypeHint("ARRAY<DOUBLE>") Double[] qs, @DataTypeHint("DOUBLE") Double relativeAccuracy) {
        if (SketchArgs.usable(value)) acc.retract(value, SketchArgs.accuracy(NAME, relativeAccuracy));
    }

    @Override
    public @DataTypeHint("ARRAY<DOUBLE>") Double[] getValue(SketchAccumulator acc) {
        DDSketch sketch = acc.current();
        if (sketch == null || acc.quantiles == null) return null;
        return Arrays.stream(sketch.getValuesAtQuantiles(acc.quantiles)).boxed().toArray(Double[]::new);
    }
}

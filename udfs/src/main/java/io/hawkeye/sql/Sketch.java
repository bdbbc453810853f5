package io.hawkeye.sql;

import io.hawkeye.sketch.Sketches;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.types.extraction.TypeInferenceExtractor;
import org.apache.flink.table.types.inference.TypeInference;
import org.apache.flink.table.functions.AggregateFunction;

/**
 * {@code SKETCH(value [, relative_accuracy])} → BYTES: the serialised DDSketch of the values, exactly the bytes
 * {@link Sketches#toBytes} writes — the format of {@code WindowStats.sketch} and of the {@code sketch} field (base64)
 * of {@code hawkeye.window-stats}. Feed it to {@link SketchMerge}, {@link SketchQuantile}, {@link SketchCount}.
 * NULL, NaN and ±Infinity values are ignored; no values → NULL. Supports retraction (OVER windows, updating
 * inputs) like {@link ApproxPercentile}, and merging.
 */
public class Sketch extends AggregateFunction<byte[], SketchAccumulator> {
    static final String NAME = "SKETCH";

    /** Literal quantile / accuracy arguments are checked at planning time (see {@link LiteralChecks}). */
    @Override
    public TypeInference getTypeInference(DataTypeFactory typeFactory) {
        return LiteralChecks.wrap(TypeInferenceExtractor.forAggregateFunction(typeFactory, Sketch.class), NAME,
                new LiteralChecks.Check(1, LiteralChecks.Kind.ACCURACY, true));
    }

    @Override
    public SketchAccumulator createAccumulator() {
        return new SketchAccumulator();
    }

    public void accumulate(SketchAccumulator acc, @DataTypeHint("DOUBLE") Double value) {
        accumulate(acc, value, Sketches.DEFAULT_RELATIVE_ACCURACY);
    }

    public void accumulate(SketchAccumulator acc, @DataTypeHint("DOUBLE") Double value,
            @DataTypeHint("DOUBLE") Double relativeAccuracy) {
        if (SketchArgs.usable(value)) acc.add(value, SketchArgs.accuracy(NAME, relativeAccuracy));
    }

    public void retract(SketchAccumulator acc, @DataTypeHint("DOUBLE") Double value) {
        retract(acc, value, Sketches.DEFAULT_RELATIVE_ACCURACY);
    }

    public void retract(SketchAccumulator acc, @DataTypeHint("DOUBLE") Double value,
            @DataTypeHint("DOUBLE") Double relativeAccuracy) {
        if (SketchArgs.usable(value)) acc.retract(value, SketchArgs.accuracy(NAME, relativeAccuracy));
    }

    public void merge(SketchAccumulator acc, Iterable<SketchAccumulator> others) {
        for (SketchAccumulator other : others) acc.merge(other);
    }

    @Override
    public @DataTypeHint("BYTES") byte[] getValue(SketchAccumulator acc) {
        var sketch = acc.current();
        return sketch == null ? null : Sketches.toBytes(sketch);
    }
}

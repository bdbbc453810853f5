package io.hawkeye.sql;

import io.hawkeye.sketch.Sketches;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.types.inference.TypeInference;

/**
 * {@code SKETCH(value [, relative_accuracy])} → BYTES: the serialised DDSketch of the values, exactly the bytes
 * {@link Sketches#toBytes} writes — the format of {@code WindowStats.sketch} and of the {@code sketch} field (base64)
 * of {@code hawkeye.window-stats}. Feed it to {@link SketchMerge}, {@link SketchQuantile}, {@link SketchCount}.
 * NULL, NaN and ±Infinity values are ignored; no values → NULL. Supports retraction (OVER windows, updating
 * inputs) like {@link ApproxPercentile}, and merging.
 */
public class Sketch extends SketchAggregateFunction<byte[]> {
    static final String NAME = "SKETCH";

    /** Literal quantile / accuracy arguments are checked at planning time (see {@link LiteralChecks}). */
    @Override
    public TypeInference getTypeInference(DataTypeFactory typeFactory) {
        return withLiteralChecks(typeFactory, NAME,
                new LiteralChecks.Check(1, LiteralChecks.Kind.ACCURACY, true));
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

    @Override
    public @DataTypeHint("BYTES") byte[] getValue(SketchAccumulator acc) {
        return acc.currentBytes();
    }
}

package io.hawkeye.sql;

import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.functions.AggregateFunction;
import org.apache.flink.table.types.extraction.TypeInferenceExtractor;
import org.apache.flink.table.types.inference.TypeInference;

/**
 * What the sketch aggregate functions ({@link ApproxPercentile}, {@link ApproxPercentiles}, {@link Sketch},
 * {@link SketchMerge}) have in common: one {@link SketchAccumulator} per group, merged exactly, and the type
 * inference extracted from the function's class with its literal arguments checked at planning time.
 */
public abstract class SketchAggregateFunction<T> extends AggregateFunction<T, SketchAccumulator> {

    @Override
    public SketchAccumulator createAccumulator() {
        return new SketchAccumulator();
    }

    public void merge(SketchAccumulator acc, Iterable<SketchAccumulator> others) {
        for (SketchAccumulator other : others) acc.merge(other);
    }

    /** The type inference of this function's class, its literal arguments checked (see {@link LiteralChecks}). */
    TypeInference withLiteralChecks(DataTypeFactory typeFactory, String name, LiteralChecks.Check... checks) {
        @SuppressWarnings("unchecked")
        Class<? extends AggregateFunction<?, ?>> type = (Class<? extends AggregateFunction<?, ?>>) getClass();
        return LiteralChecks.wrap(TypeInferenceExtractor.forAggregateFunction(typeFactory, type), name, checks);
    }
}

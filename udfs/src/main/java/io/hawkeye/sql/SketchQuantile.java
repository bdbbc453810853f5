package io.hawkeye.sql;

import com.datadoghq.sketch.ddsketch.DDSketch;
import io.hawkeye.sketch.Sketches;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.types.extraction.TypeInferenceExtractor;
import org.apache.flink.table.types.inference.TypeInference;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code SKETCH_QUANTILE(sketch_bytes, q)} → DOUBLE: the {@code q}-quantile of a serialised sketch. NULL when the
 * bytes are NULL, malformed or an empty sketch (bad data never fails the job). A literal {@code q} outside [0, 1] is
 * rejected when the query is planned ({@link LiteralChecks}); a per-row {@code q} is allowed, and an out-of-range
 * value fails the job with an {@link IllegalArgumentException} naming the function.
 */
public class SketchQuantile extends ScalarFunction {
    static final String NAME = "SKETCH_QUANTILE";

    /** Literal quantile / accuracy arguments are checked at planning time (see {@link LiteralChecks}). */
    @Override
    public TypeInference getTypeInference(DataTypeFactory typeFactory) {
        return LiteralChecks.wrap(TypeInferenceExtractor.forScalarFunction(typeFactory, SketchQuantile.class), NAME,
                new LiteralChecks.Check(1, LiteralChecks.Kind.QUANTILE, false));
    }

    public @DataTypeHint("DOUBLE") Double eval(@DataTypeHint("BYTES") byte[] sketch,
            @DataTypeHint("DOUBLE") Double q) {
        double quantile = SketchArgs.quantile(NAME, q);
        DDSketch decoded = decode(sketch);
        return decoded == null || decoded.isEmpty() ? null : decoded.getValueAtQuantile(quantile);
    }

    static DDSketch decode(byte[] sketch) {
        if (sketch == null) return null;
        try {
            return Sketches.fromBytes(sketch);
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }
}

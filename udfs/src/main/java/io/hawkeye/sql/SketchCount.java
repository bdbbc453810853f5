package io.hawkeye.sql;

import com.datadoghq.sketch.ddsketch.DDSketch;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code SKETCH_COUNT(sketch_bytes)} → BIGINT: the number of values in a serialised sketch (exact: DDSketch counts
 * every value). NULL when the bytes are NULL or malformed.
 */
public class SketchCount extends ScalarFunction {

    public @DataTypeHint("BIGINT") Long eval(@DataTypeHint("BYTES") byte[] sketch) {
        DDSketch decoded = SketchQuantile.decode(sketch);
        return decoded == null ? null : Math.round(decoded.getCount());
    }
}

package io.hawkeye.sql;

import com.datadoghq.sketch.ddsketch.DDSketch;
import io.hawkeye.sketch.Sketches;
import org.apache.flink.table.annotation.DataTypeHint;

/**
 * {@code SKETCH_MERGE(sketch_bytes)} → BYTES: the union of serialised sketches (from {@link Sketch} or the DataStream
 * job's {@code sketch} field), in the same format. DDSketch merging is exact: merging the sketches of parts gives
 * the sketch of the whole. Rules: NULL inputs are ignored; malformed bytes and sketches whose relative accuracy
 * differs from the first sketch seen are ignored too (bad data never fails the job; check with {@link SketchCount}
 * that counts add up); no sketches → NULL. Supports retraction (e.g. a rollup over an updating GROUP BY): a
 * retracted sketch's bins are subtracted.
 */
public class SketchMerge extends SketchAggregateFunction<byte[]> {

    public void accumulate(SketchAccumulator acc, @DataTypeHint("BYTES") byte[] sketch) {
        if (sketch == null) return;
        DDSketch decoded = SketchQuantile.decode(sketch);
        if (decoded != null) acc.mergeSketch(decoded);
    }

    public void retract(SketchAccumulator acc, @DataTypeHint("BYTES") byte[] sketch) {
        DDSketch decoded = SketchQuantile.decode(sketch);
        if (decoded == null) return;
        if (acc.retracted == null) {
            acc.retracted = decoded;
        } else if (Sketches.relativeAccuracy(decoded) == Sketches.relativeAccuracy(acc.retracted)) {
            acc.retracted.mergeWith(decoded);
        }
    }

    @Override
    public @DataTypeHint("BYTES") byte[] getValue(SketchAccumulator acc) {
        return acc.currentBytes();
    }
}

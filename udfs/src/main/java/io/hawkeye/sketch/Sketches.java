package io.hawkeye.sketch;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.store.CollapsingLowestDenseStore;
import com.datadoghq.sketch.ddsketch.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/**
 * The one place that decides how Hawkeye builds and serialises its percentile sketches, so that the DataStream
 * jobs, the SQL functions and anything reading {@code sketch} fields agree on the format.
 *
 * <p>A sketch is a DDSketch (Masson, Rim, Lee: "DDSketch: a fast and fully-mergeable quantile sketch with
 * relative-error guarantees", VLDB 2019): every quantile it returns is within {@code relativeAccuracy} of the
 * true value (relative to that value), for any distribution, and merging two sketches gives exactly the sketch of
 * the union. Stores are dense and collapse their lowest bins beyond {@link #MAX_BINS}: at 1% accuracy 2048 bins
 * span a dynamic range of e^40, so collapsing never happens for latencies, while the size stays bounded for
 * adversarial inputs (and then only the lowest quantiles lose accuracy, never p50..p999 of latency).
 *
 * <p>Serialised form: DDSketch's own binary encoding ({@link DDSketch#encode}), index mapping included, the same
 * encoding the Go and Python DDSketch libraries read. Typically 0.1–2 KB per sketch.
 */
public final class Sketches {
    public static final double DEFAULT_RELATIVE_ACCURACY = 0.01;
    public static final int MAX_BINS = 2048;
    private static final Supplier<Store> STORE = () -> new CollapsingLowestDenseStore(MAX_BINS);

    private Sketches() {}

    public static DDSketch create(double relativeAccuracy) {
        if (!(relativeAccuracy > 0 && relativeAccuracy < 1)) {
            throw new IllegalArgumentException("relative accuracy must be in (0, 1), got " + relativeAccuracy);
        }
        return DDSketches.collapsingLowestDense(relativeAccuracy, MAX_BINS);
    }

    public static byte[] toBytes(DDSketch sketch) {
        GrowingByteArrayOutput out = GrowingByteArrayOutput.withInitialCapacity(Math.max(64, sketch.serializedSize()));
        try {
            sketch.encode(out, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen with an in-memory output
        }
        return out.trimmedCopy();
    }

    /** Decodes a serialised sketch; throws {@link IllegalArgumentException} on malformed bytes. */
    public static DDSketch fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length == 0) throw new IllegalArgumentException("empty sketch bytes");
        try {
            return DDSketch.decode(ByteArrayInput.wrap(bytes), STORE);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("malformed sketch bytes: " + e.getMessage(), e);
        }
    }

    /** Merges serialised sketch bytes into {@code target}; both must use the same relative accuracy. */
    public static void mergeInto(DDSketch target, byte[] bytes) {
        DDSketch other = fromBytes(bytes);
        if (other.getIndexMapping().relativeAccuracy() != target.getIndexMapping().relativeAccuracy()) {
            throw new IllegalArgumentException("cannot merge sketches of relative accuracy "
                    + other.getIndexMapping().relativeAccuracy() + " into "
                    + target.getIndexMapping().relativeAccuracy());
        }
        target.mergeWith(other);
    }

    public static double relativeAccuracy(DDSketch sketch) {
        return sketch.getIndexMapping().relativeAccuracy();
    }
}

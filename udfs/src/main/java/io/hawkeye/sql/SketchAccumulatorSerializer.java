package io.hawkeye.sql;

import io.hawkeye.sketch.Sketches;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * State serializer of {@link SketchAccumulator}: a version byte, the quantiles, then each sketch as
 * {@link Sketches#toBytes} bytes (length-prefixed, -1 for absent). The state of one aggregate is therefore the size of
 * its sketch(es), independent of the number of values.
 */
public final class SketchAccumulatorSerializer extends TypeSerializerSingleton<SketchAccumulator> {
    private static final long serialVersionUID = 1L;
    private static final int VERSION = 1;
    public static final SketchAccumulatorSerializer INSTANCE = new SketchAccumulatorSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public SketchAccumulator createInstance() {
        return new SketchAccumulator();
    }

    @Override
    public SketchAccumulator copy(SketchAccumulator from) {
        return from.copy();
    }

    @Override
    public SketchAccumulator copy(SketchAccumulator from, SketchAccumulator reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(SketchAccumulator acc, DataOutputView out) throws IOException {
        out.writeByte(VERSION);
        if (acc.quantiles == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(acc.quantiles.length);
            for (double q : acc.quantiles) out.writeDouble(q);
        }
        writeBytes(acc.added == null ? null : Sketches.toBytes(acc.added), out);
        writeBytes(acc.retracted == null ? null : Sketches.toBytes(acc.retracted), out);
    }

    @Override
    public SketchAccumulator deserialize(DataInputView in) throws IOException {
        int version = in.readByte();
        if (version != VERSION) throw new IOException("unknown SketchAccumulator state version " + version);
        SketchAccumulator acc = new SketchAccumulator();
        int n = in.readInt();
        if (n >= 0) {
            acc.quantiles = new double[n];
            for (int i = 0; i < n; i++) acc.quantiles[i] = in.readDouble();
        }
        byte[] added = readBytes(in);
        byte[] retracted = readBytes(in);
        acc.added = added == null ? null : Sketches.fromBytes(added);
        acc.retracted = retracted == null ? null : Sketches.fromBytes(retracted);
        return acc;
    }

    @Override
    public SketchAccumulator deserialize(SketchAccumulator reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<SketchAccumulator> snapshotConfiguration() {
        return new SketchAccumulatorSerializerSnapshot();
    }

    private static void writeBytes(byte[] b, DataOutputView out) throws IOException {
        if (b == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(b.length);
            out.write(b);
        }
    }

    private static byte[] readBytes(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) return null;
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    /** Snapshot for state compatibility; public no-arg constructor as Flink requires. */
    public static final class SketchAccumulatorSerializerSnapshot
            extends SimpleTypeSerializerSnapshot<SketchAccumulator> {
        public SketchAccumulatorSerializerSnapshot() {
            super(() -> INSTANCE);
        }
    }
}

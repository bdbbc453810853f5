package io.hawkeye.benchmarks;

import com.datadoghq.sketch.ddsketch.DDSketch;
import io.hawkeye.sketch.Sketches;
import io.hawkeye.stats.StatsAccumulator;
import io.hawkeye.stats.StatsSnapshot;
import io.hawkeye.stats.WindowStats;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-operation cost of what happens to a sketch after the inserts, on two sketches of 10,000 lognormal values
 * each (different seeds, so their bins overlap only partly, as two partials of one series do):
 * <ul>
 *   <li>{@code mergeSnapshots}: {@link StatsSnapshot#merge} of two serialised partials — what the window
 *       aggregator does per partial (decode both, merge, encode);</li>
 *   <li>{@code mergeRaw}: {@link DDSketch#mergeWith} on live sketches (plus the copy of the target);</li>
 *   <li>{@code quantiles5}: p50, p90, p95, p99, p99.9 from one live sketch;</li>
 *   <li>{@code toBytes}, {@code fromBytes}, {@code roundTrip}: the serialised form of {@link Sketches}.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SketchOpsBenchmark {
    static final int N = 10_000;

    DDSketch a;
    DDSketch b;
    byte[] aBytes;
    StatsSnapshot snapA;
    StatsSnapshot snapB;

    @Setup
    public void setup() {
        StatsAccumulator accA = new StatsAccumulator(0.01);
        StatsAccumulator accB = new StatsAccumulator(0.01);
        a = Sketches.create(0.01);
        b = Sketches.create(0.01);
        double[] va = LatencyData.lognormal(N, 1);
        double[] vb = LatencyData.lognormal(N, 2, 40.0, 0.9);
        for (int i = 0; i < N; i++) {
            a.accept(va[i]);
            b.accept(vb[i]);
            accA.add(va[i], i, false);
            accB.add(vb[i], i, false);
        }
        aBytes = Sketches.toBytes(a);
        snapA = accA.snapshot();
        snapB = accB.snapshot();
    }

    @Benchmark
    public StatsSnapshot mergeSnapshots() {
        StatsSnapshot s = new StatsSnapshot();
        s.merge(snapA); // count == 0: copies A (clones its bytes)
        s.merge(snapB); // decode A and B, merge, encode
        return s;
    }

    @Benchmark
    public DDSketch mergeRaw() {
        DDSketch target = a.copy();
        target.mergeWith(b);
        return target;
    }

    @Benchmark
    public double[] quantiles5() {
        return a.getValuesAtQuantiles(WindowStats.QUANTILES);
    }

    @Benchmark
    public byte[] toBytes() {
        return Sketches.toBytes(a);
    }

    @Benchmark
    public DDSketch fromBytes() {
        return Sketches.fromBytes(aBytes);
    }

    @Benchmark
    public DDSketch roundTrip() {
        return Sketches.fromBytes(Sketches.toBytes(a));
    }
}

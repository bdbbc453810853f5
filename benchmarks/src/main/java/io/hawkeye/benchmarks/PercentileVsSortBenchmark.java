package io.hawkeye.benchmarks;

import com.datadoghq.sketch.ddsketch.DDSketch;
import io.hawkeye.sketch.Sketches;
import io.hawkeye.stats.WindowStats;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Five percentiles (p50, p90, p95, p99, p99.9) of n lognormal latencies, two ways, on the same data:
 * {@code exactSort} copies the values, sorts them ({@link Arrays#sort}, dual-pivot quicksort) and indexes
 * (nearest rank); {@code sketch} inserts them into a Hawkeye DDSketch and asks it. The sketch answers within 1%
 * relative error in O(n) time and constant memory; the exact way needs all values in memory, O(n log n).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PercentileVsSortBenchmark {
    @Param({"10000", "100000", "1000000"})
    public int n;

    double[] values;

    @Setup
    public void setup() {
        values = LatencyData.lognormal(n, 7);
    }

    @Benchmark
    public double[] exactSort() {
        double[] sorted = Arrays.copyOf(values, values.length);
        Arrays.sort(sorted);
        double[] q = WindowStats.QUANTILES;
        double[] out = new double[q.length];
        for (int i = 0; i < q.length; i++) {
            int rank = (int) Math.ceil(q[i] * sorted.length); // nearest rank, 1-based
            out[i] = sorted[Math.max(0, rank - 1)];
        }
        return out;
    }

    @Benchmark
    public double[] sketch() {
        DDSketch sketch = Sketches.create(0.01);
        for (double v : values) {
            sketch.accept(v);
        }
        return sketch.getValuesAtQuantiles(WindowStats.QUANTILES);
    }
}

package io.hawkeye.benchmarks.sql;

import io.hawkeye.sql.ApproxPercentile;
import io.hawkeye.sql.SketchAccumulator;
import io.hawkeye.sql.SketchAccumulatorSerializer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.table.data.conversion.DataStructureConverter;
import org.apache.flink.table.data.conversion.DataStructureConverters;
import org.apache.flink.table.runtime.functions.aggregate.PercentileAggFunction;
import org.apache.flink.table.runtime.functions.aggregate.PercentileAggFunction.PercentileAccumulator;
import org.apache.flink.table.runtime.typeutils.InternalSerializers;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.DoubleType;

/**
 * Aggregate-level benchmark: Flink 2.2's own exact {@code PERCENTILE} implementation
 * ({@link PercentileAggFunction.SinglePercentileAggFunction}, flink-table-runtime) against {@link ApproxPercentile},
 * both driven the way the generated aggregate code drives them — {@code createAccumulator}, one
 * {@code accumulate(acc, value, 0.99)} per row (boxed value, as the generated code passes it), {@code getValue} —
 * without the job around them, on the same N lognormal latencies (1 µs resolution, nearly all distinct) as
 * {@link PercentileSqlBenchmark}.
 *
 * <p>PERCENTILE's accumulator here holds a heap {@code MapView} (a {@code HashMap}): the cheapest possible backing.
 * In a streaming job the planner backs it with keyed {@code MapState} instead (one state get + put per row, and
 * every entry read back when the result is computed), so on RocksDB the exact function is slower than measured
 * here; this is the comparison most favourable to PERCENTILE.
 *
 * <p>Measured per N (best of R repetitions after warm-up, single thread, thread CPU time):
 * <ul>
 *   <li><b>window</b>: N accumulates + one getValue (a window TVF reads the result once, when the window fires);
 *   <li><b>getValue</b>: one getValue on an accumulator holding N values — the cost per emitted row of a GROUP BY or
 *       OVER aggregation, which reads the result after every input row (PERCENTILE re-sorts all distinct values
 *       on each read; the sketch walks at most 2048 bins);
 *   <li><b>getValue after retractions</b>: N accumulates, the first N/2 retracted, one getValue (an OVER window or an
 *       updating input: the sketch subtracts its retracted sketch bin by bin on each read);
 *   <li><b>state</b>: bytes of the accumulator written with the real serializers — PERCENTILE: its accumulator data
 *       type (ARRAY&lt;DOUBLE&gt; percentages + MapView&lt;DOUBLE, BIGINT&gt;) through
 *       {@code InternalSerializers} (how a heap-backed accumulator is stored); MapState entries: DOUBLE key +
 *       BIGINT value = 16 bytes per distinct value before the state backend's per-entry key prefix (a lower bound
 *       for the state-backed form). APPROX_PERCENTILE: {@link SketchAccumulatorSerializer}.
 *   <li><b>error</b>: |APPROX − exact lower-rank p99| / exact, and against PERCENTILE's interpolated p99.
 * </ul>
 *
 * <p>Run: {@code java -Xmx4g -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
 * io.hawkeye.benchmarks.sql.PercentileAggBenchmark 10000 100000 1000000}
 */
public final class PercentileAggBenchmark {
    private static final double Q = 0.99;
    private static volatile double sink;
    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    /**
     * CPU time of the benchmark thread: on the shared, loaded machine wall time mostly measures the other processes.
     * It leaves out the GC threads' time, which favours PERCENTILE (it allocates a boxed map entry per value).
     */
    static long cpuNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {10_000, 100_000, 1_000_000}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        int reps = Integer.getInteger("reps", 5);
        System.out.println("# " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                + ", cores " + Runtime.getRuntime().availableProcessors() + ", reps " + reps + ", times = thread CPU time");
        System.out.println("| values | PERCENTILE window ms | APPROX window ms | speed-up | PERCENTILE getValue ms"
                + " | APPROX getValue ms | speed-up | PERCENTILE state bytes (row serializer) | PERCENTILE MapState"
                + " bytes (≥) | APPROX state bytes | state ratio | p99 rel. error vs lower-rank | vs PERCENTILE |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        List<String> retractedRows = new ArrayList<>();
        for (int n : sizes) {
            double[] raw = PercentileSqlBenchmark.values(n);
            Double[] values = Arrays.stream(raw).boxed().toArray(Double[]::new);
            // warm-up both paths (JIT) on the real size
            for (int i = 0; i < 2; i++) {
                sink += exactWindow(values).result;
                sink += approxWindow(values).result;
            }
            long exactNs = Long.MAX_VALUE, approxNs = Long.MAX_VALUE;
            Run exact = null, approx = null;
            for (int r = 0; r < reps; r++) {
                long t0 = cpuNanos();
                exact = exactWindow(values);
                exactNs = Math.min(exactNs, cpuNanos() - t0);
                t0 = cpuNanos();
                approx = approxWindow(values);
                approxNs = Math.min(approxNs, cpuNanos() - t0);
            }
            // one read of the result on a full accumulator (per-emitted-row cost of GROUP BY / OVER)
            long[] getNs = getValueNs(exact, approx, reps);
            long exactGetNs = getNs[0], approxGetNs = getNs[1];
            // OVER window / updating input: half of the values retracted, then one read (the sketch subtracts its
            // retracted sketch bin by bin on every read; PERCENTILE removes map entries on retract)
            Run exactRetracted = exactWindow(values);
            Run approxRetracted = approxWindow(values);
            for (int i = 0; i < n / 2; i++) {
                exactRetracted.fn.retract(exactRetracted.acc, values[i], Q);
                approxRetracted.approxFn.retract(approxRetracted.sketchAcc, values[i], Q);
            }
            long[] retGetNs = getValueNs(exactRetracted, approxRetracted, reps);
            long exactRetGetNs = retGetNs[0], approxRetGetNs = retGetNs[1];
            retractedRows.add(String.format(Locale.ROOT, "| %,d | %.2f | %.4f | %,.0f× |", n, exactRetGetNs / 1e6,
                    approxRetGetNs / 1e6, exactRetGetNs / (double) approxRetGetNs));
            long exactRowBytes = exactStateBytes(exact.fn, exact.acc);
            long distinct = Arrays.stream(raw).distinct().count();
            long exactMapStateBytes = distinct * 16;
            DataOutputSerializer out = new DataOutputSerializer(4096);
            SketchAccumulatorSerializer.INSTANCE.serialize(approx.sketchAcc, out);
            long approxBytes = out.length();

            double[] sorted = raw.clone();
            Arrays.sort(sorted);
            double lowerRank = sorted[(int) Math.floor(Q * (n - 1))];
            System.out.printf(Locale.ROOT,
                    "| %,d | %.1f | %.2f | %.0f× | %.2f | %.4f | %,.0f× | %,d | %,d | %,d | 1/%,.0f | %.3f%% | %.3f%% |%n",
                    n, exactNs / 1e6, approxNs / 1e6, exactNs / (double) approxNs, exactGetNs / 1e6,
                    approxGetNs / 1e6, exactGetNs / (double) approxGetNs, exactRowBytes, exactMapStateBytes,
                    approxBytes, Math.min(exactRowBytes, exactMapStateBytes) / (double) approxBytes,
                    100 * Math.abs(approx.result - lowerRank) / lowerRank,
                    100 * Math.abs(approx.result - exact.result) / exact.result);
        }
        System.out.println();
        System.out.println("| values (then first half retracted) | PERCENTILE getValue ms | APPROX getValue ms | speed-up |");
        System.out.println("|---|---|---|---|");
        retractedRows.forEach(System.out::println);
        if (sink == 42) System.out.println(); // keep results alive
    }

    /**
     * The best of {@code reps + 2} thread CPU times of one read of the result, {@code {exact, approx}}: PERCENTILE's
     * getValue on {@code exact}'s accumulator, APPROX_PERCENTILE's on {@code approx}'s, alternating.
     */
    static long[] getValueNs(Run exact, Run approx, int reps) {
        long exactNs = Long.MAX_VALUE, approxNs = Long.MAX_VALUE;
        for (int r = 0; r < reps + 2; r++) {
            long t0 = cpuNanos();
            sink += exact.fn.getValue(exact.acc);
            exactNs = Math.min(exactNs, cpuNanos() - t0);
            t0 = cpuNanos();
            sink += approx.approxFn.getValue(approx.sketchAcc);
            approxNs = Math.min(approxNs, cpuNanos() - t0);
        }
        return new long[] {exactNs, approxNs};
    }

    record Run(double result, PercentileAggFunction.SinglePercentileAggFunction fn, PercentileAccumulator acc,
            ApproxPercentile approxFn, SketchAccumulator sketchAcc) {}

    static Run exactWindow(Double[] values) throws Exception {
        PercentileAggFunction.SinglePercentileAggFunction fn =
                new PercentileAggFunction.SinglePercentileAggFunction(new DoubleType(), null);
        PercentileAccumulator acc = fn.createAccumulator();
        Double q = Q;
        for (Double v : values) fn.accumulate(acc, v, q);
        return new Run(fn.getValue(acc), fn, acc, null, null);
    }

    static Run approxWindow(Double[] values) {
        ApproxPercentile fn = new ApproxPercentile();
        SketchAccumulator acc = fn.createAccumulator();
        Double q = Q;
        for (Double v : values) fn.accumulate(acc, v, q);
        return new Run(fn.getValue(acc), null, null, fn, acc);
    }

    /** PERCENTILE's accumulator through its own accumulator data type and Flink's internal serializer. */
    static long exactStateBytes(PercentileAggFunction<?> fn, PercentileAccumulator acc) throws Exception {
        DataType accType = fn.getAccumulatorDataType();
        DataStructureConverter<Object, Object> converter = DataStructureConverters.getConverter(accType);
        converter.open(PercentileAggBenchmark.class.getClassLoader());
        Object internal = converter.toInternal(acc);
        TypeSerializer<Object> serializer = InternalSerializers.create(accType.getLogicalType());
        DataOutputSerializer out = new DataOutputSerializer(1 << 20);
        serializer.serialize(internal, out);
        return out.length();
    }
}

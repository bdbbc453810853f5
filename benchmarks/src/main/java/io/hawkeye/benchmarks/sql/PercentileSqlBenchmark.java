package io.hawkeye.benchmarks.sql;

import io.hawkeye.sql.ApproxPercentile;
import io.hawkeye.sql.SketchAccumulator;
import io.hawkeye.sql.SketchAccumulatorSerializer;
import java.util.Arrays;
import java.util.Random;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/**
 * APPROX_PERCENTILE (DDSketch, 1%) vs Flink 2.2's built-in exact PERCENTILE on one key and one window with N values
 * (lognormal latencies rounded to 1 µs: 9,9xx distinct of 10k, ~137k of 1M), through SQL on a local environment with
 * parallelism 1: wall time of the whole bounded job (same source for both, best of 3), the accumulator state size
 * (APPROX: SketchAccumulatorSerializer bytes; PERCENTILE: its MapView holds one (value DOUBLE, count BIGINT) entry
 * per distinct value, counted as 16 bytes each — a lower bound that ignores per-entry state-backend overhead) and
 * the relative error of p99 against the exact p99.
 *
 * <p>Run: {@code ./mvnw -B -q -pl benchmarks -am package -DskipTests && java -cp "benchmarks/target/classes:$(cat
 * benchmarks/target/classpath.txt)" io.hawkeye.benchmarks.sql.PercentileSqlBenchmark 10000 100000 1000000}
 */
public final class PercentileSqlBenchmark {
    /** State backend of the job: {@code -Dbackend=rocksdb} (Hawkeye's, default) or {@code hashmap}. */
    static final String BACKEND = System.getProperty("backend", "rocksdb");
    /** {@code -Dmode=groupby}: non-windowed GROUP BY (result emitted per row) instead of one TUMBLE window. */
    static final boolean GROUP_BY = "groupby".equals(System.getProperty("mode", "window"));
    static final int REPS = Integer.getInteger("reps", 3);

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {10_000, 100_000, 1_000_000}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.println("# backend " + BACKEND + ", " + (GROUP_BY ? "GROUP BY (emit per row)" : "TUMBLE window")
                + ", best of " + REPS);
        System.out.println("| values | MAX(v) baseline ms | APPROX_PERCENTILE ms | PERCENTILE ms | speed-up (job) |"
                + " speed-up (job − baseline) | sketch state bytes | PERCENTILE state bytes (≥) | state ratio |"
                + " p99 relative error |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (int n : sizes) {
            double[] values = values(n);
            long approxMs = Long.MAX_VALUE, exactMs = Long.MAX_VALUE, baseMs = Long.MAX_VALUE;
            long approxNet = Long.MAX_VALUE, exactNet = Long.MAX_VALUE, baseNet = Long.MAX_VALUE;
            double approx = 0, exact = 0;
            for (int rep = 0; rep < REPS; rep++) {
                long t0 = System.nanoTime();
                run(n, "MAX(v)"); // same job with a trivial aggregate: source, calc, window, startup
                baseMs = Math.min(baseMs, (System.nanoTime() - t0) / 1_000_000);
                baseNet = Math.min(baseNet, lastNetMs);
                t0 = System.nanoTime();
                approx = run(n, "APPROX_PERCENTILE(v, 0.99)");
                approxMs = Math.min(approxMs, (System.nanoTime() - t0) / 1_000_000);
                approxNet = Math.min(approxNet, lastNetMs);
                t0 = System.nanoTime();
                exact = run(n, "PERCENTILE(v, 0.99)");
                exactMs = Math.min(exactMs, (System.nanoTime() - t0) / 1_000_000);
                exactNet = Math.min(exactNet, lastNetMs);
            }
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            double lowerRank = sorted[(int) Math.floor(0.99 * (n - 1))];
            long distinct = Arrays.stream(sorted).distinct().count();
            long exactState = distinct * 16;
            SketchAccumulator acc = new ApproxPercentile().createAccumulator();
            ApproxPercentile f = new ApproxPercentile();
            for (double v : values) f.accumulate(acc, v, 0.99);
            DataOutputSerializer out = new DataOutputSerializer(4096);
            SketchAccumulatorSerializer.INSTANCE.serialize(acc, out);
            System.out.printf(java.util.Locale.ROOT, "| %,d | %d | %d | %d | %.1f× | %s | %,d | %,d | 1/%,.0f | %.4f%% |%n",
                    n, baseMs, approxMs, exactMs, exactMs / (double) approxMs,
                    approxMs > baseMs ? String.format(java.util.Locale.ROOT, "%.1f×",
                            (exactMs - baseMs) / (double) (approxMs - baseMs)) : "n/a (APPROX ≤ baseline)",
                    out.length(), exactState, exactState / (double) out.length(),
                    100 * Math.abs(approx - lowerRank) / lowerRank);
            System.out.printf(java.util.Locale.ROOT, "  job net runtime ms (Flink): MAX %d, APPROX %d, PERCENTILE %d ->"
                    + " %.1f× (net), %s (net − baseline)%n", baseNet, approxNet, exactNet,
                    exactNet / (double) approxNet, approxNet > baseNet ? String.format(java.util.Locale.ROOT, "%.1f×",
                            (exactNet - baseNet) / (double) (approxNet - baseNet)) : "n/a");
            System.out.printf(java.util.Locale.ROOT, "  (PERCENTILE p99 %.3f interpolated; lower-rank exact %.3f; %,d distinct"
                    + " values)%n", exact, lowerRank, distinct);
        }
    }

    static double[] values(int n) {
        Random rnd = new Random(7);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = Math.round(Math.exp(3 + rnd.nextGaussian()) * 1000) / 1000.0;
        return v;
    }

    static double run(int n, String aggregate) throws Exception {
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.parse("64m"));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.parse("64m"));
        conf.setString("state.backend.type", BACKEND);
        conf.setString("pipeline.object-reuse", "true");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        StreamTableEnvironment t = StreamTableEnvironment.create(env);
        t.createTemporarySystemFunction("APPROX_PERCENTILE", ApproxPercentile.class);
        // Same deterministic values as values(n), generated inside the job (no driver-side collection of 1M rows).
        t.executeSql("CREATE TEMPORARY TABLE gen (i BIGINT, rt AS TO_TIMESTAMP_LTZ(i, 3),"
                + " WATERMARK FOR rt AS rt) WITH ('connector' = 'datagen', 'fields.i.kind' ="
                + " 'sequence', 'fields.i.start' = '0', 'fields.i.end' = '" + (n - 1) + "',"
                // datagen's default rows-per-second is 10,000: without this the source, not the aggregate, sets
                // the time (100k rows took ~10 s in an earlier version of this harness).
                + " 'rows-per-second' = '1000000000')");
        // One TUMBLE window over all values (event time = i ms): the aggregate is read once, when the window fires
        // (a GROUP BY would emit, and PERCENTILE re-sort, on every row).
        t.createTemporarySystemFunction("LOGNORMAL", Lognormal.class);
        t.executeSql("CREATE TEMPORARY VIEW timed AS SELECT LOGNORMAL(i) AS v, rt FROM gen");
        String query = GROUP_BY
                // non-windowed GROUP BY on one key: the aggregate's result is read and emitted after every row
                ? "SELECT " + aggregate + " FROM (SELECT 1 AS k, v FROM timed) GROUP BY k"
                : "SELECT " + aggregate + " FROM TABLE(TUMBLE(TABLE timed, DESCRIPTOR(rt), INTERVAL '1' DAY))"
                        + " GROUP BY window_start, window_end";
        org.apache.flink.table.api.TableResult result = t.executeSql(query);
        double last = Double.NaN;
        try (CloseableIterator<Row> it = result.collect()) {
            while (it.hasNext()) {
                Row r = it.next();
                if (r.getKind() == org.apache.flink.types.RowKind.INSERT
                        || r.getKind() == org.apache.flink.types.RowKind.UPDATE_AFTER) {
                    last = ((Number) r.getField(0)).doubleValue();
                }
            }
        }
        // Flink's own job runtime (job start to end: no planning, no MiniCluster start-up)
        lastNetMs = result.getJobClient().orElseThrow().getJobExecutionResult().get()
                .getNetRuntime(java.util.concurrent.TimeUnit.MILLISECONDS);
        return last;
    }

    static long lastNetMs;

    /** Value i of {@link #values}: replays the seeded generator (sequential, parallelism 1). */
    public static class Lognormal extends org.apache.flink.table.functions.ScalarFunction {
        private transient double[] cache;

        public double eval(Long i) {
            if (cache == null) cache = values(1_000_000);
            return i < cache.length ? cache[i.intValue()] : 0;
        }
    }
}

package io.hawkeye.sql;

import static org.apache.flink.table.api.Expressions.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datadoghq.sketch.ddsketch.DDSketch;
import io.hawkeye.sketch.Sketches;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SQL functions through a real planner and runtime ({@code createTemporarySystemFunction} + {@code fromValues} /
 * a watermarked stream for time windows), against exact quantiles computed here.
 */
class SketchFunctionsTest {
    private static final long BASE = Instant.parse("2026-01-01T12:00:00Z").toEpochMilli();
    private static final double ACC = 0.01;
    private static StreamExecutionEnvironment env;
    private static StreamTableEnvironment tEnv;

    @BeforeAll
    static void setUp() {
        Configuration conf = new Configuration();
        // Each collect() runs a small local job; the default network memory is too small for the windowed plans.
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.parse("128m"));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.parse("128m"));
        env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        tEnv = StreamTableEnvironment.create(env);
        register(tEnv);
    }

    static void register(StreamTableEnvironment t) {
        t.createTemporarySystemFunction("APPROX_PERCENTILE", ApproxPercentile.class);
        t.createTemporarySystemFunction("APPROX_PERCENTILES", ApproxPercentiles.class);
        t.createTemporarySystemFunction("SKETCH", Sketch.class);
        t.createTemporarySystemFunction("SKETCH_MERGE", SketchMerge.class);
        t.createTemporarySystemFunction("SKETCH_QUANTILE", SketchQuantile.class);
        t.createTemporarySystemFunction("SKETCH_COUNT", SketchCount.class);
    }

    /** The quantile DDSketch estimates: the value of rank floor(q (n-1)) of the sorted values. */
    static double exact(List<Double> values, double q) {
        double[] s = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s[(int) Math.floor(q * (s.length - 1))];
    }

    static void assertWithin(double actual, double exact, double accuracy) {
        assertThat(Math.abs(actual - exact)).as("estimate %s vs exact %s", actual, exact)
                .isLessThanOrEqualTo(accuracy * Math.abs(exact) + 1e-9);
    }

    static List<Row> collect(Table table) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = table.execute().collect()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }

    /** Final rows of a GROUP BY (the last update per key). */
    static Map<Object, Row> finalByKey(List<Row> rows) {
        Map<Object, Row> out = new TreeMap<>();
        for (Row r : rows) {
            switch (r.getKind()) {
                case INSERT, UPDATE_AFTER -> out.put(r.getField(0), r);
                default -> {}
            }
        }
        return out;
    }

    static Map<String, List<Double>> data(int n, long seed) {
        Random rnd = new Random(seed);
        Map<String, List<Double>> byKey = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            String k = "k" + (i % 3);
            byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(Math.exp(3 + rnd.nextGaussian()));
        }
        return byKey;
    }

    /** Thousands of rows: a bounded stream (fromValues code-generates one literal per row, too slow at this size). */
    static Table values(Map<String, List<Double>> byKey) {
        List<Row> rows = new ArrayList<>();
        int i = 0;
        for (var e : byKey.entrySet()) for (double v : e.getValue()) rows.add(Row.of(e.getKey(), v, i++ % 4));
        return tEnv.fromDataStream(env.fromData(rows).returns(Types.ROW_NAMED(new String[] {"k", "v", "part"},
                Types.STRING, Types.DOUBLE, Types.INT)));
    }

    @Test
    void percentilesAreWithinTheRelativeAccuracyOfExactQuantiles() throws Exception {
        Map<String, List<Double>> data = data(6000, 1);
        tEnv.createTemporaryView("acc_values", values(data));
        Map<Object, Row> result = finalByKey(collect(tEnv.sqlQuery(
                "SELECT k, APPROX_PERCENTILE(v, 0.5), APPROX_PERCENTILE(v, 0.99), APPROX_PERCENTILE(v, 0.95, 0.05),"
                        + " APPROX_PERCENTILES(v, ARRAY[0.5, 0.9, 0.99]), APPROX_PERCENTILE(CAST(v AS INT), 0.5),"
                        + " COUNT(*) FROM acc_values GROUP BY k")));
        assertThat(result).hasSize(3);
        for (var e : data.entrySet()) {
            Row r = result.get(e.getKey());
            List<Double> vs = e.getValue();
            assertWithin((Double) r.getField(1), exact(vs, 0.5), ACC);
            assertWithin((Double) r.getField(2), exact(vs, 0.99), ACC);
            assertWithin((Double) r.getField(3), exact(vs, 0.95), 0.05);
            Double[] many = (Double[]) r.getField(4);
            assertThat(many).hasSize(3);
            assertWithin(many[0], exact(vs, 0.5), ACC);
            assertWithin(many[1], exact(vs, 0.9), ACC);
            assertWithin(many[2], exact(vs, 0.99), ACC);
            List<Double> ints = vs.stream().map(v -> (double) v.intValue()).toList();
            assertWithin((Double) r.getField(5), exact(ints, 0.5), ACC);
            assertThat(r.getField(6)).isEqualTo((long) vs.size());
        }
    }

    @Test
    void mergedPartialSketchesEqualTheSketchOfAll() throws Exception {
        Map<String, List<Double>> data = data(3000, 2);
        tEnv.createTemporaryView("merge_values", values(data));
        Map<Object, Row> whole = finalByKey(collect(tEnv.sqlQuery(
                "SELECT k, SKETCH(v) FROM merge_values GROUP BY k")));
        Map<Object, Row> merged = finalByKey(collect(tEnv.sqlQuery(
                "SELECT k, SKETCH_MERGE(s), SKETCH_COUNT(SKETCH_MERGE(s)), SKETCH_QUANTILE(SKETCH_MERGE(s), 0.99)"
                        + " FROM (SELECT k, part, SKETCH(v) AS s FROM merge_values GROUP BY k, part) GROUP BY k")));
        for (var e : data.entrySet()) {
            byte[] all = (byte[]) whole.get(e.getKey()).getField(1);
            Row m = merged.get(e.getKey());
            DDSketch a = Sketches.fromBytes(all);
            DDSketch b = Sketches.fromBytes((byte[]) m.getField(1));
            assertThat(b.getCount()).isEqualTo(a.getCount()).isEqualTo(e.getValue().size());
            for (double q : new double[] {0, 0.1, 0.5, 0.9, 0.99, 0.999, 1}) {
                assertThat(b.getValueAtQuantile(q)).isEqualTo(a.getValueAtQuantile(q));
            }
            assertThat(m.getField(2)).isEqualTo((long) e.getValue().size());
            assertWithin((Double) m.getField(3), exact(e.getValue(), 0.99), ACC);
            // The SQL bytes are Sketches.toBytes of the values: what the DataStream job writes.
            DDSketch direct = Sketches.create(ACC);
            e.getValue().forEach(direct::accept);
            assertThat(all).isEqualTo(Sketches.toBytes(direct));
        }
    }

    @Test
    void accumulatorStateRoundTripsThroughItsSerializer() throws Exception {
        SketchAccumulator acc = new SketchAccumulator();
        acc.quantiles = new double[] {0.5, 0.99};
        for (int i = 1; i <= 1000; i++) acc.add(i, ACC);
        acc.retract(7, ACC);
        DataOutputSerializer out = new DataOutputSerializer(64);
        SketchAccumulatorSerializer.INSTANCE.serialize(acc, out);
        SketchAccumulator back = SketchAccumulatorSerializer.INSTANCE.deserialize(
                new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back).isEqualTo(acc);
        assertThat(back.current().getCount()).isEqualTo(999);
        assertThat(out.length()).as("state bytes").isLessThan(2048);
        assertThat(SketchAccumulatorSerializer.INSTANCE.snapshotConfiguration().restoreSerializer())
                .isSameAs(SketchAccumulatorSerializer.INSTANCE);
    }

    @Test
    void nullAndNonFiniteValuesAreIgnoredAndBadQuantilesFail() throws Exception {
        Table t = tEnv.fromValues(DataTypes.ROW(DataTypes.FIELD("k", DataTypes.STRING()),
                        DataTypes.FIELD("v", DataTypes.DOUBLE())),
                row("a", 1.0), row("a", (Object) null), row("a", -4.0), row("a", 0.0), row("a", 10.0),
                row("b", (Object) null));
        tEnv.createTemporaryView("rules_base", t);
        tEnv.createTemporaryView("rules_values", tEnv.sqlQuery("SELECT k, v FROM rules_base UNION ALL"
                + " SELECT * FROM (VALUES ('a', CAST('NaN' AS DOUBLE)), ('a', CAST('Infinity' AS DOUBLE)),"
                + " ('b', CAST('NaN' AS DOUBLE))) AS n(k, v)"));
        Map<Object, Row> r = finalByKey(collect(tEnv.sqlQuery(
                "SELECT k, SKETCH_COUNT(SKETCH(v)), APPROX_PERCENTILE(v, 0), APPROX_PERCENTILE(v, 1),"
                        + " APPROX_PERCENTILE(v, 0.5), SKETCH(v) FROM rules_values GROUP BY k")));
        assertThat(r.get("a").getField(1)).isEqualTo(4L); // 1, -4, 0, 10
        assertWithin((Double) r.get("a").getField(2), -4.0, ACC);
        assertWithin((Double) r.get("a").getField(3), 10.0, ACC);
        assertWithin((Double) r.get("a").getField(4), 0.0, ACC);
        assertThat(r.get("b").getField(1)).isNull();
        assertThat(r.get("b").getField(2)).isNull();
        assertThat(r.get("b").getField(5)).isNull();

        assertThat(collect(tEnv.sqlQuery("SELECT SKETCH_QUANTILE(x'00ff13', 0.5), SKETCH_COUNT(x'00ff13'),"
                + " SKETCH_QUANTILE(CAST(NULL AS BYTES), 0.5)")).get(0))
                .isEqualTo(Row.of(null, null, null));
        assertThat(collect(tEnv.sqlQuery("SELECT SKETCH_COUNT(SKETCH_MERGE(s)) FROM (VALUES (x'00ff13'),"
                + " (CAST(NULL AS BYTES))) AS t(s)")).get(0).getField(0)).isNull();

        // a per-row quantile is fine for the scalar function; out of range there fails the job (runtime rule)
        DDSketch oneTwoThree = Sketches.create(ACC);
        for (double x : new double[] {1, 2, 3}) oneTwoThree.accept(x);
        String hex = java.util.HexFormat.of().formatHex(Sketches.toBytes(oneTwoThree));
        List<Row> perRow = collect(tEnv.sqlQuery("SELECT q, SKETCH_QUANTILE(x'" + hex + "', q) FROM (VALUES (0.0),"
                + " (1.0)) AS t(q)"));
        assertThat(perRow).hasSize(2);
        for (Row q : perRow) {
            assertWithin((Double) q.getField(1), ((Number) q.getField(0)).doubleValue() == 0 ? 1 : 3, ACC);
        }
        assertThatThrownBy(() -> collect(tEnv.sqlQuery("SELECT SKETCH_QUANTILE(x'" + hex + "', q) FROM (VALUES"
                + " (0.5), (1.5)) AS t(q)")))
                .hasStackTraceContaining("SKETCH_QUANTILE: quantile must be in [0, 1], got 1.5");
    }

    /** Literal arguments out of range, and per-row quantiles of the aggregates, fail when the query is planned. */
    @Test
    void badLiteralArgumentsAreRejectedAtPlanningTime() {
        tEnv.createTemporaryView("plan_values", tEnv.fromValues(DataTypes.ROW(
                DataTypes.FIELD("k", DataTypes.STRING()), DataTypes.FIELD("v", DataTypes.DOUBLE()),
                DataTypes.FIELD("q", DataTypes.DOUBLE())), row("a", 1.0, 0.5)));
        String[][] cases = {
            {"SELECT APPROX_PERCENTILE(v, 1.5) FROM plan_values", "APPROX_PERCENTILE: quantile must be in [0, 1], got 1.5"},
            {"SELECT APPROX_PERCENTILE(v, -1) FROM plan_values", "APPROX_PERCENTILE: quantile must be in [0, 1], got -1.0"},
            {"SELECT APPROX_PERCENTILE(v, CAST(NULL AS DOUBLE)) FROM plan_values", "APPROX_PERCENTILE: the quantile"
                + " (argument 2) must be a constant literal in [0, 1]"},
            {"SELECT APPROX_PERCENTILE(v, 0.5, 2) FROM plan_values",
                "APPROX_PERCENTILE: relative_accuracy must be in (0, 1), got 2.0"},
            {"SELECT APPROX_PERCENTILE(v, 0.5, 0) FROM plan_values",
                "APPROX_PERCENTILE: relative_accuracy must be in (0, 1), got 0.0"},
            {"SELECT k, APPROX_PERCENTILE(v, q) FROM plan_values GROUP BY k",
                "APPROX_PERCENTILE: the quantile (argument 2) must be a constant literal in [0, 1]"},
            {"SELECT APPROX_PERCENTILE(v, CAST(0.99 AS DOUBLE)) FROM plan_values", // an expression, even constant
                "APPROX_PERCENTILE: the quantile (argument 2) must be a constant literal in [0, 1]"},
            {"SELECT APPROX_PERCENTILE(v, 0.5, q) FROM plan_values",
                "APPROX_PERCENTILE: the relative_accuracy (argument 3) must be a constant literal in (0, 1)"},
            {"SELECT APPROX_PERCENTILES(v, ARRAY[0.5, 0.9], 1.5) FROM plan_values",
                "APPROX_PERCENTILES: relative_accuracy must be in (0, 1), got 1.5"},
            {"SELECT SKETCH(v, 1) FROM plan_values", "SKETCH: relative_accuracy must be in (0, 1), got 1.0"},
            {"SELECT SKETCH_QUANTILE(SKETCH(v), -0.1) FROM plan_values",
                "SKETCH_QUANTILE: quantile must be in [0, 1], got -0.1"},
            {"SELECT APPROX_PERCENTILE(v, 2) OVER (PARTITION BY k ORDER BY proctime ROWS BETWEEN 9 PRECEDING"
                + " AND CURRENT ROW) FROM (SELECT *, PROCTIME() AS proctime FROM plan_values)",
                "APPROX_PERCENTILE: quantile must be in [0, 1], got 2.0"},
        };
        List<String> accepted = new ArrayList<>();
        for (String[] c : cases) {
            try {
                tEnv.sqlQuery(c[0]).explain();
                accepted.add(c[0]);
            } catch (ValidationException expected) {
                assertThat(expected).as(c[0]).hasStackTraceContaining(c[1]);
            }
        }
        assertThat(accepted).as("queries that should have been rejected").isEmpty();
        // ARRAY[...] is a constructor call, not a literal, for the planner: its elements are checked by the
        // aggregate on the first row, which fails the job before any result
        assertThatThrownBy(() -> collect(tEnv.sqlQuery("SELECT APPROX_PERCENTILES(v, ARRAY[0.5, 1.5]) FROM plan_values")))
                .hasStackTraceContaining("APPROX_PERCENTILES: quantile must be in [0, 1], got 1.5");
        // valid literals of any numeric type plan fine
        tEnv.sqlQuery("SELECT APPROX_PERCENTILE(v, 1), APPROX_PERCENTILE(v, 0.5, 0.05), APPROX_PERCENTILE(v,"
                + " 9.9E-1), SKETCH(v, 0.02), APPROX_PERCENTILES(v, ARRAY[0.0, 1.0]) FROM plan_values")
                .explain();
    }

    /** Spans: one every 100 ms over 5 minutes, two keys, lognormal values; event time on column rt. */
    static List<Row> timed(long seed) {
        Random rnd = new Random(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            rows.add(Row.of(BASE + i * 100L, i % 2 == 0 ? "a" : "b", Math.exp(2 + rnd.nextGaussian())));
        }
        return rows;
    }

    static void timedView(String name, List<Row> rows) {
        DataStream<Row> ds = env.fromData(rows).returns(Types.ROW_NAMED(new String[] {"ts", "k", "v"},
                        Types.LONG, Types.STRING, Types.DOUBLE))
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Row>forMonotonousTimestamps()
                        .withTimestampAssigner((r, t) -> (Long) r.getField(0)));
        tEnv.createTemporaryView(name, tEnv.fromDataStream(ds, Schema.newBuilder()
                .columnByMetadata("rt", DataTypes.TIMESTAMP_LTZ(3), "rowtime").watermark("rt", "SOURCE_WATERMARK()").build()));
    }

    @Test
    void overWindowRetractsValuesLeavingTheWindow() throws Exception {
        List<Row> rows = timed(3);
        timedView("over_values", rows);
        List<Row> out = collect(tEnv.sqlQuery("SELECT ts, k, APPROX_PERCENTILE(v, 0.9) OVER w,"
                + " APPROX_PERCENTILES(v, ARRAY[0.1, 0.5]) OVER w, COUNT(v) OVER w FROM over_values"
                + " WINDOW w AS (PARTITION BY k ORDER BY rt ROWS BETWEEN 19 PRECEDING AND CURRENT ROW)"));
        assertThat(out).hasSize(rows.size());
        Map<String, List<Double>> history = new HashMap<>();
        Map<Long, Row> byTs = new HashMap<>();
        out.forEach(r -> byTs.put((Long) r.getField(0), r));
        for (Row in : rows) {
            List<Double> h = history.computeIfAbsent((String) in.getField(1), x -> new ArrayList<>());
            h.add((Double) in.getField(2));
            List<Double> window = h.subList(Math.max(0, h.size() - 20), h.size());
            Row r = byTs.get((Long) in.getField(0));
            assertThat(r.getField(4)).isEqualTo((long) window.size());
            assertWithin((Double) r.getField(2), exact(window, 0.9), ACC);
            Double[] qs = (Double[]) r.getField(3);
            assertWithin(qs[0], exact(window, 0.1), ACC);
            assertWithin(qs[1], exact(window, 0.5), ACC);
        }
        // SKETCH retracts too: the sketch of the last 3 values per key.
        List<Row> sketches = collect(tEnv.sqlQuery("SELECT ts, SKETCH_COUNT(s), SKETCH_QUANTILE(s, 1) FROM ("
                + "SELECT ts, SKETCH(v) OVER (PARTITION BY k ORDER BY rt ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)"
                + " AS s FROM over_values)"));
        assertThat(sketches).hasSize(rows.size());
        assertThat(sketches).allSatisfy(r -> assertThat((Long) r.getField(1)).isBetween(1L, 3L));
        assertThat(sketches.stream().filter(r -> (Long) r.getField(1) == 3L).count()).isEqualTo(rows.size() - 4);
    }

    @Test
    void windowTvfsMatchExactPerWindowStatistics() throws Exception {
        List<Row> rows = timed(4);
        timedView("tvf_values", rows);
        String[] tvfs = {
            "TUMBLE(TABLE tvf_values, DESCRIPTOR(rt), INTERVAL '1' MINUTE)",
            "HOP(TABLE tvf_values, DESCRIPTOR(rt), INTERVAL '30' SECOND, INTERVAL '1' MINUTE)",
            "CUMULATE(TABLE tvf_values, DESCRIPTOR(rt), INTERVAL '20' SECOND, INTERVAL '1' MINUTE)"
        };
        long[][] specs = {{60_000, 60_000, 0}, {30_000, 60_000, 0}, {20_000, 60_000, 1}};
        for (int t = 0; t < tvfs.length; t++) {
            List<Row> out = collect(tEnv.sqlQuery("SELECT k, CAST(window_start AS TIMESTAMP_LTZ(3)),"
                    + " CAST(window_end AS TIMESTAMP_LTZ(3)), COUNT(*), APPROX_PERCENTILE(v, 0.99),"
                    + " SKETCH_QUANTILE(SKETCH(v), 0.5) FROM TABLE(" + tvfs[t] + ")"
                    + " GROUP BY k, window_start, window_end"));
            assertThat(out).as(tvfs[t]).isNotEmpty();
            for (Row r : out) {
                long start = ((Instant) r.getField(1)).toEpochMilli();
                long end = ((Instant) r.getField(2)).toEpochMilli();
                List<Double> in = rows.stream().filter(x -> x.getField(1).equals(r.getField(0)))
                        .filter(x -> (Long) x.getField(0) >= start && (Long) x.getField(0) < end)
                        .map(x -> (Double) x.getField(2)).toList();
                assertThat(r.getField(3)).as("%s %s", tvfs[t], r).isEqualTo((long) in.size());
                assertWithin((Double) r.getField(4), exact(in, 0.99), ACC);
                assertWithin((Double) r.getField(5), exact(in, 0.5), ACC);
            }
            long expectedWindows = expectedWindowCount(specs[t], rows);
            assertThat(out).as(tvfs[t]).hasSize((int) expectedWindows * 2);
        }
    }

    /** Number of non-empty windows per key (both keys cover the same range). */
    private static long expectedWindowCount(long[] spec, List<Row> rows) {
        long step = spec[0], size = spec[1];
        boolean cumulate = spec[2] == 1;
        long first = BASE, last = (Long) rows.get(rows.size() - 1).getField(0);
        java.util.Set<String> windows = new java.util.HashSet<>();
        for (long ts = first; ts <= last; ts += 100) {
            if (cumulate) {
                long start = ts - Math.floorMod(ts, size);
                for (long end = start + step; end <= start + size; end += step) {
                    if (ts < end) windows.add(start + "-" + end);
                }
            } else {
                for (long start = ts - Math.floorMod(ts, step); start > ts - size; start -= step) {
                    windows.add(start + "-" + (start + size));
                }
            }
        }
        return windows.size();
    }
}

package io.hawkeye.jobs.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.alerts.Alert;
import io.hawkeye.jobs.testing.MetricWindows;
import io.hawkeye.jobs.testing.TestJobs;
import io.hawkeye.stats.MetricStats;
import io.hawkeye.stats.WindowStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link DetectionWorkflow#build} on a MiniCluster (parallelism 2): 4 hours of synthetic one-minute window
 * statistics for two endpoints and their service rollup plus a CPU metric; in windows 150–159 POST /pay gets 5x
 * its p99 and a 20 % error rate. Exactly the expected alerts fire once and resolve.
 */
class DetectionWorkflowTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestJobs.miniCluster();

    static final long T0 = 1_767_268_800_000L;
    static final long MIN = 60_000;
    static final int WINDOWS = 240;

    static WindowStats stats(String scope, String endpoint, int i, long count, long errors, double p50,
            double p95, double p99) {
        WindowStats w = new WindowStats();
        w.scope = scope;
        w.service = "checkout";
        w.endpoint = endpoint;
        w.seriesId = WindowStats.seriesId(w.service, endpoint);
        w.windowStart = T0 + i * MIN;
        w.windowEnd = w.windowStart + MIN;
        w.count = count;
        w.errors = errors;
        w.errorRate = (double) errors / count;
        w.rps = count / 60.0;
        w.p50Ms = p50;
        w.p90Ms = p95 * 0.9;
        w.p95Ms = p95;
        w.p99Ms = p99;
        w.p999Ms = p99 * 1.5;
        w.minMs = p50 / 10;
        w.meanMs = p50 * 1.2;
        w.maxMs = p99 * 2;
        w.relativeAccuracy = 0.01;
        return w;
    }

    static List<WindowStats> data() {
        SplittableRandom r = new SplittableRandom(2026);
        List<WindowStats> out = new ArrayList<>();
        for (int i = 0; i < WINDOWS; i++) {
            boolean fault = i >= 150 && i < 160;
            long payCount = Math.round(3000 * Math.exp(0.05 * r.nextGaussian()));
            long payErrors = Math.round(payCount * (fault ? 0.2 : 0.01 * Math.exp(0.2 * r.nextGaussian())));
            double payP50 = 40 * Math.exp(0.05 * r.nextGaussian());
            double payP99 = (fault ? 1000 : 200) * Math.exp(0.05 * r.nextGaussian());
            long cartCount = Math.round(6000 * Math.exp(0.05 * r.nextGaussian()));
            long cartErrors = Math.round(cartCount * 0.005 * Math.exp(0.2 * r.nextGaussian()));
            double cartP50 = 10 * Math.exp(0.05 * r.nextGaussian());
            double cartP99 = 80 * Math.exp(0.05 * r.nextGaussian());
            out.add(stats("endpoint", "POST /pay", i, payCount, payErrors, payP50, payP99 * 0.75, payP99));
            out.add(stats("endpoint", "GET /cart", i, cartCount, cartErrors, cartP50, cartP99 * 0.75, cartP99));
            out.add(stats("service", WindowStats.ALL_ENDPOINTS, i, payCount + cartCount, payErrors + cartErrors,
                    (payP50 * payCount + cartP50 * cartCount) / (payCount + cartCount),
                    Math.max(payP99, cartP99) * 0.75, Math.max(payP99, cartP99)));
        }
        return out;
    }

    static List<MetricStats> metrics() {
        SplittableRandom r = new SplittableRandom(7);
        List<MetricStats> out = new ArrayList<>();
        for (int i = 0; i < WINDOWS; i++) {
            out.add(MetricWindows.steady("checkout", "cpu_utilization", T0 + i * MIN, T0 + (i + 1) * MIN, 12,
                    0.4 + 0.02 * r.nextGaussian()));
        }
        return out;
    }

    /**
     * {@code records} as in the job: each series arrives in window order from one subtask of a keyed operator (the
     * window aggregator) running at the job's parallelism, with event time from {@code timestamp}.
     */
    static <T> DataStream<T> asFromTheAggregator(StreamExecutionEnvironment env, List<T> records, Class<T> type,
            KeySelector<T, String> series, SerializableTimestampAssigner<T> timestamp) {
        return env.fromData(records, TypeInformation.of(type))
                .setParallelism(1)
                .assignTimestampsAndWatermarks(WatermarkStrategy.<T>forMonotonousTimestamps()
                        .withTimestampAssigner(timestamp))
                .setParallelism(1)
                .keyBy(series).map(r -> r).returns(TypeInformation.of(type));
    }

    @Test
    void injectedAnomalyFiresOnceAndResolvesForTheAffectedSeriesOnly() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<WindowStats> windows = asFromTheAggregator(env, data(), WindowStats.class, w -> w.seriesId,
                (w, ts) -> w.windowEnd - 1);
        DataStream<MetricStats> metricStats = asFromTheAggregator(env, metrics(), MetricStats.class, m -> m.seriesId,
                (m, ts) -> m.windowEnd - 1);
        DetectionConfig config = DetectionConfig.defaults()
                .with(b -> b.seriesIdleTimeoutMs = Duration.ofDays(1).toMillis());
        DetectionWorkflow.Outputs out = DetectionWorkflow.build(windows, metricStats, null, config);
        CloseableIterator<Alert> alertIt = out.alerts().collectAsync();
        CloseableIterator<AnomalyScore> scoreIt = out.scores().collectAsync();
        env.execute("detection workflow test");

        List<Alert> alerts = new ArrayList<>();
        alertIt.forEachRemaining(alerts::add);
        List<AnomalyScore> scores = new ArrayList<>();
        scoreIt.forEachRemaining(scores::add);

        // Every window of every signal was scored: 3 series × 4 signals + 1 metric, the first 30 of each LEARNING.
        assertThat(scores).hasSize(WINDOWS * 13);
        assertThat(scores).filteredOn(s -> s.state.equals("LEARNING")).hasSize(30 * 13);

        Map<String, List<Alert>> byId = alerts.stream().collect(Collectors.groupingBy(
                a -> a.detector + " " + a.endpoint + " " + a.signal, TreeMap::new, Collectors.toList()));
        // The multivariate detectors (service checkout: windows ⋈ cpu_utilization) see the same fault.
        assertThat(byId.keySet()).containsExactly(
                "iforest _all multivariate",
                "relationship _all multivariate",
                "rule:HighErrorRate POST /pay HighErrorRate",
                "seasonal POST /pay error_rate",
                "seasonal POST /pay p99_ms",
                "seasonal _all error_rate",
                "seasonal _all p99_ms");
        for (Map.Entry<String, List<Alert>> e : byId.entrySet()) {
            List<Alert> seq = e.getValue().stream()
                    .sorted((a, b) -> Long.compare(a.windowStart, b.windowStart)).toList();
            assertThat(seq.get(0).status).as(e.getKey()).isEqualTo(Alert.FIRING);
            assertThat(seq.get(0).startsAt).as(e.getKey()).isEqualTo(T0 + 150 * MIN);
            assertThat(seq.get(seq.size() - 1).status).as(e.getKey()).isEqualTo(Alert.RESOLVED);
            assertThat(seq.get(seq.size() - 1).endsAt).as(e.getKey()).isEqualTo(T0 + 160 * MIN);
            assertThat(seq).as(e.getKey()).filteredOn(a -> a.status.equals(Alert.RESOLVED)).hasSize(1);
            // seasonal: fire at 150 (for = 2, but the first window alone is beyond the budget's threshold squared:
            // at once), one update at 155 (every 5), resolve at 162 (quiet = 3); multivariate (fixed fire score):
            // fire at 151 (for = 2), update at 156
            long f = e.getKey().startsWith("seasonal") ? 150 : 151;
            assertThat(seq).as(e.getKey()).extracting(a -> (a.windowStart - T0) / MIN)
                    .containsExactly(f, f + 5, 162L);
            assertThat(new TreeSet<>(seq.stream().map(a -> a.alertId).toList())).hasSize(1);
        }
        for (String mv : List.of("iforest _all multivariate", "relationship _all multivariate")) {
            Alert fire = byId.get(mv).get(0);
            assertThat(fire.attribution.get(0).feature).as(mv).isIn("error_rate", "log_p99_ms");
            assertThat(fire.modelVersion).as(mv).startsWith(fire.detector + "-");
        }
        Alert rule = byId.get("rule:HighErrorRate POST /pay HighErrorRate").get(0);
        assertThat(rule.severity).isEqualTo("critical");
        assertThat(rule.value).isCloseTo(0.2, org.assertj.core.data.Offset.offset(0.001));
        assertThat(rule.upper).isEqualTo(0.05);
        assertThat(rule.labels).containsEntry("slo", "availability");
    }
}

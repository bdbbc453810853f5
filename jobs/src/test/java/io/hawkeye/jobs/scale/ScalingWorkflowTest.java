package io.hawkeye.jobs.scale;

import static io.hawkeye.jobs.scale.ScalingTestData.DAY;
import static io.hawkeye.jobs.scale.ScalingTestData.PEAK_OFFSET;
import static io.hawkeye.jobs.scale.ScalingTestData.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.jobs.testing.TestJobs;
import io.hawkeye.scaling.ForecastScore;
import io.hawkeye.scaling.LoadForecast;
import io.hawkeye.scaling.ScalingAction;
import io.hawkeye.stats.MetricStats;
import io.hawkeye.stats.WindowStats;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ScalingWorkflow#build} on a MiniCluster (parallelism 2) with bounded window and metric statistics. */
class ScalingWorkflowTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestJobs.miniCluster();

    static <T> List<T> drain(CloseableIterator<T> it) throws Exception {
        List<T> out = new ArrayList<>();
        try (it) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void twoServicesThreeDaysOpenLoop() throws Exception {
        int n = 3 * 1440;
        List<WindowStats> ws = new ArrayList<>();
        List<MetricStats> ms = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (String svc : List.of("checkout", "cart")) {
                long seed = svc.equals("checkout") ? 1 : 2;
                ws.add(ScalingTestData.windowStats(svc, i, seed));
                ms.add(ScalingTestData.metric(svc, "replicas", i, 12));
                ms.add(ScalingTestData.metric(svc, "cpu_utilization", i, ScalingTestData.cpu(i, seed, 12)));
            }
        }
        org.apache.flink.configuration.Configuration conf = new org.apache.flink.configuration.Configuration();
        conf.set(org.apache.flink.configuration.PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        DataStream<WindowStats> windowStats = env.fromData(ws, TypeInformation.of(WindowStats.class))
                .assignTimestampsAndWatermarks(WatermarkStrategy.<WindowStats>forMonotonousTimestamps()
                        .withTimestampAssigner((w, ts) -> w.windowEnd - 1));
        DataStream<MetricStats> metricStats = env.fromData(ms, TypeInformation.of(MetricStats.class))
                .assignTimestampsAndWatermarks(WatermarkStrategy.<MetricStats>forMonotonousTimestamps()
                        .withTimestampAssigner((m, ts) -> m.windowEnd - 1));
        ScalingWorkflow.Outputs out = ScalingWorkflow.build(windowStats, metricStats, ScalingConfig.defaults());
        CloseableIterator<LoadForecast> forecasts = out.forecasts().collectAsync();
        CloseableIterator<ScalingAction> actions = out.actions().collectAsync();
        CloseableIterator<ForecastScore> scores = out.scores().collectAsync();
        env.execute("scaling workflow test");

        List<LoadForecast> f = drain(forecasts);
        List<ScalingAction> a = drain(actions);
        List<ForecastScore> s = drain(scores);
        assertThat(f).hasSize(2 * n);
        assertThat(f).filteredOn(x -> x.service.equals("checkout")).hasSize(n);
        assertThat(a).isNotEmpty().allMatch(x -> x.mode.equals("shadow") && x.currentReplicas == 12);
        // day 1 (forecaster LEARNING): reactive warm-up actions only; predictive ones once it is DAILY
        assertThat(a).filteredOn(x -> x.generatedAt <= T0 + DAY).isNotEmpty()
                .allMatch(x -> x.model.startsWith("reactive-warmup+"));
        assertThat(a).filteredOn(x -> x.model.startsWith("seasonal-v1/")).isNotEmpty()
                .allMatch(x -> x.generatedAt > T0 + DAY);
        for (String svc : List.of("checkout", "cart")) {
            long peak = T0 + 2 * DAY + PEAK_OFFSET;
            // shadow: the replicas stay at 12, so the scaler asks for more ahead of the day-3 peak
            assertThat(a).filteredOn(x -> x.service.equals(svc) && x.isScaleUp() && x.generatedAt < peak
                    && x.generatedAt > peak - DAY / 2).isNotEmpty();
            assertThat(a).filteredOn(x -> x.service.equals(svc)).extracting(x -> x.actionId).doesNotHaveDuplicates();
            assertThat(s).filteredOn(x -> x.service.equals(svc)).isNotEmpty();
        }
        System.out.printf("workflow: %d forecasts, %d actions, %d scores%n", f.size(), a.size(), s.size());
    }
}

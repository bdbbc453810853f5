package io.hawkeye.jobs.scale;

import static io.hawkeye.jobs.scale.ScalingTestData.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.stats.MetricStats;
import io.hawkeye.stats.WindowStats;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class LoadJoinerTest {
    static KeyedTwoInputStreamOperatorTestHarness<String, WindowStats, MetricStats, ServiceLoad> harness()
            throws Exception {
        var h = ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(new LoadJoiner(), w -> w.service,
                m -> m.service, Types.STRING);
        h.open();
        return h;
    }

    @Test
    void joinsRequestStatsWithReplicasAndCpuOfTheSameWindowAtTheWatermark() throws Exception {
        try (var h = harness()) {
            WindowStats w0 = ScalingTestData.windowStats("checkout", 0, 1);
            WindowStats w1 = ScalingTestData.windowStats("checkout", 1, 1);
            h.processElement2(ScalingTestData.metric("checkout", "replicas", 1, 5), w1.windowEnd - 1);
            h.processElement1(w1, w1.windowEnd - 1);
            h.processElement2(ScalingTestData.metric("checkout", "cpu_utilization", 0, 0.4), w0.windowEnd - 1);
            h.processElement2(ScalingTestData.metric("checkout", "replicas", 0, 4), w0.windowEnd - 1);
            h.processElement2(ScalingTestData.metric("checkout", "queue_depth", 0, 7), w0.windowEnd - 1);
            h.processElement1(w0, w0.windowEnd - 1);
            WindowStats endpoint = ScalingTestData.windowStats("checkout", 0, 1);
            endpoint.scope = WindowStats.SCOPE_ENDPOINT;
            h.processElement1(endpoint, w0.windowEnd - 1);
            // only metrics, no requests, in window 2
            h.processElement2(ScalingTestData.metric("checkout", "replicas", 2, 5), w1.windowEnd + MINUTE - 1);
            assertThat(h.extractOutputValues()).isEmpty();

            h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(w0.windowEnd - 1));
            assertThat(h.extractOutputValues()).containsExactly(
                    ServiceLoad.of("checkout", w0.windowStart, w0.windowEnd, w0.rps, 100, 4, 0.4));
            h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(w1.windowEnd + MINUTE - 1));
            var out = h.extractOutputValues();
            assertThat(out).hasSize(3);
            assertThat(out.get(1)).isEqualTo(
                    ServiceLoad.of("checkout", w1.windowStart, w1.windowEnd, w1.rps, 100, 5, Double.NaN));
            assertThat(out.get(2).hasRequests).isFalse();
            assertThat(out.get(2).rps).isZero();
            assertThat(out.get(2).replicas).isEqualTo(5);

            // a late revision of an emitted window is ignored
            WindowStats revised = ScalingTestData.windowStats("checkout", 0, 1);
            revised.revision = 1;
            h.processElement1(revised, w0.windowEnd - 1);
            h.processElement2(ScalingTestData.metric("checkout", "replicas", 0, 9), w0.windowEnd - 1);
            assertThat(h.extractOutputValues()).hasSize(3);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}

package io.hawkeye.jobs.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.alerts.Alert;
import io.hawkeye.detect.multivariate.ServiceFeatures;
import io.hawkeye.stats.MetricStats;
import io.hawkeye.stats.WindowStats;
import io.hawkeye.telemetry.Signals;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.junit.jupiter.api.Test;

/** The keyed multivariate operator: join, learning → steady → anomaly → fire → resolve, and state cleanup. */
class MultivariateDetectionFunctionTest {
    static final long T0 = 1_767_268_800_000L; // 2026-01-01T12:00:00Z
    static final long MIN = 60_000;

    static KeyedTwoInputStreamOperatorTestHarness<String, WindowStats, MetricStats, Alert> harness(DetectionConfig c)
            throws Exception {
        return harness(c, false, null);
    }

    static KeyedTwoInputStreamOperatorTestHarness<String, WindowStats, MetricStats, Alert> harness(DetectionConfig c,
            boolean rocksdb, OperatorSubtaskState restore) throws Exception {
        if (!rocksdb && restore == null) {
            var h = ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(new MultivariateDetectionFunction(c),
                    w -> w.service, m -> m.service, Types.STRING);
            h.open();
            return h;
        }
        var h = new KeyedTwoInputStreamOperatorTestHarness<String, WindowStats, MetricStats, Alert>(
                new KeyedCoProcessOperator<>(new MultivariateDetectionFunction(c)),
                (WindowStats w) -> w.service, (MetricStats m) -> m.service, Types.STRING);
        if (rocksdb) h.setStateBackend(new EmbeddedRocksDBStateBackend());
        if (restore != null) h.initializeState(restore);
        else h.setup();
        h.open();
        return h;
    }

    static DetectionConfig config() {
        DetectionConfig.Builder c = new DetectionConfig.Builder();
        c.seriesIdleTimeoutMs = Duration.ofHours(2).toMillis();
        // The synthetic load cycle lasts 240 windows: learn through one full cycle (see docs/detection.md —
        // a model that has never seen a trough flags it).
        c.multivariateModel = c.multivariateModel.with(m -> m.minHistory = 240);
        return c.build();
    }

    static WindowStats window(String service, int i, double rps, double p50, double p99, double errorRate) {
        WindowStats w = new WindowStats();
        w.scope = WindowStats.SCOPE_SERVICE;
        w.service = service;
        w.endpoint = WindowStats.ALL_ENDPOINTS;
        w.seriesId = WindowStats.seriesId(service, WindowStats.ALL_ENDPOINTS);
        w.windowStart = T0 + i * MIN;
        w.windowEnd = w.windowStart + MIN;
        w.count = Math.round(rps * 60);
        w.errors = Math.round(w.count * errorRate);
        w.errorRate = errorRate;
        w.rps = rps;
        w.p50Ms = p50;
        w.p99Ms = p99;
        return w;
    }

    static MetricStats cpu(String service, int i, double value) {
        MetricStats m = new MetricStats();
        m.service = service;
        m.name = Signals.CPU_UTILIZATION;
        m.seriesId = service + "|cpu_utilization";
        m.windowStart = T0 + i * MIN;
        m.windowEnd = m.windowStart + MIN;
        m.count = 6;
        m.mean = value;
        m.min = value;
        m.max = value;
        m.last = value;
        return m;
    }

    /** Window i of a healthy service: load follows a slow cycle, CPU tracks load, p99 factor applied. */
    static void feed(KeyedTwoInputStreamOperatorTestHarness<String, WindowStats, MetricStats, Alert> h, Random r,
            int i, double p99Factor) throws Exception {
        double t = 0.5 + 0.4 * Math.sin(2 * Math.PI * i / 240.0) + 0.05 * r.nextGaussian();
        WindowStats w = window("checkout", i, (50 + 150 * t) * Math.exp(0.03 * r.nextGaussian()),
                20 * Math.exp(0.05 * r.nextGaussian()), p99Factor * 100 * Math.exp(0.08 * r.nextGaussian()),
                Math.max(0, 0.01 + 0.002 * r.nextGaussian()));
        h.processElement1(w, w.windowEnd - 1);
        h.processElement2(cpu("checkout", i, 0.2 + 0.6 * t + 0.015 * r.nextGaussian()), w.windowEnd - 1);
        h.processBothWatermarks(new Watermark(w.windowEnd - 1));
    }

    /** Windows {@code [from, to)} of the healthy service ({@link #feed}); returns to. */
    static int feed(KeyedTwoInputStreamOperatorTestHarness<String, WindowStats, MetricStats, Alert> h, Random r,
            int from, int to, double p99Factor) throws Exception {
        for (int i = from; i < to; i++) feed(h, r, i, p99Factor);
        return to;
    }

    @Test
    void learnsThenFiresWithAttributionAndResolvesThenCleansUp() throws Exception {
        Random r = new Random(42);
        try (var h = harness(config())) {
            int i = feed(h, r, 0, 480, 1);
            assertThat(h.extractOutputValues()).as("no alert while learning and in steady state").isEmpty();

            int anomalyStart = i;
            i = feed(h, r, i, anomalyStart + 8, 6); // p99 six times its level
            List<Alert> fired = h.extractOutputValues();
            // one FIRE per detector, then (8 windows, update every 5) one UPDATE each
            assertThat(fired).extracting(a -> a.detector)
                    .containsExactlyInAnyOrder(MultivariateDetectionFunction.FOREST,
                            MultivariateDetectionFunction.RELATIONSHIP, MultivariateDetectionFunction.FOREST,
                            MultivariateDetectionFunction.RELATIONSHIP);
            assertThat(fired.subList(0, 2)).allSatisfy(
                    a -> assertThat(a.windowStart).isEqualTo(T0 + (anomalyStart + 1) * MIN));
            for (Alert a : fired) {
                assertThat(a.status).isEqualTo(Alert.FIRING);
                assertThat(a.service).isEqualTo("checkout");
                assertThat(a.endpoint).isEqualTo(WindowStats.ALL_ENDPOINTS);
                assertThat(a.signal).isEqualTo(MultivariateDetectionFunction.SIGNAL);
                assertThat(a.startsAt).isEqualTo(T0 + anomalyStart * MIN);
                assertThat(a.score).isGreaterThanOrEqualTo(0.9);
                assertThat(a.attribution.get(0).feature).isEqualTo(ServiceFeatures.LOG_P99);
                assertThat(a.attribution.stream().mapToDouble(x -> x.contribution).sum())
                        .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
                assertThat(a.modelVersion).matches(a.detector + "-\\d+-\\d+");
                assertThat(a.alertId).isEqualTo(
                        Alert.fingerprint("checkout", "_all", "multivariate", a.detector));
            }
            int fireCount = fired.size();

            int recovery = i;
            i = feed(h, r, i, recovery + 10, 1);
            List<Alert> all = h.extractOutputValues();
            List<Alert> after = all.subList(fireCount, all.size());
            assertThat(after).filteredOn(a -> a.status.equals(Alert.RESOLVED)).hasSize(2)
                    .allSatisfy(a -> assertThat(a.endsAt).isEqualTo(T0 + recovery * MIN));
            assertThat(after).filteredOn(a -> a.status.equals(Alert.FIRING)).allSatisfy(
                    a -> assertThat(a.windowStart).isLessThan(T0 + recovery * MIN)); // updates only while firing

            assertThat(h.numKeyedStateEntries()).isGreaterThan(0);
            // The service stops: after the idle timeout its state and timers are gone.
            h.processBothWatermarks(new Watermark(T0 + i * MIN + Duration.ofHours(2).toMillis() + 1));
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void windowsWithoutRequestsAndIrrelevantInputsAreNotScored() throws Exception {
        try (var h = harness(config())) {
            h.processElement2(cpu("checkout", 0, 0.5), T0 + MIN - 1); // CPU only, no requests
            WindowStats endpoint = window("checkout", 0, 10, 10, 10, 0);
            endpoint.scope = WindowStats.SCOPE_ENDPOINT;
            h.processElement1(endpoint, T0 + MIN - 1);
            h.processBothWatermarks(new Watermark(T0 + MIN - 1));
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void serviceStoppingWhileFiringResolvesFirst() throws Exception {
        Random r = new Random(7);
        try (var h = harness(config())) {
            int i = feed(h, r, 0, 300, 1);
            i = feed(h, r, i, 305, 8);
            assertThat(h.extractOutputValues()).isNotEmpty().allSatisfy(a -> assertThat(a.status).isEqualTo("firing"));
            int before = h.extractOutputValues().size();
            long lastEnd = T0 + i * MIN;
            h.processBothWatermarks(new Watermark(T0 + i * MIN + Duration.ofHours(3).toMillis()));
            List<Alert> out = h.extractOutputValues();
            assertThat(out.subList(before, out.size())).isNotEmpty().allSatisfy(a -> {
                assertThat(a.status).isEqualTo(Alert.RESOLVED);
                assertThat(a.labels).containsEntry("reason", "series-stopped");
                assertThat(a.endsAt).isEqualTo(lastEnd);
            });
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void modelSurvivesARestartOnRocksDbWithIdenticalAlerts() throws Exception {
        DetectionConfig c = config();
        Random r = new Random(3);
        OperatorSubtaskState snapshot;
        List<Alert> expected;
        try (var h = harness(c, true, null)) {
            feed(h, r, 0, 300, 1);
            snapshot = h.snapshot(1, T0 + 300 * MIN);
            // continue in the original operator (its forest cache is warm)
            Random cont = new Random(99);
            for (int i = 300; i < 330; i++) feed(h, cont, i, i >= 310 && i < 316 ? 7 : 1);
            expected = h.extractOutputValues();
        }
        assertThat(expected).isNotEmpty();
        try (var h = harness(c, true, snapshot)) {
            // a fresh operator instance: empty cache, the forest is read back from state
            Random cont = new Random(99);
            for (int i = 300; i < 330; i++) feed(h, cont, i, i >= 310 && i < 316 ? 7 : 1);
            assertThat(h.extractOutputValues()).isEqualTo(expected);
        }
    }
}

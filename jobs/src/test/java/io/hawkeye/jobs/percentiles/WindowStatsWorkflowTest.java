package io.hawkeye.jobs.percentiles;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.jobs.ingest.TelemetryEvent;
import io.hawkeye.jobs.testing.ExactStats;
import io.hawkeye.jobs.testing.TestJobs;
import io.hawkeye.stats.MetricStats;
import io.hawkeye.stats.WindowStats;
import io.hawkeye.telemetry.DeadLetter;
import io.hawkeye.telemetry.DeadLetterReason;
import io.hawkeye.telemetry.MetricSample;
import io.hawkeye.telemetry.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole window-statistics workflow on a MiniCluster (parallelism 2) against an exact reference. */
class WindowStatsWorkflowTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestJobs.miniCluster();

    static final long T0 = 1_767_268_800_000L;

    /**
     * {@code events} as the workflow's telemetry, on a new environment of parallelism 2 (the test's MiniCluster),
     * with {@code watermarks} at the source.
     */
    static DataStream<TelemetryEvent> telemetry(List<TelemetryEvent> events,
            WatermarkStrategy<TelemetryEvent> watermarks) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        return env.fromData(events, TypeInformation.of(TelemetryEvent.class)).assignTimestampsAndWatermarks(watermarks);
    }

    /** The job's watermark strategy with 5 s of out-of-orderness and no idleness (every partition has data). */
    static WatermarkStrategy<TelemetryEvent> jobWatermarks() {
        return WindowStatsWorkflow.watermarks(Duration.ofSeconds(5), Duration.ZERO, Duration.ZERO);
    }

    @Test
    void endpointAndServiceStatisticsMatchExactValues() throws Exception {
        SplittableRandom random = new SplittableRandom(2026);
        String[][] series = {{"checkout", "POST /checkout"}, {"checkout", "GET /cart"}, {"catalog", "GET /items"},
            {"db", "query"}};
        double[] medians = {40, 8, 15, 2};
        List<TelemetryEvent> events = new ArrayList<>();
        ExactStats exact = new ExactStats(60_000);
        int metrics = 0;
        for (int i = 0; i < 60_000; i++) {
            long ts = T0 + i * 5L + random.nextInt(3000) - 1500; // 5 min of data, out of order by up to 1.5 s
            int k = random.nextInt(series.length);
            double latency = medians[k] * Math.exp(0.8 * random.nextGaussian());
            Span s = new Span(ts, series[k][0], series[k][1], latency, random.nextDouble() < 0.02);
            events.add(TelemetryEvent.of(s));
            exact.add(s);
            if (i % 100 == 0) {
                events.add(TelemetryEvent.of(new MetricSample(ts, series[k][0], series[k][0] + "-1",
                        "cpu_utilization", (i % 1000) / 1000.0)));
                metrics++;
            }
            if (i % 10_000 == 0) {
                events.add(TelemetryEvent.of(DeadLetter.of(DeadLetterReason.NOT_JSON, "x", "telemetry", 0, i, 0,
                        new byte[] {1})));
            }
        }

        DataStream<TelemetryEvent> source = telemetry(events, jobWatermarks());
        StreamExecutionEnvironment env = source.getExecutionEnvironment();
        WindowStatsWorkflow.Outputs out = WindowStatsWorkflow.build(source,
                WindowSpec.tumbling(Duration.ofMinutes(1)).withFlush(Duration.ofMillis(50), 3));
        CloseableIterator<WindowStats> stats = out.windowStats().collectAsync();
        CloseableIterator<MetricStats> metricStats = out.metricStats().collectAsync();
        CloseableIterator<DeadLetter> dead = out.deadLetters().collectAsync();
        env.execute("workflow test");

        List<WindowStats> results = new ArrayList<>();
        stats.forEachRemaining(results::add);
        assertThat(results).hasSize(exact.seriesWindows());
        double worst = 0;
        for (WindowStats w : results) {
            assertThat(w.revision).isZero();
            worst = Math.max(worst, exact.check(w));
        }
        assertThat(worst).isLessThanOrEqualTo(0.01);
        assertThat(results.stream().filter(w -> w.scope.equals(WindowStats.SCOPE_SERVICE)).mapToLong(w -> w.count)
                .sum()).isEqualTo(60_000);
        assertThat(results.stream().filter(w -> w.scope.equals(WindowStats.SCOPE_ENDPOINT))
                .mapToLong(w -> w.count).sum()).isEqualTo(60_000);

        List<MetricStats> ms = new ArrayList<>();
        metricStats.forEachRemaining(ms::add);
        assertThat(ms.stream().mapToLong(m -> m.count).sum()).isEqualTo(metrics);
        assertThat(ms).allSatisfy(m -> {
            assertThat(m.name).isEqualTo("cpu_utilization");
            assertThat(m.min).isLessThanOrEqualTo(m.mean).isLessThanOrEqualTo(m.max);
            assertThat(m.last).isBetween(m.min, m.max);
        });

        List<DeadLetter> dl = new ArrayList<>();
        dead.forEachRemaining(dl::add);
        assertThat(dl).hasSize(6).allSatisfy(d -> assertThat(d.reason).isEqualTo("not_json"));
    }

    /**
     * One service with 40 distinct endpoint names (ids in the route) and a cap of 5 per pre-aggregator: at parallelism
     * 2 at most 10 names plus _other per window, every span still counted; the service rollup is untouched.
     */
    @Test
    void endpointsBeyondThePerServiceCapAreCountedInOther() throws Exception {
        List<TelemetryEvent> events = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 4_000; i++) {
            long ts = T0 + i * 30L;   // 2 minutes
            events.add(TelemetryEvent.of(new Span(ts, "api", "GET /user/" + random.nextInt(40), 5, false)));
            if (i % 2 == 0) events.add(TelemetryEvent.of(new Span(ts, "web", "GET /", 3, false)));
        }
        DataStream<TelemetryEvent> source = telemetry(events, jobWatermarks());
        StreamExecutionEnvironment env = source.getExecutionEnvironment();
        WindowStatsWorkflow.Outputs out = WindowStatsWorkflow.build(source, WindowSpec.tumbling(Duration.ofMinutes(1))
                .withFlush(Duration.ofMillis(50), 3).withSeriesLimits(5, 5, Duration.ofDays(1)));
        CloseableIterator<WindowStats> stats = out.windowStats().collectAsync();
        env.execute("cap test");
        List<WindowStats> results = new ArrayList<>();
        stats.forEachRemaining(results::add);
        List<WindowStats> api = results.stream().filter(w -> w.service.equals("api")
                && w.scope.equals(WindowStats.SCOPE_ENDPOINT)).toList();
        java.util.Map<Long, java.util.Set<String>> names = new java.util.TreeMap<>();
        for (WindowStats w : api) names.computeIfAbsent(w.windowStart, k -> new java.util.TreeSet<>()).add(w.endpoint);
        assertThat(names).hasSize(2);
        assertThat(names.values()).allSatisfy(n -> {
            assertThat(n).hasSizeLessThanOrEqualTo(11).contains(SeriesCap.OTHER);
        });
        assertThat(api.stream().mapToLong(w -> w.count).sum()).isEqualTo(4_000);
        assertThat(results.stream().filter(w -> w.service.equals("api") && w.scope.equals(WindowStats.SCOPE_SERVICE))
                .mapToLong(w -> w.count).sum()).isEqualTo(4_000);
        assertThat(results.stream().filter(w -> w.service.equals("web")).map(w -> w.endpoint).distinct())
                .containsExactlyInAnyOrder("GET /", WindowStats.ALL_ENDPOINTS);
    }
}

package io.hawkeye.tools.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.alerts.Alert;
import io.hawkeye.tools.csv.Timestamps;
import io.hawkeye.alerts.AlertLifecycle;
import io.hawkeye.alerts.LifecyclePolicy;
import io.hawkeye.alerts.LifecycleState;
import io.hawkeye.detect.DetectionResult;
import io.hawkeye.detect.SeasonalDetector;
import io.hawkeye.detect.SeasonalState;
import io.hawkeye.detect.SignalSpec;
import io.hawkeye.jobs.detect.AnomalyScore;
import io.hawkeye.jobs.detect.DetectionConfig;
import io.hawkeye.jobs.detect.DetectionWorkflow;
import io.hawkeye.jobs.detect.Scores;
import io.hawkeye.jobs.detect.SeasonalDetectionFunction;
import io.hawkeye.jobs.testing.MetricWindows;
import io.hawkeye.stats.MetricStats;
import io.hawkeye.stats.WindowStats;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 4, item 7: the backtest's scores equal the streaming job's scores for the same series.
 *
 * <p>One metric series (a byte count: the streaming job gives it the generic signal spec, as the backtest does
 * for a CSV column) of 10 days of 5-minute windows with a daily rhythm, lognormal noise, random missing windows
 * and a 2-hour gap, an injected surge (8 windows at 1.8×) and an injected dip (6 windows at 0.4×), goes
 *
 * <ul>
 *   <li>through the streaming job's detection path: {@link DetectionWorkflow#build} on a MiniCluster
 *       (RocksDB state, so the seasonal state is serialised after every window), collecting the
 *       per-window {@link AnomalyScore}s and the {@link Alert}s of the series;</li>
 *   <li>through the offline path twice: (a) the shared detector classes the backtest is built on
 *       ({@link SeasonalDetector} with {@link SignalSpec#generic()}, {@link AlertLifecycle}), row by row, and
 *       (b) {@link Backtest#run} on the series as a CSV file, with the streaming job's lifecycle policy.</li>
 * </ul>
 *
 * Scores, expected values and bands are compared exactly (bit for bit) between the streaming job and (a);
 * the CSV of (b) prints scores with 6 decimals, so there the tolerance is half a unit of the last digit. Alerts
 * must fire, update and resolve at the same windows.
 */
class BacktestStreamingEquivalenceTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .setConfiguration(rocksdb()).build());

    static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    static final long STEP = 5 * 60_000L;
    static final long DAY = 86_400_000L;
    static final int WINDOWS = 10 * 288;
    static final String SERVICE = "checkout";
    static final String METRIC = "network_tx_bytes";
    static final String UNIT = "By";
    /** First windows of the injected surge (8 windows at 1.8×) and dip (6 windows at 0.4×). */
    static final int SURGE_AT = 8 * 288 + 14 * 12; // day 8, 14:00
    static final int DIP_AT = 9 * 288 + 3 * 12; // day 9, 03:00

    static List<MetricStats> series;
    static DetectionConfig config;
    /** The streaming job's output for the series, by window. */
    static List<AnomalyScore> streamScores;
    static List<Alert> streamAlerts;

    static Configuration rocksdb() {
        Configuration c = new Configuration();
        c.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        return c;
    }

    static List<MetricStats> series() {
        SplittableRandom r = new SplittableRandom(20260104);
        List<MetricStats> out = new ArrayList<>();
        for (int i = 0; i < WINDOWS; i++) {
            if (r.nextDouble() < 0.01) continue; // a missing window now and then
            if (i >= 6 * 288 + 120 && i < 6 * 288 + 144) continue; // a 2-hour outage of the collector
            long ws = T0 + i * STEP;
            double dayPhase = (double) (ws % DAY) / DAY;
            double v = 5e7 * (1 + 0.6 * Math.sin(2 * Math.PI * (dayPhase - 0.3))) * Math.exp(0.04 * r.nextGaussian());
            if (i >= SURGE_AT && i < SURGE_AT + 8) v *= 1.8;
            if (i >= DIP_AT && i < DIP_AT + 6) v *= 0.4;
            MetricStats m = MetricWindows.steady(SERVICE, METRIC, ws, ws + STEP, 10, v);
            m.unit = UNIT;
            out.add(m);
        }
        return out;
    }

    @BeforeAll
    static void runStreamingJob() throws Exception {
        series = series();
        // multivariate: per service, not per series: not part of the backtest
        config = DetectionConfig.defaults().with(b -> b.multivariate = false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1); // one series: more subtasks would only add RocksDB instances and start-up time
        // As in the job: each series in window order from one subtask of a keyed operator.
        DataStream<MetricStats> metrics = env.fromData(series, TypeInformation.of(MetricStats.class))
                .setParallelism(1)
                .assignTimestampsAndWatermarks(WatermarkStrategy.<MetricStats>forMonotonousTimestamps()
                        .withTimestampAssigner((m, ts) -> m.windowEnd - 1))
                .setParallelism(1)
                .keyBy(m -> m.seriesId).map(m -> m).returns(TypeInformation.of(MetricStats.class));
        // No request traffic in this test: the window-statistics input is empty (derived from the metric stream,
        // so it carries the same watermarks; an empty fromData source is not allowed).
        DataStream<WindowStats> windows = metrics
                .flatMap((MetricStats m, Collector<WindowStats> c) -> { })
                .returns(TypeInformation.of(WindowStats.class));
        DetectionWorkflow.Outputs out = DetectionWorkflow.build(windows, metrics, null, config);
        CloseableIterator<Alert> alertIt = out.alerts().collectAsync();
        CloseableIterator<AnomalyScore> scoreIt = out.scores().collectAsync();
        env.execute("backtest vs streaming");
        streamAlerts = new ArrayList<>();
        alertIt.forEachRemaining(streamAlerts::add);
        streamScores = new ArrayList<>();
        scoreIt.forEachRemaining(streamScores::add);
        // Collected from parallel subtasks: order by window (one series, one subtask, so no ties).
        streamScores.sort(Comparator.comparingLong(s -> s.windowStart));
        streamAlerts.sort(Comparator.comparingLong(a -> a.windowStart));
    }

    /** Alerts as "status@window index". */
    static String at(String status, long windowStart) {
        return status + "@" + (windowStart - T0) / STEP;
    }

    @Test
    void streamingJobScoresEveryWindowAndAlertsOnBothInjectedAnomalies() {
        assertThat(streamScores).hasSize(series.size());
        assertThat(streamScores).allSatisfy(s -> {
            assertThat(s.service).isEqualTo(SERVICE);
            assertThat(s.signal).isEqualTo(METRIC);
            assertThat(s.absent).isFalse();
        });
        assertThat(streamScores).filteredOn(s -> s.state.equals("READY")).hasSize(series.size() - 30);
        assertThat(streamScores.get(streamScores.size() - 1).model).isEqualTo("daily");
        assertThat(streamAlerts).allSatisfy(a -> {
            assertThat(a.detector).isEqualTo(SeasonalDetectionFunction.DETECTOR);
            assertThat(a.signal).isEqualTo(METRIC);
        });
        // Not vacuous: the comparison below covers firing alerts on both anomalies.
        assertThat(streamAlerts).anySatisfy(a -> {
            assertThat(a.status).isEqualTo(Alert.FIRING);
            assertThat(a.startsAt).isBetween(T0 + SURGE_AT * STEP, T0 + (SURGE_AT + 7) * STEP);
            assertThat(a.labels).containsEntry("direction", "up");
        });
        assertThat(streamAlerts).anySatisfy(a -> {
            assertThat(a.status).isEqualTo(Alert.FIRING);
            assertThat(a.startsAt).isBetween(T0 + DIP_AT * STEP, T0 + (DIP_AT + 5) * STEP);
            assertThat(a.labels).containsEntry("direction", "down");
        });
    }

    /**
     * The shared detector classes, driven exactly as {@link Backtest} drives them (one {@link SeasonalState} and
     * one {@link LifecycleState} per column, generic signal spec, lifecycle stepped with the window's score),
     * give bit-identical results to the streaming job, and the lifecycle fires, updates and resolves at the same
     * windows with the same starts_at/ends_at.
     */
    @Test
    void sharedDetectorClassesReproduceTheStreamingJobBitForBit() {
        SeasonalDetector detector = new SeasonalDetector(config.seasonal(), SignalSpec.generic());
        // The job's lifecycle: the false-alarm budget at the series' window size (known once the detector saw it).
        SeasonalState state = new SeasonalState();
        LifecycleState life = new LifecycleState();
        List<String> actions = new ArrayList<>();
        List<Long> startsAt = new ArrayList<>();
        List<Long> endsAt = new ArrayList<>();
        for (int k = 0; k < series.size(); k++) {
            MetricStats m = series.get(k);
            DetectionResult r = detector.update(state, m.windowStart, m.mean);
            assertThat(r).isNotNull();
            AnomalyScore s = streamScores.get(k);
            assertThat(s.windowStart).isEqualTo(m.windowStart);
            String where = "window " + (m.windowStart - T0) / STEP;
            assertThat(s.score).as(where).isEqualTo(r.score);
            assertThat(s.expected).as(where).isEqualTo(r.expected);
            assertThat(s.lower).as(where).isEqualTo(r.lower);
            assertThat(s.upper).as(where).isEqualTo(r.upper);
            assertThat(s.z).as(where).isEqualTo(r.z);
            assertThat(s.value).as(where).isEqualTo(r.value);
            assertThat(s.state).as(where).isEqualTo(r.state.name());
            assertThat(s.direction).as(where).isEqualTo(r.directionName());
            assertThat(s.model).as(where).isEqualTo(r.model);
            LifecyclePolicy policy = config.seasonalPolicy(state.stepMs);
            AlertLifecycle.Action a = AlertLifecycle.step(policy, life, r.score, m.windowStart, m.windowEnd);
            switch (a) {
                case FIRE, UPDATE -> {
                    actions.add(at(Alert.FIRING, m.windowStart));
                    startsAt.add(life.startsAt);
                    endsAt.add(0L);
                }
                case RESOLVE -> {
                    actions.add(at(Alert.RESOLVED, m.windowStart));
                    startsAt.add(life.startsAt);
                    endsAt.add(life.lastActiveEnd);
                }
                case NONE -> { }
            }
        }
        assertThat(streamAlerts).extracting(a -> at(a.status, a.windowStart)).containsExactlyElementsOf(actions);
        assertThat(streamAlerts).extracting(a -> a.startsAt).containsExactlyElementsOf(startsAt);
        assertThat(streamAlerts).extracting(a -> a.endsAt).containsExactlyElementsOf(endsAt);
    }

    /**
     * {@link Backtest#run} on the same series as a CSV file (timestamp = window start), with the streaming
     * job's lifecycle policy: per row, anomaly_score equals the streaming score to the printed precision, and
     * the rows labelled 1 are exactly the windows in which the streaming job's alert was active (from the window
     * where it fired until it resolved, except quiet windows under the hysteresis).
     */
    @Test
    void backtestCsvMatchesTheStreamingJob() throws Exception {
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
        StringBuilder csv = new StringBuilder("timestamp,value\n");
        for (MetricStats m : series) {
            csv.append(f.format(Instant.ofEpochMilli(m.windowStart))).append(',').append(m.mean).append('\n');
        }
        StringWriter w = new StringWriter();
        Backtest.Outcome o = new Backtest(config.seasonal(), config.seasonalPolicy())
                .run(new StringReader(csv.toString()), w);
        assertThat(o.rows).isEqualTo(series.size());
        assertThat(o.skipped).isZero();

        String[] lines = w.toString().split("\n");
        List<String> header = List.of(Backtest.split(lines[0]));
        int scoreCol = header.indexOf("anomaly_score");
        int labelCol = header.indexOf("label");
        int tsCol = header.indexOf("timestamp");
        assertThat(scoreCol).as("anomaly_score column in %s", header).isNotNegative();
        assertThat(labelCol).as("label column in %s", header).isNotNegative();
        assertThat(lines).hasSize(series.size() + 1);

        // The streaming job's alert episodes: from the window where it fired to the one where it resolved (or the
        // end of the data).
        List<long[]> episodes = new ArrayList<>();
        for (Alert a : streamAlerts) {
            boolean open = !episodes.isEmpty() && episodes.get(episodes.size() - 1)[1] == Long.MAX_VALUE;
            if (a.status.equals(Alert.FIRING) && !open) episodes.add(new long[] {a.windowStart, Long.MAX_VALUE});
            if (a.status.equals(Alert.RESOLVED)) episodes.get(episodes.size() - 1)[1] = a.windowStart;
        }
        assertThat(episodes).hasSizeGreaterThanOrEqualTo(2);
        int labelled = 0;
        for (int k = 0; k < series.size(); k++) {
            String[] row = Backtest.split(lines[k + 1]);
            AnomalyScore s = streamScores.get(k);
            String where = "window " + (s.windowStart - T0) / STEP;
            assertThat(Timestamps.epochMillis(row[tsCol])).as(where).isEqualTo(s.windowStart);
            double score = Double.parseDouble(row[scoreCol]);
            assertThat(score).as(where).isCloseTo(s.score, Offset.offset(5e-7 + 1e-12));
            // Label 1 = the alert is active in this window: inside an episode, on the window that fired it or
            // on a window that keeps it active (score ≥ keepScore; a quiet window under the hysteresis is 0).
            boolean active = false;
            for (long[] e : episodes) {
                if (s.windowStart >= e[0] && s.windowStart < e[1]) {
                    active = s.windowStart == e[0] || s.score >= config.seasonalPolicy(STEP).keepScore;
                }
            }
            boolean label = row[labelCol].trim().equals("1");
            assertThat(label).as(where).isEqualTo(active);
            assertThat(o.predicted.get(k)).as(where).isEqualTo(label);
            if (label) labelled++;
        }
        assertThat(labelled).isGreaterThanOrEqualTo(episodes.size());
    }
}

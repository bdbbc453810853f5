package io.hawkeye.jobs.scale;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.capacity.CapacityModel;
import io.hawkeye.jobs.HawkeyeOptions;
import io.hawkeye.jobs.testing.KafkaTestUtil;
import io.hawkeye.jobs.testing.TestJobs;
import io.hawkeye.jobs.testing.TestServices;
import io.hawkeye.scaling.ScalingAction;
import io.hawkeye.simulator.KafkaSink;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Predictive scaling end to end on the real Kafka broker: telemetry (spans and the replicas/cpu_utilization
 * metrics of one service) → the job with the scaling capability (window statistics → forecaster → capacity model →
 * safety rules) → {@code hawkeye.scaling-actions} (exactly-once sink) read with read_committed.
 *
 * <p>The load is a daily ramp: 0.15 rps at night, linear from 08:00 to 1.5 rps at 14:00, a plateau to 16:00, then
 * a sudden drop back to 0.15 rps; 5-minute windows, 41 hours (day 1 for the forecaster to learn, day 2 until
 * 17:00). To keep the span count small (≈ 75 000) the rates are low and the service is slow accordingly (μ =
 * 0.125 requests/s per replica, SLO p99 120 s, so the 0.7 utilisation target decides). The service reports 12
 * replicas throughout (shadow mode: nobody applies the actions). Scale-ups sized for the peak must come before
 * it, from the forecast; the first scale-down after the drop must wait for the stabilisation window.
 */
class ScalingITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestJobs.miniCluster();

    // Two days ago, 00:00 UTC: the data ends yesterday at 17:00, in the past and within the broker's retention.
    static final Instant DAY1 = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(2));
    static final long HOUR = 3_600_000L;
    static final double MU = 0.125;
    static final int REPLICAS = 12;
    static final Duration STABILISATION = Duration.ofMinutes(15);

    /** Requests per second at {@code t} (ms since DAY1). */
    static double rate(long t) {
        double h = (t % (24 * HOUR)) / (double) HOUR;
        if (h < 8) return 0.15;
        if (h < 14) return 0.15 + (1.5 - 0.15) * (h - 8) / 6;
        if (h < 16) return 1.5;
        return 0.15;
    }

    @Test
    void dailyRampScalesUpBeforeThePeakAndDownOnlyAfterStabilisation() throws Exception {
        String bootstrap = TestServices.kafkaBootstrap();
        UnaryOperator<String> topic = kind -> kind + "-scaling-it";
        List<String> kinds = List.of("telemetry", "window-stats", "metric-stats", "dlq", "forecasts",
                "forecast-scores", "scaling-actions");
        kinds.forEach(kind -> TestServices.createTopic(topic.apply(kind), 1));
        String telemetry = topic.apply("telemetry");
        String actionsTopic = topic.apply("scaling-actions");

        long t0 = DAY1.toEpochMilli();
        long end = 41 * HOUR;
        Random rnd = new Random(5);
        long spans = 0;
        try (KafkaSink kafka = new KafkaSink(bootstrap, telemetry, Map.of())) {
            double carry = 0;
            double windowFactor = 1;
            for (long s = 0; s < end / 1000; s++) {
                long t = s * 1000;
                if (t % 300_000 == 0) windowFactor = 1 + 0.03 * rnd.nextGaussian(); // per-window noise
                double r = rate(t) * windowFactor;
                carry += r;
                while (carry >= 1) {
                    carry -= 1;
                    long ts = t0 + t + rnd.nextInt(1000);
                    kafka.emit("checkout", String.format(Locale.ROOT, "{\"type\":\"span\",\"ts\":%d,\"service\":"
                            + "\"checkout\",\"endpoint\":\"POST /checkout\",\"duration_ms\":%.3f,\"status\":\"ok\"}",
                            ts, 8000 * -Math.log(1 - rnd.nextDouble())), ts);
                    spans++;
                }
                if (t % 60_000 == 0) {
                    double cpu = Math.min(1, r / (REPLICAS * MU) + 0.01 * rnd.nextGaussian());
                    kafka.emit("checkout", metric(t0 + t, "checkout-0", "cpu_utilization", cpu, "ratio"), t0 + t);
                    kafka.emit("checkout", metric(t0 + t, "checkout", "replicas", REPLICAS, "count"), t0 + t);
                }
            }
        }
        assertThat(spans).isBetween(50_000L, 100_000L);

        Map<String, String> o = TestJobs.boundedJobOptions(bootstrap, "scaling");
        o.putAll(TestJobs.topicOptions(topic, kinds));
        o.put(HawkeyeOptions.WINDOW_SIZE.key(), "5 min");
        o.put(HawkeyeOptions.SCALING_HORIZON.key(), "30 min");
        o.put(HawkeyeOptions.SCALING_SLO_P99.key(), "120 s");
        o.put(HawkeyeOptions.SCALING_STABILISATION_WINDOW.key(), "15 min");
        TestJobs.define(o, Duration.ofSeconds(2)).execute("scaling-it");

        List<ScalingAction> actions = KafkaTestUtil.readAllKeyed(bootstrap, actionsTopic, ScalingAction::fromJson,
                a -> a.service);
        actions.sort(java.util.Comparator.comparingLong(a -> a.generatedAt));
        for (ScalingAction a : actions) {
            System.out.printf("%s %s%n", Instant.ofEpochMilli(a.generatedAt), a);
        }
        assertThat(actions).isNotEmpty().allMatch(a -> a.service.equals("checkout") && a.mode.equals("shadow")
                && a.currentReplicas == REPLICAS);
        assertThat(new HashSet<>(actions.stream().map(a -> a.actionId).toList())).hasSize(actions.size());

        int needed = CapacityModel.size(1.5, MU, 0.99, 120, 0.7, 1, 100).replicas();
        long peak = t0 + 24 * HOUR + 14 * HOUR;
        long drop = t0 + 24 * HOUR + 16 * HOUR;
        // Day 2: the forecaster is past LEARNING; a scale-up that covers the peak comes well before it.
        List<ScalingAction> day2 = actions.stream().filter(a -> a.generatedAt > t0 + 24 * HOUR).toList();
        ScalingAction ahead = day2.stream().filter(a -> a.isScaleUp() && a.desiredReplicas >= needed)
                .findFirst().orElseThrow();
        System.out.printf("peak needs %d replicas; first day-2 action for them %d min before the peak: %s%n",
                needed, (peak - ahead.generatedAt) / 60_000, ahead);
        assertThat(ahead.model).startsWith("seasonal-v1/DAILY");
        assertThat(ahead.generatedAt).isLessThanOrEqualTo(peak - 15 * 60_000);
        // No scale-down from 12:00 (where 12 replicas stop sufficing) to the drop; after it, the first one waits
        // for the stabilisation window.
        assertThat(day2).filteredOn(a -> !a.isScaleUp() && a.generatedAt > t0 + 36 * HOUR && a.generatedAt <= drop)
                .isEmpty();
        ScalingAction firstDown = day2.stream().filter(a -> !a.isScaleUp() && a.generatedAt > drop).findFirst()
                .orElseThrow();
        System.out.printf("first scale-down %d min after the drop: %s%n", (firstDown.generatedAt - drop) / 60_000,
                firstDown);
        assertThat(firstDown.generatedAt).isGreaterThanOrEqualTo(drop + STABILISATION.toMillis())
                .isLessThanOrEqualTo(drop + STABILISATION.toMillis() + 10 * 60_000);
        assertThat(firstDown.desiredReplicas).isLessThan(REPLICAS);
    }

    static String metric(long ts, String instance, String name, double value, String unit) {
        return String.format(Locale.ROOT, "{\"type\":\"metric\",\"ts\":%d,\"service\":\"checkout\",\"instance\":"
                + "\"%s\",\"name\":\"%s\",\"value\":%.4f,\"unit\":\"%s\"}", ts, instance, name, value, unit);
    }
}

package io.hawkeye.jobs.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.alerts.Alert;
import io.hawkeye.jobs.SideOutputs;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.RocksDBKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The keyed seasonal operator: learning → steady → anomaly → resolution, rate-limited updates, drop to zero by
 * absence timers, and cleanup of state and timers.
 */
class SeasonalDetectionFunctionTest {
    static final long T0 = 1_767_268_800_000L; // 2026-01-01T12:00:00Z
    static final long MIN = 60_000;

    static KeyedOneInputStreamOperatorTestHarness<String, SignalObservation, Alert> harness(DetectionConfig c,
            boolean rocksdb) throws Exception {
        // Built unopened: ProcessFunctionTestHarnesses opens its harness at once, and a state backend set after
        // open() is silently ignored (the operator keeps the heap backend).
        var h = new KeyedOneInputStreamOperatorTestHarness<String, SignalObservation, Alert>(
                new KeyedProcessOperator<>(new SeasonalDetectionFunction(c)), SignalObservation::key, Types.STRING);
        if (rocksdb) h.setStateBackend(new EmbeddedRocksDBStateBackend());
        h.open();
        assertThat(backend(h)).isInstanceOf(rocksdb ? RocksDBKeyedStateBackend.class : HeapKeyedStateBackend.class);
        return h;
    }

    static KeyedStateBackend<String> backend(
            KeyedOneInputStreamOperatorTestHarness<String, SignalObservation, Alert> h) {
        return ((AbstractStreamOperator<?>) h.getOperator()).getKeyedStateBackend();
    }

    /**
     * Keys holding seasonal state, on either backend ({@code numKeyedStateEntries} counts only on the heap
     * backend). With RocksDB, an entry past its TTL would still be listed until compaction, so 0 here means the
     * state was cleared, not merely expired.
     */
    static long keysWithState(KeyedOneInputStreamOperatorTestHarness<String, SignalObservation, Alert> h)
            throws Exception {
        try (Stream<String> keys = backend(h).getKeys("seasonal-series", VoidNamespace.INSTANCE)) {
            return keys.count();
        }
    }

    static DetectionConfig config() {
        DetectionConfig.Builder c = new DetectionConfig.Builder();
        c.seriesIdleTimeoutMs = Duration.ofHours(2).toMillis();
        return c.build();
    }

    static SignalObservation obs(String signal, int window, double value) {
        long ws = T0 + window * MIN;
        return new SignalObservation("endpoint", "checkout", "POST /pay", signal, ws, ws + MIN, value, 6000);
    }

    /** Feeds window i and then a watermark at its end, as the window-stats operator does. */
    static void feed(KeyedOneInputStreamOperatorTestHarness<String, SignalObservation, Alert> h,
            SignalObservation o) throws Exception {
        h.processElement(o, o.windowEnd - 1);
        h.processWatermark(o.windowEnd);
    }

    /** Feeds windows {@code [from, to)} of {@code signal} at {@code level} with 5 % lognormal noise; returns to. */
    static int feedNoisy(KeyedOneInputStreamOperatorTestHarness<String, SignalObservation, Alert> h, String signal,
            int from, int to, double level, Random rnd) throws Exception {
        for (int i = from; i < to; i++) feed(h, obs(signal, i, level * Math.exp(0.05 * rnd.nextGaussian())));
        return to;
    }

    static List<Alert> alerts(KeyedOneInputStreamOperatorTestHarness<String, SignalObservation, Alert> h) {
        return h.extractOutputValues();
    }

    @Test
    void learningProducesScoresButNoAlerts() throws Exception {
        try (var h = harness(config(), false)) {
            // Wildly varying values while learning: nothing may fire.
            for (int i = 0; i < 29; i++) feed(h, obs("p99_ms", i, i % 2 == 0 ? 50 : 5000));
            assertThat(alerts(h)).isEmpty();
            var scores = h.getSideOutput(SideOutputs.ANOMALY_SCORES);
            assertThat(scores).hasSize(29);
            assertThat(scores).allSatisfy(r -> {
                assertThat(r.getValue().state).isEqualTo("LEARNING");
                assertThat(r.getValue().score).isZero();
            });
        }
    }

    @Test
    void firesOnceAfterForUpdatesAtMostEveryNWindowsAndResolvesAfterQuietPeriod() throws Exception {
        Random rnd = new Random(42);
        try (var h = harness(config(), false)) {
            int i = feedNoisy(h, "p99_ms", 0, 100, 100, rnd);
            assertThat(alerts(h)).isEmpty();
            // 12 windows at 5x the normal p99, then normal again.
            i = feedNoisy(h, "p99_ms", i, 112, 500, rnd);
            i = feedNoisy(h, "p99_ms", i, 130, 100, rnd);

            List<Alert> a = alerts(h);
            assertThat(a).extracting(x -> x.status + "@" + (x.windowStart - T0) / MIN).containsExactly(
                    // for = 2, but window 100 alone is as improbable as two windows at the budget's threshold
                    // (p ≤ (1/10080)², TailModel.budgetPolicy): it fires at once
                    "firing@100",
                    "firing@105", // updates every 5 windows while active
                    "firing@110",
                    "resolved@114"); // quiet = 3: windows 112, 113, 114
            Alert fire = a.get(0);
            assertThat(fire.startsAt).isEqualTo(T0 + 100 * MIN);
            assertThat(fire.endsAt).isZero();
            assertThat(fire.detector).isEqualTo("seasonal");
            assertThat(fire.signal).isEqualTo("p99_ms");
            assertThat(fire.alertId).isEqualTo(Alert.fingerprint("checkout", "POST /pay", "p99_ms", "seasonal"));
            assertThat(fire.value).isGreaterThan(400);
            assertThat(fire.expected).isBetween(90.0, 110.0);
            assertThat(fire.upper).isBetween(fire.expected, 200.0);
            assertThat(fire.score).isGreaterThanOrEqualTo(0.9);
            assertThat(fire.labels).containsEntry("direction", "up").containsEntry("scope", "endpoint");
            // The false-alarm budget (1 a week, 10,080 one-minute windows) fires at p ≤ 1/10080, score ≥ 0.641; a
            // 5× p99 against a 5 % noise is far beyond it, and the alert says how far: its estimated probability.
            assertThat(config().seasonalPolicy(MIN).fireScore).isCloseTo(0.6409, org.assertj.core.data.Offset.offset(1e-4));
            assertThat(Double.parseDouble(fire.labels.get("probability"))).isPositive().isLessThan(1e-9);
            assertThat(fire.modelVersion).startsWith(SeasonalDetectionFunction.MODEL_VERSION);
            Alert resolved = a.get(3);
            assertThat(resolved.startsAt).isEqualTo(fire.startsAt);
            assertThat(resolved.endsAt).isEqualTo(T0 + 112 * MIN); // end of the last anomalous window
            assertThat(resolved.documentId()).isEqualTo(fire.documentId());
        }
    }

    @Test
    void latencyDropIsNoAlert() throws Exception {
        Random rnd = new Random(7);
        try (var h = harness(config(), false)) {
            int i = feedNoisy(h, "p50_ms", 0, 100, 100, rnd);
            for (; i < 110; i++) feed(h, obs("p50_ms", i, 10));
            assertThat(alerts(h)).isEmpty();
        }
    }

    @ParameterizedTest(name = "rocksdb={0}")
    @ValueSource(booleans = {false, true})
    void trafficDropToZeroFiresOnRpsWhileItHappensAndStateIsRemovedAfterIdleTimeout(boolean rocksdb)
            throws Exception {
        Random rnd = new Random(1);
        try (var h = harness(config(), rocksdb)) {
            int i = feedNoisy(h, "rps", 0, 60, 100, rnd);
            assertThat(h.numEventTimeTimers()).isEqualTo(2); // absence (next window) + idle cleanup
            assertThat(keysWithState(h)).isEqualTo(1);
            // Traffic stops: no window arrives, only the watermark advances minute by minute.
            long lastEnd = T0 + 60 * MIN;
            // Window 60 is missing → scored as 0 requests: p ≈ 6e-98, far beyond (1/10080)², fires at once.
            h.processWatermark(lastEnd + MIN);
            assertThat(alerts(h)).hasSize(1);
            assertThat(Double.parseDouble(alerts(h).get(0).labels.get("probability"))).isLessThan(1e-90);
            h.processWatermark(lastEnd + 2 * MIN); // window 61 is missing: still firing, no update yet
            assertThat(alerts(h)).hasSize(1);
            Alert fire = alerts(h).get(0);
            assertThat(fire.signal).isEqualTo("rps");
            assertThat(fire.status).isEqualTo(Alert.FIRING);
            assertThat(fire.value).isZero();
            assertThat(fire.startsAt).isEqualTo(T0 + 60 * MIN);
            assertThat(fire.labels).containsEntry("absent", "true").containsEntry("direction", "down");
            assertThat(h.getSideOutput(SideOutputs.ANOMALY_SCORES)).filteredOn(r -> r.getValue().absent)
                    .hasSize(2);

            // The silence goes on for hours: the model eventually takes zero as the new normal, stops scoring
            // absent windows, and the idle timeout removes state and timers.
            for (long t = lastEnd + 3 * MIN; t <= lastEnd + Duration.ofHours(3).toMillis(); t += MIN) {
                h.processWatermark(t);
            }
            assertThat(alerts(h)).extracting(a -> a.status).first().isEqualTo(Alert.FIRING);
            assertThat(alerts(h)).extracting(a -> a.status).last().isEqualTo(Alert.RESOLVED);
            assertThat(alerts(h)).filteredOn(a -> a.status.equals(Alert.FIRING) && a.windowStart == a.startsAt)
                    .hasSize(1); // fired once
            assertThat(keysWithState(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void quietSeriesGapsNeverAlert() throws Exception {
        Random rnd = new Random(3);
        try (var h = harness(config(), false)) {
            // 0.05 rps = 3 requests per minute: below minExpectedCount (5), an empty window is unremarkable.
            int i = 0;
            for (; i < 60; i++) feed(h, obs("rps", i, 0.05 * Math.exp(0.1 * rnd.nextGaussian())));
            assertThat(h.numEventTimeTimers()).isEqualTo(2);
            for (long t = T0 + 61 * MIN; t <= T0 + 80 * MIN; t += MIN) h.processWatermark(t);
            assertThat(alerts(h)).isEmpty();
            assertThat(h.numEventTimeTimers()).isEqualTo(1); // only the idle cleanup remains
        }
    }

    @ParameterizedTest(name = "rocksdb={0}")
    @ValueSource(booleans = {false, true})
    void seriesThatStopsIsForgottenAfterIdleTimeoutAndAFiringAlertIsResolved(boolean rocksdb) throws Exception {
        Random rnd = new Random(5);
        try (var h = harness(config(), rocksdb)) {
            int i = 0;
            for (; i < 60; i++) feed(h, obs("error_rate", i, 0.01 + 0.001 * rnd.nextGaussian()));
            for (; i < 63; i++) feed(h, obs("error_rate", i, 0.5));
            assertThat(alerts(h)).extracting(a -> a.status).containsExactly(Alert.FIRING);
            assertThat(keysWithState(h)).isEqualTo(1);
            // The series stops while firing (the endpoint was removed).
            h.processWatermark(new Watermark(T0 + 63 * MIN + Duration.ofHours(2).toMillis()));
            assertThat(alerts(h)).extracting(a -> a.status).containsExactly(Alert.FIRING, Alert.RESOLVED);
            Alert resolved = alerts(h).get(1);
            assertThat(resolved.labels).containsEntry("reason", "series-stopped");
            assertThat(resolved.endsAt).isEqualTo(T0 + 63 * MIN);
            assertThat(keysWithState(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    /**
     * The processing-time TTL (idle timeout + 1 day, refreshed on every write) is the safety net behind the
     * event-time cleanup: a series whose state outlives it starts over (LEARNING), on either backend.
     */
    @ParameterizedTest(name = "rocksdb={0}")
    @ValueSource(booleans = {false, true})
    void stateTtlIsIdleTimeoutPlusOneDayRefreshedOnWrite(boolean rocksdb) throws Exception {
        DetectionConfig c = config();
        long ttl = c.seriesIdleTimeoutMs() + Duration.ofDays(1).toMillis();
        Random rnd = new Random(11);
        try (var h = harness(c, rocksdb)) {
            h.setStateTtlProcessingTime(0);
            int i = feedNoisy(h, "p50_ms", 0, 60, 100, rnd);
            // Just before expiry the state is there (READY) and the write refreshes its TTL ...
            h.setStateTtlProcessingTime(ttl - 1);
            feed(h, obs("p50_ms", i++, 100));
            // ... so 1 ms short of a TTL after that write it is still there (and refreshed again), and exactly
            // one TTL after the last write it has expired.
            h.setStateTtlProcessingTime(2 * ttl - 2);
            feed(h, obs("p50_ms", i++, 100));
            h.setStateTtlProcessingTime(3 * ttl - 2);
            feed(h, obs("p50_ms", i++, 100));
            List<String> states = h.getSideOutput(SideOutputs.ANOMALY_SCORES).stream()
                    .map(r -> r.getValue().state).toList();
            assertThat(states).hasSize(63);
            assertThat(states.subList(30, 62)).containsOnly("READY");
            assertThat(states.get(62)).isEqualTo("LEARNING"); // expired: the series starts over
        }
    }

    @Test
    void endOfBoundedInputIsNotAbsence() throws Exception {
        Random rnd = new Random(9);
        try (var h = harness(config(), false)) {
            feedNoisy(h, "rps", 0, 60, 100, rnd);
            h.processWatermark(Long.MAX_VALUE);
            assertThat(alerts(h)).isEmpty();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void duplicateAndOutOfOrderWindowsAreIgnored() throws Exception {
        try (var h = harness(config(), false)) {
            h.processElement(new StreamRecord<>(obs("p50_ms", 5, 10), T0 + 6 * MIN - 1));
            h.processElement(new StreamRecord<>(obs("p50_ms", 5, 99), T0 + 6 * MIN - 1));
            h.processElement(new StreamRecord<>(obs("p50_ms", 4, 99), T0 + 5 * MIN - 1));
            assertThat(h.getSideOutput(SideOutputs.ANOMALY_SCORES)).hasSize(1);
        }
    }
}

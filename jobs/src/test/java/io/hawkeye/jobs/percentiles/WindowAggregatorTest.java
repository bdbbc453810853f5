package io.hawkeye.jobs.percentiles;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.jobs.SideOutputs;
import io.hawkeye.stats.StatsAccumulator;
import io.hawkeye.stats.WindowStats;
import io.hawkeye.telemetry.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WindowAggregatorTest {
    static final long T0 = 1_767_268_800_000L;
    static final long MINUTE = 60_000;

    static KeyedOneInputStreamOperatorTestHarness<String, PartialAggregate, WindowStats> harness(WindowSpec spec,
            boolean rocksdb) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, PartialAggregate, WindowStats> h = unopened(spec, rocksdb);
        h.open();
        return h;
    }

    /**
     * A harness whose state backend is set before it opens (ProcessFunctionTestHarnesses opens its harness at
     * once, which would leave the heap backend in place).
     */
    static KeyedOneInputStreamOperatorTestHarness<String, PartialAggregate, WindowStats> unopened(WindowSpec spec,
            boolean rocksdb) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, PartialAggregate, WindowStats> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new WindowAggregator<>(spec, ResultFactory.ENDPOINT_STATS, false)),
                        p -> p.service + "|" + p.name, Types.STRING);
        if (rocksdb) h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    /** A harness restored from {@code checkpoint}, opened. */
    static KeyedOneInputStreamOperatorTestHarness<String, PartialAggregate, WindowStats> restored(WindowSpec spec,
            boolean rocksdb, org.apache.flink.runtime.checkpoint.OperatorSubtaskState checkpoint) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, PartialAggregate, WindowStats> h = unopened(spec, rocksdb);
        h.initializeState(checkpoint);
        h.open();
        return h;
    }

    /** Keys holding window state, on either backend (the harness counts entries only on the heap backend). */
    static long keysWithState(KeyedOneInputStreamOperatorTestHarness<String, PartialAggregate, WindowStats> h)
            throws Exception {
        org.apache.flink.runtime.state.KeyedStateBackend<String> backend =
                ((org.apache.flink.streaming.api.operators.AbstractStreamOperator<?>) h.getOperator())
                        .getKeyedStateBackend();
        try (var keys = backend.getKeys("windows", org.apache.flink.runtime.state.VoidNamespace.INSTANCE)) {
            return keys.count();
        }
    }

    static PartialAggregate partial(String endpoint, long windowStart, double... latencies) {
        StatsAccumulator acc = new StatsAccumulator(0.01);
        for (double l : latencies) acc.add(l, windowStart + 1, l > 100);
        return new PartialAggregate("checkout", endpoint, null, windowStart, windowStart + MINUTE, acc.snapshot());
    }

    @ParameterizedTest(name = "rocksdb={0}")
    @ValueSource(booleans = {false, true})
    void mergesPartialsFiresAtWatermarkAndLeavesNoState(boolean rocksdb) throws Exception {
        WindowSpec spec = WindowSpec.tumbling(Duration.ofMinutes(1));
        try (var h = harness(spec, rocksdb)) {
            h.processElement(partial("GET /a", T0, 10, 20, 200), T0 + MINUTE - 1);
            h.processElement(partial("GET /a", T0, 30), T0 + MINUTE - 1);
            h.processElement(partial("GET /b", T0, 5), T0 + MINUTE - 1);
            h.processElement(partial("GET /a", T0 + MINUTE, 1), T0 + 2 * MINUTE - 1);
            h.processWatermark(T0 + MINUTE - 2);
            assertThat(h.extractOutputValues()).isEmpty();

            h.processWatermark(T0 + MINUTE - 1);
            assertThat(h.extractOutputValues()).hasSize(2);
            WindowStats a = h.extractOutputValues().stream().filter(w -> w.endpoint.equals("GET /a")).findFirst()
                    .orElseThrow();
            assertThat(a.count).isEqualTo(4);
            assertThat(a.errors).isEqualTo(1);
            assertThat(a.errorRate).isEqualTo(0.25);
            assertThat(a.rps).isEqualTo(4 / 60.0);
            assertThat(a.minMs).isEqualTo(10);
            assertThat(a.maxMs).isEqualTo(200);
            assertThat(a.meanMs).isEqualTo(65);
            assertThat(a.p50Ms).isCloseTo(20, org.assertj.core.data.Percentage.withPercentage(1));
            assertThat(a.seriesId).isEqualTo("checkout|GET /a");
            assertThat(a.documentId()).isEqualTo("checkout|GET /a|" + T0);
            assertThat(a.revision).isZero();

            h.processWatermark(Long.MAX_VALUE);
            assertThat(h.extractOutputValues()).hasSize(3);
            assertThat(keysWithState(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @ParameterizedTest(name = "rocksdb={0}")
    @ValueSource(booleans = {false, true})
    void latePartialsWithinAllowedLatenessReEmitWithNextRevisionThenStateIsCleaned(boolean rocksdb)
            throws Exception {
        WindowSpec spec = WindowSpec.tumbling(Duration.ofMinutes(1)).withAllowedLateness(Duration.ofMinutes(2));
        try (var h = harness(spec, rocksdb)) {
            h.processElement(partial("GET /a", T0, 10), T0 + MINUTE - 1);
            h.processWatermark(T0 + MINUTE);
            assertThat(h.extractOutputValues()).extracting(w -> w.count + "/r" + w.revision).containsExactly("1/r0");
            assertThat(keysWithState(h)).isEqualTo(1); // kept for late data

            h.processElement(partial("GET /a", T0, 20, 30), T0 + MINUTE - 1);
            assertThat(h.extractOutputValues()).extracting(w -> w.count + "/r" + w.revision)
                    .containsExactly("1/r0", "3/r1");

            h.processWatermark(T0 + 3 * MINUTE - 1); // end + lateness
            assertThat(keysWithState(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aPartialForAClosedWindowGoesToTheDeadLettersWithItsCount() throws Exception {
        // A combiner whose partitions were idle while the others moved on sends a partial for a closed window.
        WindowSpec spec = WindowSpec.tumbling(Duration.ofMinutes(1));
        try (var h = harness(spec, false)) {
            h.processElement(partial("GET /a", T0, 10), T0 + MINUTE - 1);
            h.processWatermark(T0 + 5 * MINUTE);
            h.processElement(partial("GET /a", T0, 20, 30, 40), T0 + MINUTE - 1);
            assertThat(h.extractOutputValues()).extracting(w -> w.count).containsExactly(1L);
            var dead = h.getSideOutput(SideOutputs.DEAD_LETTERS);
            assertThat(dead).hasSize(1);
            DeadLetter d = dead.peek().getValue();
            assertThat(d.reason).isEqualTo("late");
            assertThat(d.detail).startsWith("partial of 3 events for window " + Instant.ofEpochMilli(T0));
            assertThat(new String(d.toJson(), StandardCharsets.UTF_8)).contains("\\\"count\\\":3");
            assertThat(keysWithState(h)).isZero();
        }
    }

    /**
     * A restore from a checkpoint loses and duplicates nothing: the work after the checkpoint is lost and replayed.
     * Also when the checkpoint was taken two hours (of wall clock) earlier — an outage, a slow upgrade: the open
     * windows are kept, for cleanup is the event-time timers' job; the processing-time TTL only backs them up, and is
     * longer than any restore ({@link io.hawkeye.jobs.StateTtl#RESTORE_HORIZON}).
     */
    @ParameterizedTest(name = "rocksdb={0}, restored {1} h later")
    @CsvSource({"false, 0", "true, 0", "false, 2", "true, 2"})
    void restoreFromACheckpointLosesAndDuplicatesNothing(boolean rocksdb, int hoursLater) throws Exception {
        WindowSpec spec = WindowSpec.tumbling(Duration.ofMinutes(1));
        org.apache.flink.runtime.checkpoint.OperatorSubtaskState checkpoint;
        try (var h = harness(spec, rocksdb)) {
            h.setStateTtlProcessingTime(0);
            h.processElement(partial("GET /a", T0, 10, 20), T0 + MINUTE - 1);
            h.processWatermark(T0 + 30_000);
            checkpoint = h.snapshot(1, 0);
            // Work after the checkpoint is lost with the failure and replayed below.
            h.processElement(partial("GET /a", T0, 999), T0 + MINUTE - 1);
        }
        try (var h = restored(spec, rocksdb, checkpoint)) {
            h.setStateTtlProcessingTime(Duration.ofHours(hoursLater).toMillis());
            h.processElement(partial("GET /a", T0, 30), T0 + MINUTE - 1); // the replayed input
            h.processWatermark(T0 + MINUTE - 1);
            assertThat(h.extractOutputValues()).singleElement().satisfies(w -> {
                assertThat(w.count).isEqualTo(3);
                assertThat(w.minMs).isEqualTo(10);
                assertThat(w.maxMs).isEqualTo(30);
                assertThat(w.revision).isZero();
            });
            assertThat(keysWithState(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void firstPartialAfterTheWindowFiredIsEmittedImmediately() throws Exception {
        WindowSpec spec = WindowSpec.tumbling(Duration.ofMinutes(1)).withAllowedLateness(Duration.ofMinutes(1));
        try (var h = harness(spec, false)) {
            h.processWatermark(T0 + MINUTE + 10_000);
            h.processElement(partial("GET /a", T0, 10), T0 + MINUTE - 1);
            assertThat(h.extractOutputValues()).extracting(w -> w.count + "/r" + w.revision).containsExactly("1/r0");
            h.processWatermark(T0 + 2 * MINUTE);
            assertThat(keysWithState(h)).isZero();
        }
    }
}

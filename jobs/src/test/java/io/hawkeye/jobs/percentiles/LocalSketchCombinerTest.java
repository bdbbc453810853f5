package io.hawkeye.jobs.percentiles;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.jobs.SideOutputs;
import io.hawkeye.telemetry.DeadLetter;
import io.hawkeye.telemetry.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalSketchCombinerTest {
    static final long T0 = 1_767_268_800_000L; // 2026-01-01T12:00:00Z, a minute boundary
    static final long MINUTE = 60_000;

    OneInputStreamOperatorTestHarness<Span, PartialAggregate> harness;

    OneInputStreamOperatorTestHarness<Span, PartialAggregate> open(WindowSpec spec) throws Exception {
        harness = new OneInputStreamOperatorTestHarness<>(new LocalSketchCombiner<>(spec, ObservationAdapter.SPANS));
        harness.setProcessingTime(0);
        harness.open();
        return harness;
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) harness.close();
    }

    static Span span(long ts, String endpoint, double ms, boolean error) {
        Span s = new Span(ts, "checkout", endpoint, ms, error);
        s.sourceTopic = "telemetry";
        s.sourcePartition = 1;
        s.sourceOffset = ts - T0;
        return s;
    }

    void add(Span s) throws Exception {
        harness.processElement(s, s.ts);
    }

    List<PartialAggregate> partials() {
        List<PartialAggregate> out = new ArrayList<>();
        for (Object o : harness.getOutput()) {
            if (o instanceof StreamRecord<?> r) out.add((PartialAggregate) r.getValue());
        }
        return out;
    }

    @Test
    void idleStatusFlushesFirstAndTheEndOfInputEndsEventTimeEvenWhileIdle() throws Exception {
        open(WindowSpec.tumbling(Duration.ofMinutes(1)).withFlush(Duration.ofHours(1), 1000));
        add(span(T0 + 1_000, "GET /a", 10, false));
        harness.processWatermarkStatus(WatermarkStatus.IDLE);
        // The buffered partial goes out before the idle status: downstream may close the window while we are idle.
        List<Object> out = new ArrayList<>(harness.getOutput());
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isInstanceOf(StreamRecord.class);
        assertThat(out.get(1)).isEqualTo(WatermarkStatus.IDLE);

        add(span(T0 + 2_000, "GET /a", 20, false)); // records while idle (a partition waking up)
        ((LocalSketchCombiner<?>) harness.getOneInputOperator()).endInput();
        out = new ArrayList<>(harness.getOutput());
        // End of input: the last partial, then active again and the end of event time (the source's own final
        // watermark would be dropped while the stream is idle).
        assertThat(out.subList(2, out.size())).hasSize(3);
        assertThat(out.get(2)).isInstanceOf(StreamRecord.class);
        assertThat(out.get(3)).isEqualTo(WatermarkStatus.ACTIVE);
        assertThat(out.get(4)).isEqualTo(Watermark.MAX_WATERMARK);
        assertThat(partials()).extracting(p -> p.stats.count).containsExactly(1L, 1L);
    }

    @Test
    void finishWithoutEndOfInputDoesNotEndEventTime() throws Exception {
        // stop-with-savepoint without drain: open windows stay open in the savepoint.
        open(WindowSpec.tumbling(Duration.ofMinutes(1)).withFlush(Duration.ofHours(1), 1000));
        add(span(T0 + 1_000, "GET /a", 10, false));
        harness.getOneInputOperator().finish();
        assertThat(partials()).hasSize(1);
        assertThat(harness.getOutput()).noneMatch(o -> o instanceof Watermark);
    }

    @Test
    void watermarkFlushesOnlyCompletedWindowsAndPrecedesTheWatermark() throws Exception {
        open(WindowSpec.tumbling(Duration.ofMinutes(1)).withFlush(Duration.ofHours(1), 1000));
        add(span(T0 + 1_000, "GET /a", 10, false));
        add(span(T0 + 2_000, "GET /a", 30, true));
        add(span(T0 + 3_000, "GET /b", 5, false));
        add(span(T0 + MINUTE + 500, "GET /a", 99, false)); // next window
        assertThat(harness.getOutput()).isEmpty();

        harness.processWatermark(new Watermark(T0 + MINUTE - 1));

        List<Object> out = new ArrayList<>(harness.getOutput());
        assertThat(out).hasSize(3);
        assertThat(out.get(2)).isEqualTo(new Watermark(T0 + MINUTE - 1));
        List<PartialAggregate> ps = partials();
        assertThat(ps).extracting(p -> p.name + "@" + (p.windowStart - T0) + " n=" + p.stats.count + " e="
                + p.stats.errors).containsExactlyInAnyOrder("GET /a@0 n=2 e=1", "GET /b@0 n=1 e=0");
        assertThat(((LocalSketchCombiner<?>) harness.getOneInputOperator()).bufferedEntries()).isEqualTo(1);
    }

    @Test
    void lateEventGoesToDeadLettersWithItsSourcePosition() throws Exception {
        open(WindowSpec.tumbling(Duration.ofMinutes(1)).withAllowedLateness(Duration.ofSeconds(30)));
        harness.processWatermark(new Watermark(T0 + MINUTE + 20_000));
        add(span(T0 + 5_000, "GET /a", 10, false)); // window [T0, T0+1m) still open for late data: accepted
        harness.processWatermark(new Watermark(T0 + MINUTE + 40_000));
        add(span(T0 + 6_000, "GET /a", 11, false)); // now beyond the allowed lateness
        assertThat(partials()).singleElement().satisfies(p -> assertThat(p.stats.count).isEqualTo(1));
        List<StreamRecord<DeadLetter>> dead = new ArrayList<>(harness.getSideOutput(SideOutputs.DEAD_LETTERS));
        assertThat(dead).singleElement().satisfies(r -> {
            DeadLetter d = r.getValue();
            assertThat(d.reason).isEqualTo("late");
            assertThat(d.sourceTopic).isEqualTo("telemetry");
            assertThat(d.sourcePartition).isEqualTo(1);
            assertThat(d.sourceOffset).isEqualTo(6_000);
            assertThat(new String(d.payload)).contains("\"duration_ms\":11.0");
        });
    }

    @Test
    void checkpointBarrierTimerAndSizeFlushEverything() throws Exception {
        open(WindowSpec.tumbling(Duration.ofMinutes(1)).withFlush(Duration.ofSeconds(1), 3));
        add(span(T0 + 1_000, "GET /a", 10, false));
        harness.prepareSnapshotPreBarrier(1);
        assertThat(partials()).hasSize(1);

        add(span(T0 + 2_000, "GET /b", 10, false));
        harness.setProcessingTime(1_000);
        assertThat(partials()).hasSize(2);

        for (int i = 0; i < 4; i++) add(span(T0 + 3_000, "GET /" + i, 1, false)); // 4 > 3 buffered series
        assertThat(partials()).hasSize(6);
        assertThat(((LocalSketchCombiner<?>) harness.getOneInputOperator()).bufferedEntries()).isZero();
    }

    @Test
    void hoppingWindowsCountAnEventInEverySlide() throws Exception {
        open(WindowSpec.tumbling(Duration.ofMinutes(1)).withSlide(Duration.ofSeconds(20)));
        add(span(T0 + 45_000, "GET /a", 10, false));
        harness.endInput();
        harness.getOneInputOperator().finish();
        assertThat(partials()).extracting(p -> (p.windowStart - T0) / 1000)
                .containsExactlyInAnyOrder(0L, 20L, 40L); // [0,60), [20,80), [40,100) contain 45 s
    }
}

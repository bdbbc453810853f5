package io.hawkeye.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkOutputMultiplexer;
import org.apache.flink.api.common.eventtime.WatermarksWithIdleness;
import org.apache.flink.util.clock.ManualClock;
import org.apache.flink.util.clock.RelativeClock;
import org.junit.jupiter.api.Test;

/**
 * Two Kafka partitions combined as Flink's source reader combines them (a {@link WatermarkOutputMultiplexer}, one
 * output per split), through a 90 s broker stall: with Flink's stock idleness the first partition to resume carries
 * the watermark past the other's backlog, which becomes late; with {@link ResumingIdleWatermarks} nothing is late.
 */
class ResumingIdleWatermarksTest {
    static final Duration OOO = Duration.ofSeconds(5);
    static final Duration IDLE = Duration.ofMinutes(1);
    static final Duration GRACE = IDLE.dividedBy(2);
    static final long SEC = 1000;

    /** Event time of the two partitions' records, the combined watermark, and what arrived behind it. */
    static final class Reader {
        final ManualClock clock = new ManualClock(0);
        final List<Long> watermarks = new ArrayList<>();
        final WatermarkOutputMultiplexer mux = new WatermarkOutputMultiplexer(new WatermarkOutput() {
            @Override
            public void emitWatermark(Watermark w) {
                watermarks.add(w.getTimestamp());
            }

            @Override
            public void markIdle() {}

            @Override
            public void markActive() {}
        });
        final List<WatermarkGenerator<Long>> partitions = new ArrayList<>();
        long late;

        Reader(int n, Function<RelativeClock, WatermarkGenerator<Long>> generator) {
            for (int p = 0; p < n; p++) {
                mux.registerNewOutput("p" + p);
                partitions.add(generator.apply(clock));
            }
        }

        long watermark() {
            return watermarks.isEmpty() ? Long.MIN_VALUE : watermarks.get(watermarks.size() - 1);
        }

        /** One record of partition {@code p} with event time {@code t}. */
        void record(int p, long t) {
            if (t <= watermark()) late++;
            partitions.get(p).onEvent(t, t, mux.getDeferredOutput("p" + p));
        }

        /** {@code millis} of wall time, with the periodic emit every 200 ms as Flink's default. */
        void advance(long millis) {
            for (long t = 0; t < millis; t += 200) {
                clock.advanceTime(Duration.ofMillis(200));
                for (int p = 0; p < partitions.size(); p++) {
                    partitions.get(p).onPeriodicEmit(mux.getDeferredOutput("p" + p));
                }
                mux.onPeriodicEmit();
            }
        }
    }

    /**
     * 60 s of traffic at one record per partition per second; the broker stalls 90 s while producers buffer; then
     * partition 0's whole backlog arrives first and partition 1's 50 ms later.
     */
    static long lateAfterStall(Reader r) {
        long t = 0;
        for (; t < 60 * SEC; t += SEC) {
            r.record(0, t);
            r.record(1, t);
            r.advance(SEC);
        }
        r.advance(90 * SEC); // the stall: no records, both partitions go idle
        for (long b = t; b < t + 90 * SEC; b += SEC) r.record(0, b);
        r.advance(200);
        for (long b = t; b < t + 90 * SEC; b += SEC) r.record(1, b);
        r.advance(120 * SEC);
        return r.late;
    }

    @Test
    void stockIdlenessLosesTheBacklogOfTheSecondPartitionAfterAStall() {
        Reader stock = new Reader(2, clock -> new WatermarksWithIdleness<>(
                new BoundedOutOfOrdernessWatermarks<>(OOO), IDLE, clock));
        // Partition 0's backlog (60..149 s) moves the watermark to 144 s while partition 1 is still idle: partition
        // 1's records of 60..143 s are behind it.
        assertThat(lateAfterStall(stock)).isEqualTo(84);
    }

    @Test
    void resumingPartitionHoldsItsWatermarkUntilTheOthersAreBack() {
        Reader r = new Reader(2, clock -> new ResumingIdleWatermarks<>(OOO, IDLE, GRACE, clock));
        assertThat(lateAfterStall(r)).isZero();
        // And event time still moves on: after the grace period the watermark reaches the newest records.
        assertThat(r.watermark()).isEqualTo(149 * SEC - OOO.toMillis() - 1);
    }

    @Test
    void aGraceLongerThanTheIdleTimeoutStillReleasesTheBacklogsWatermark() {
        Reader r = new Reader(2, clock -> new ResumingIdleWatermarks<>(OOO, IDLE, IDLE.multipliedBy(2), clock));
        assertThat(lateAfterStall(r)).isZero();
        r.advance(120 * 1000);
        assertThat(r.watermark()).isEqualTo(149 * SEC - OOO.toMillis() - 1);
    }

    @Test
    void aPartitionThatStaysSilentDoesNotHoldTheOthersBack() {
        Reader r = new Reader(2, clock -> new ResumingIdleWatermarks<>(OOO, IDLE, GRACE, clock));
        for (long t = 0; t < 180 * SEC; t += SEC) {
            r.record(0, t);
            r.advance(SEC);
        }
        // Partition 1 never had a record: idle after a minute, then the watermark follows partition 0 alone.
        assertThat(r.watermark()).isEqualTo(179 * SEC - OOO.toMillis() - 1);
        assertThat(r.late).isZero();
    }

    @Test
    void withoutIdlenessTheWatermarkIsTheBoundedOutOfOrdernessOne() {
        Reader r = new Reader(1, clock -> new ResumingIdleWatermarks<>(OOO, IDLE, GRACE, clock));
        r.record(0, 10 * SEC);
        r.record(0, 7 * SEC);
        r.advance(200);
        assertThat(r.watermark()).isEqualTo(10 * SEC - OOO.toMillis() - 1);
    }
}

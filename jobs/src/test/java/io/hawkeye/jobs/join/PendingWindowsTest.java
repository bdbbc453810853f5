package io.hawkeye.jobs.join;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/** {@link PendingWindows} in a minimal two-input window join, driven through Flink's harness. */
class PendingWindowsTest {
    static final long MINUTE = 60_000;

    /** A joined window: the sum of input 1 and the sum of input 2. A Flink POJO. */
    public static class Sums {
        public String key;
        public long windowStart;
        public long windowEnd;
        public long left;
        public long right;

        public Sums() {}

        static Sums of(String key, long start, long left, long right) {
            Sums s = new Sums();
            s.key = key;
            s.windowStart = start;
            s.windowEnd = start + MINUTE;
            s.left = left;
            s.right = right;
            return s;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Sums s && Objects.equals(key, s.key) && windowStart == s.windowStart
                    && windowEnd == s.windowEnd && left == s.left && right == s.right;
        }

        @Override
        public int hashCode() {
            return Objects.hash(key, windowStart);
        }

        @Override
        public String toString() {
            return key + "@" + windowStart + "[" + left + "," + right + "]";
        }
    }

    /** Inputs are (key, window start, value); windows are one minute long. */
    static class SumJoin extends KeyedCoProcessFunction<String, Tuple3<String, Long, Long>,
            Tuple3<String, Long, Long>, Sums> {
        final SimpleCounter ignored = new SimpleCounter();
        transient PendingWindows<Sums> pending;

        @Override
        public void open(OpenContext openContext) {
            pending = new PendingWindows<>(getRuntimeContext().getMapState(
                    PendingWindows.descriptor("pending-sums", Sums.class)), s -> s.windowEnd, ignored);
        }

        private void add(Tuple3<String, Long, Long> in, boolean left, Context ctx) throws Exception {
            pending.add(in.f1, in.f1 + MINUTE, ctx.timerService(), (start, end) -> {
                Sums w = new Sums();
                w.key = ctx.getCurrentKey();
                w.windowStart = start;
                w.windowEnd = end;
                return w;
            }, s -> {
                if (left) s.left += in.f2;
                else s.right += in.f2;
            });
        }

        @Override
        public void processElement1(Tuple3<String, Long, Long> in, Context ctx, Collector<Sums> out)
                throws Exception {
            add(in, true, ctx);
        }

        @Override
        public void processElement2(Tuple3<String, Long, Long> in, Context ctx, Collector<Sums> out)
                throws Exception {
            add(in, false, ctx);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<Sums> out) throws Exception {
            for (Sums s : pending.removeDue(timestamp)) out.collect(s);
        }
    }

    static Tuple3<String, Long, Long> in(String key, long window, long value) {
        return Tuple3.of(key, window * MINUTE, value);
    }

    @Test
    void emitsEachWindowOnceBothWatermarksPassItsEndInEventTimeOrder() throws Exception {
        SumJoin join = new SumJoin();
        try (KeyedTwoInputStreamOperatorTestHarness<String, Tuple3<String, Long, Long>, Tuple3<String, Long, Long>,
                Sums> h = ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(join, t -> t.f0, t -> t.f0,
                        Types.STRING)) {
            h.open();
            h.processElement1(in("a", 1, 10), 2 * MINUTE - 1);
            h.processElement2(in("a", 0, 1), MINUTE - 1);
            h.processElement1(in("a", 0, 5), MINUTE - 1);
            h.processElement2(in("a", 0, 2), MINUTE - 1);
            h.processElement2(in("b", 0, 7), MINUTE - 1);
            assertThat(h.numEventTimeTimers()).isEqualTo(3);

            h.processWatermark1(new Watermark(2 * MINUTE - 1));
            assertThat(h.extractOutputValues()).as("only one input's watermark has passed").isEmpty();
            h.processWatermark2(new Watermark(MINUTE - 1));
            assertThat(h.extractOutputValues()).containsExactlyInAnyOrder(Sums.of("a", 0, 5, 3), Sums.of("b", 0, 0, 7));

            // an input for a window already emitted is ignored, not a new window
            h.processElement1(in("a", 0, 100), MINUTE - 1);
            assertThat(join.ignored.getCount()).isEqualTo(1);
            h.processElement2(in("a", 1, 20), 2 * MINUTE - 1);
            h.processWatermark2(new Watermark(2 * MINUTE - 1));
            assertThat(h.extractOutputValues()).hasSize(3).last().isEqualTo(Sums.of("a", MINUTE, 10, 20));
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void oneTimerHandsOutEveryCompleteWindowEarliestFirst() throws Exception {
        SumJoin join = new SumJoin();
        try (var h = ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(join, t -> t.f0, t -> t.f0,
                Types.STRING)) {
            h.open();
            for (long w = 4; w >= 0; w--) h.processElement1(in("a", w, w), (w + 1) * MINUTE - 1);
            h.processBothWatermarks(new Watermark(3 * MINUTE - 1));
            assertThat(h.extractOutputValues()).extracting(s -> s.windowStart)
                    .containsExactly(0L, MINUTE, 2 * MINUTE);
            assertThat(h.numEventTimeTimers()).isEqualTo(2);
            assertThat(join.ignored.getCount()).isZero();
        }
    }
}

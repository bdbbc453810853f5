package io.hawkeye.jobs.correlate;

import io.hawkeye.telemetry.Span;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** The per-window pre-aggregation of call edges from spans (caller → service). */
public final class EdgeAggregation {
    private EdgeAggregation() {}

    /** Spans that name a caller other than themselves. */
    public static final class HasCaller implements FilterFunction<Span> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean filter(Span s) {
            return s.caller != null && !s.caller.isBlank() && s.service != null && !s.caller.equals(s.service);
        }
    }

    public static String key(Span s) {
        return io.hawkeye.telemetry.SeriesKeys.join(s.caller, s.service);
    }

    /** Counts calls, errors and latency of one edge. */
    public static final class Count implements AggregateFunction<Span, EdgeStats, EdgeStats> {
        private static final long serialVersionUID = 1L;

        @Override
        public EdgeStats createAccumulator() {
            return new EdgeStats();
        }

        @Override
        public EdgeStats add(Span s, EdgeStats acc) {
            acc.caller = s.caller;
            acc.callee = s.service;
            acc.calls++;
            if (s.error) acc.errors++;
            if (Double.isFinite(s.durationMs)) acc.latencySumMs += s.durationMs;
            return acc;
        }

        @Override
        public EdgeStats getResult(EdgeStats acc) {
            return acc;
        }

        @Override
        public EdgeStats merge(EdgeStats a, EdgeStats b) {
            if (a.caller == null) {
                a.caller = b.caller;
                a.callee = b.callee;
            }
            a.calls += b.calls;
            a.errors += b.errors;
            a.latencySumMs += b.latencySumMs;
            return a;
        }
    }

    /** Stamps the window bounds on the edge's count. */
    public static final class Stamp extends ProcessWindowFunction<EdgeStats, EdgeStats, String, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(String key, Context ctx, Iterable<EdgeStats> counts, Collector<EdgeStats> out) {
            for (EdgeStats s : counts) {
                EdgeStats e = new EdgeStats();
                e.caller = s.caller;
                e.callee = s.callee;
                e.calls = s.calls;
                e.errors = s.errors;
                e.latencySumMs = s.latencySumMs;
                e.windowStart = ctx.window().getStart();
                e.windowEnd = ctx.window().getEnd();
                out.collect(e);
            }
        }
    }
}

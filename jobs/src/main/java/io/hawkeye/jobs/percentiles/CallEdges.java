package io.hawkeye.jobs.percentiles;

import io.hawkeye.jobs.Uid;
import io.hawkeye.json.ValueRecord;
import io.hawkeye.stats.CallEdgeStats;
import io.hawkeye.telemetry.DeadLetter;
import io.hawkeye.telemetry.DeadLetterReason;
import io.hawkeye.telemetry.SeriesKeys;
import io.hawkeye.telemetry.Span;
import io.hawkeye.telemetry.TelemetryJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import io.hawkeye.jobs.StateTtl;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Per-edge call statistics from both sides of each call: the caller's client span ({@code kind: client} or
 * {@code producer}) joined with the callee's server span of the same call ({@code parent_id} = the client span's
 * {@code span_id}), then per edge caller → callee and tumbling window: calls, errors, client, server and gap
 * (client − server) percentiles ({@link CallEdgeStats}).
 *
 * <pre>
 * client spans (span_id) ───┐
 * server spans (parent_id) ─┴► keyBy(call id) ─► Pairing ─► keyBy(caller|callee) ─► tumbling windows
 * </pre>
 * The first side of a call waits one window of event time for the other (a call longer than a window is not
 * paired); a pair takes the later of the two timestamps, so it is never late for its window. A client span behind
 * the watermark on arrival is dead-lettered as {@code late} (a late server span already is, by the request
 * statistics). A client span whose partner never comes (the callee emits no spans) is not counted.
 */
public final class CallEdges {
    private static final OutputTag<Span> LATE_CLIENT_SPANS =
            new OutputTag<>("late-client-spans", TypeInformation.of(Span.class));

    /** The per-edge statistics, and the dead letters of client spans that came too late to pair. */
    public record Outputs(DataStream<CallEdgeStats> stats, DataStream<DeadLetter> deadLetters) {}

    private CallEdges() {}

    /** {@code clientSpans}: the router's call side output; {@code serverSpans}: its request spans. */
    public static Outputs build(DataStream<Span> clientSpans, DataStream<Span> serverSpans, WindowSpec spec) {
        SingleOutputStreamOperator<Call> calls = clientSpans
                .filter(s -> s.spanId != null).uid(Uid.CALL_EDGE_CLIENT_SPANS.id()).name("Call edges: client spans with span_id")
                .union(serverSpans
                        .filter(s -> s.parentId != null).uid(Uid.CALL_EDGE_SERVER_SPANS.id())
                        .name("Call edges: server spans with parent_id"))
                .keyBy(CallEdges::callId)
                .process(new Pairing(spec.sizeMillis()), TypeInformation.of(Call.class))
                .uid(Uid.CALL_EDGE_PAIRS.id()).name("Call edges: pair client and server spans");
        DataStream<DeadLetter> late = calls.getSideOutput(LATE_CLIENT_SPANS)
                .map(s -> DeadLetter.of(DeadLetterReason.LATE, "client span behind the watermark: its call can no "
                                + "longer be paired", s.sourceTopic, s.sourcePartition, s.sourceOffset,
                        System.currentTimeMillis(), TelemetryJson.toJson(s)))
                .returns(TypeInformation.of(DeadLetter.class))
                .uid(Uid.CALL_EDGE_LATE.id()).name("Call edges: late client spans");
        DataStream<CallEdgeStats> stats = calls
                .keyBy(Call::key)
                .window(TumblingEventTimeWindows.of(Duration.ofMillis(spec.sizeMillis())))
                .process(new Aggregate(spec.relativeAccuracy()), TypeInformation.of(CallEdgeStats.class))
                .uid(Uid.CALL_EDGE_WINDOWS.id()).name("Call edge window statistics");
        return new Outputs(stats, late);
    }

    /** The id of the call a span belongs to: a client span's own id, the id of a server span's parent. */
    static String callId(Span s) {
        return s.isCall() ? s.spanId : s.parentId;
    }

    /** One paired call. A Flink POJO. */
    public static class Call extends ValueRecord {
        public String caller;
        public String callee;
        public double clientMs;
        public double serverMs;
        public boolean error;

        public Call() {}

        public String key() {
            return SeriesKeys.join(caller, callee);
        }
    }

    /** The first-seen side of a call, kept until its partner comes or a window has passed. A Flink POJO. */
    public static class Side extends ValueRecord {
        public boolean client;
        public String service;
        public double durationMs;
        public boolean error;
        public long ts;

        public Side() {}

        static Side of(Span s) {
            Side d = new Side();
            d.client = s.isCall();
            d.service = s.service;
            d.durationMs = s.durationMs;
            d.error = s.error;
            d.ts = s.ts;
            return d;
        }
    }

    /**
     * Pairs the two sides of each call, keyed by the call id: the first side waits in state (a small record, not
     * the span) for at most one window of event time; the pair takes the later of the two timestamps, which is
     * never behind the watermark, so it is never late for its window. A client span already behind the watermark
     * goes to the late side output; a late server span is dropped here (the request statistics dead-letter it).
     * Cheaper than Flink's interval join: one value state and one timer per call, no state iteration.
     */
    static final class Pairing extends KeyedProcessFunction<String, Span, Call> {
        private static final long serialVersionUID = 1L;
        private final long holdMillis;
        private transient ValueState<Side> waiting;

        Pairing(long holdMillis) {
            this.holdMillis = holdMillis;
        }

        @Override
        public void open(OpenContext ctx) {
            ValueStateDescriptor<Side> d = new ValueStateDescriptor<>("waiting", TypeInformation.of(Side.class));
            d.enableTimeToLive(StateTtl.of(StateTtl.RESTORE_HORIZON));
            waiting = getRuntimeContext().getState(d);
        }

        @Override
        public void processElement(Span s, Context ctx, Collector<Call> out) throws Exception {
            if (s.ts < ctx.timerService().currentWatermark()) {
                if (s.isCall()) ctx.output(LATE_CLIENT_SPANS, s);
                return;
            }
            Side other = waiting.value();
            if (other == null || other.client == s.isCall()) {
                if (other != null) ctx.timerService().deleteEventTimeTimer(other.ts + holdMillis);
                waiting.update(Side.of(s));   // a retried call: the newer side waits
                ctx.timerService().registerEventTimeTimer(s.ts + holdMillis);
                return;
            }
            waiting.clear();
            ctx.timerService().deleteEventTimeTimer(other.ts + holdMillis);
            Side client = s.isCall() ? Side.of(s) : other, server = s.isCall() ? other : Side.of(s);
            if (client.service.equals(server.service)) return;   // a call within one service is no edge
            Call c = new Call();
            c.caller = client.service;
            c.callee = server.service;
            c.clientMs = client.durationMs;
            c.serverMs = server.durationMs;
            c.error = client.error;
            // The later of the two timestamps, as an interval join stamps its pairs (the operator's collector).
            ((TimestampedCollector<Call>) out).setAbsoluteTimestamp(Math.max(client.ts, server.ts));
            out.collect(c);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<Call> out) {
            waiting.clear();   // its partner did not come within a window
        }
    }

    /** One window of one edge's calls into its statistics. */
    static final class Aggregate extends ProcessWindowFunction<Call, CallEdgeStats, String, TimeWindow> {
        private static final long serialVersionUID = 1L;
        private final double relativeAccuracy;

        Aggregate(double relativeAccuracy) {
            this.relativeAccuracy = relativeAccuracy;
        }

        @Override
        public void process(String key, Context ctx, Iterable<Call> elements, Collector<CallEdgeStats> out) {
            List<Call> calls = new ArrayList<>();
            elements.forEach(calls::add);
            if (calls.isEmpty()) return;
            int n = calls.size();
            double[] client = new double[n], server = new double[n];
            boolean[] error = new boolean[n];
            for (int i = 0; i < n; i++) {
                client[i] = calls.get(i).clientMs;
                server[i] = calls.get(i).serverMs;
                error[i] = calls.get(i).error;
            }
            out.collect(CallEdgeStats.of(calls.get(0).caller, calls.get(0).callee, ctx.window().getStart(),
                    ctx.window().getEnd(), client, error, server, relativeAccuracy));
        }
    }
}

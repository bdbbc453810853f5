package io.hawkeye.jobs.percentiles;

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
import org.apache.flink.streaming.api.functions.co.ProcessJoinFunction;
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
 * client spans (span_id) ─► keyBy(span_id) ───┐
 * server spans (parent_id) ─► keyBy(parent_id) ┴► interval join ±window ─► keyBy(caller|callee) ─► tumbling windows
 * </pre>
 * The join keeps each span for one window size on either side of its partner's timestamp (a call longer than a
 * window is not paired); a pair takes the later of the two timestamps, so it is never late for its window. A
 * client span behind the watermark on arrival is dead-lettered as {@code late} (a late server span already is,
 * by the request statistics). A client span whose partner never comes (the callee emits no spans) is not counted.
 */
public final class CallEdges {
    public static final String UID_CLIENT_SPANS = "call-edge-client-spans";
    public static final String UID_SERVER_SPANS = "call-edge-server-spans";
    public static final String UID_PAIRS = "call-edge-pairs";
    public static final String UID_WINDOWS = "call-edge-windows";
    public static final String UID_LATE = "call-edge-late";

    private static final OutputTag<Span> LATE_CLIENT_SPANS =
            new OutputTag<>("late-client-spans", TypeInformation.of(Span.class));

    /** The per-edge statistics, and the dead letters of client spans that came too late to pair. */
    public record Outputs(DataStream<CallEdgeStats> stats, DataStream<DeadLetter> deadLetters) {}

    private CallEdges() {}

    /** {@code clientSpans}: the router's call side output; {@code serverSpans}: its request spans. */
    public static Outputs build(DataStream<Span> clientSpans, DataStream<Span> serverSpans, WindowSpec spec) {
        Duration bound = Duration.ofMillis(spec.sizeMillis());
        SingleOutputStreamOperator<Call> calls = clientSpans
                .filter(s -> s.spanId != null).uid(UID_CLIENT_SPANS).name("Call edges: client spans with span_id")
                .keyBy(s -> s.spanId)
                .intervalJoin(serverSpans
                        .filter(s -> s.parentId != null).uid(UID_SERVER_SPANS)
                        .name("Call edges: server spans with parent_id")
                        .keyBy(s -> s.parentId))
                .between(bound.negated(), bound)
                .sideOutputLeftLateData(LATE_CLIENT_SPANS)
                .process(new Pair(), TypeInformation.of(Call.class))
                .uid(UID_PAIRS).name("Call edges: pair client and server spans");
        DataStream<DeadLetter> late = calls.getSideOutput(LATE_CLIENT_SPANS)
                .map(s -> DeadLetter.of(DeadLetterReason.LATE, "client span behind the watermark: its call can no "
                                + "longer be paired", s.sourceTopic, s.sourcePartition, s.sourceOffset,
                        System.currentTimeMillis(), TelemetryJson.toJson(s)))
                .returns(TypeInformation.of(DeadLetter.class))
                .uid(UID_LATE).name("Call edges: late client spans");
        DataStream<CallEdgeStats> stats = calls
                .keyBy(Call::key)
                .window(TumblingEventTimeWindows.of(Duration.ofMillis(spec.sizeMillis())))
                .process(new Aggregate(spec.relativeAccuracy()), TypeInformation.of(CallEdgeStats.class))
                .uid(UID_WINDOWS).name("Call edge window statistics");
        return new Outputs(stats, late);
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

    /** A client span and the callee's span of the same call: caller = the client's service, callee = the server's. */
    static final class Pair extends ProcessJoinFunction<Span, Span, Call> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processElement(Span client, Span server, Context ctx, Collector<Call> out) {
            if (client.service.equals(server.service)) return;   // a call within one service is no edge
            Call c = new Call();
            c.caller = client.service;
            c.callee = server.service;
            c.clientMs = client.durationMs;
            c.serverMs = server.durationMs;
            c.error = client.error;
            out.collect(c);
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

package io.hawkeye.jobs.percentiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hawkeye.jobs.ingest.TelemetryEvent;
import io.hawkeye.jobs.testing.TestJobs;
import io.hawkeye.stats.CallEdgeStats;
import io.hawkeye.stats.WindowStats;
import io.hawkeye.telemetry.DeadLetter;
import io.hawkeye.telemetry.Span;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Client spans paired with the callees' spans into per-edge call statistics, on a MiniCluster at parallelism 2,
 * against an exact reference of the same calls: counts, errors and gap percentiles per edge and window; client
 * spans are not requests; a client span behind the watermark is dead-lettered.
 */
class CallEdgesTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestJobs.miniCluster();

    static final long T0 = 1_767_268_800_000L;
    static final long WINDOW = 60_000;

    /**
     * Bounded out-of-orderness of 5 s with a watermark after every event (not periodically), so that the late
     * client span at the end is behind the watermark whatever the timing.
     */
    static final WatermarkStrategy<TelemetryEvent> EVERY_EVENT = WatermarkStrategy
            .<TelemetryEvent>forGenerator(ctx -> new WatermarkGenerator<>() {
                long max = Long.MIN_VALUE + 5_001;

                @Override
                public void onEvent(TelemetryEvent e, long ts, WatermarkOutput out) {
                    max = Math.max(max, ts);
                    out.emitWatermark(new Watermark(max - 5_001));
                }

                @Override
                public void onPeriodicEmit(WatermarkOutput out) {}
            })
            .withTimestampAssigner((e, ts) -> e.eventTime());

    private static Span span(long ts, String service, double ms, String kind, String spanId, String parentId) {
        Span s = new Span(ts, service, "op", ms, false);
        s.kind = kind;
        s.spanId = spanId;
        s.parentId = parentId;
        s.traceId = "t" + spanId;
        return s;
    }

    @Test
    void pairedCallsGiveEachEdgesClientServerAndGapStatistics() throws Exception {
        SplittableRandom rng = new SplittableRandom(11);
        String[][] edges = {{"web", "inventory"}, {"orders", "inventory"}, {"web", "orders"}};
        double[] extraGap = {0, 0, 30};   // web → orders: 30 ms more outside the callee
        List<Span> spans = new ArrayList<>();
        Map<String, List<double[]>> reference = new TreeMap<>();   // edge|window -> {gap, error}
        int servers = 0;
        for (int i = 0; i < 9_000; i++) {
            int k = rng.nextInt(edges.length);
            long ts = T0 + i * 20L;                                 // 3 minutes of calls
            double server = Math.exp(2.5 + 0.4 * rng.nextGaussian());
            double gap = 0.3 + rng.nextExponential() + extraGap[k];
            long serverTs = ts + 1 + (long) (gap / 2);              // the callee starts after the call
            Span client = span(ts, edges[k][0], server + gap, "client", "c" + i, "p" + i);
            client.error = rng.nextDouble() < 0.05;
            spans.add(client);
            if (i % 10 == 3) continue;                              // the callee's span never arrives
            spans.add(span(serverTs, edges[k][1], server, null, "s" + i, "c" + i));
            servers++;
            long window = Math.max(ts, serverTs) / WINDOW * WINDOW;
            reference.computeIfAbsent(edges[k][0] + "|" + edges[k][1] + "|" + window, x -> new ArrayList<>())
                    .add(new double[] {gap, client.error ? 1 : 0});
        }
        // A request span whose parent is no client span pairs with nothing.
        spans.add(500, span(T0 + 5_000, "orders", 3, null, "x1", "not-a-client-span"));
        servers++;
        // Out of order by up to 2 s, within the 5 s bound of the watermarks.
        List<Span> shuffled = new ArrayList<>(spans);
        for (int i = 0; i + 50 < shuffled.size(); i += 50) Collections.shuffle(shuffled.subList(i, i + 50),
                new java.util.Random(i));
        // At the end, a client span three minutes behind the watermark: too late to pair.
        shuffled.add(span(T0 + 1_000, "web", 5, "client", "late", null));
        List<TelemetryEvent> events = new ArrayList<>();
        for (Span s : shuffled) events.add(TelemetryEvent.of(s));

        DataStream<TelemetryEvent> source = WindowStatsWorkflowTest.telemetry(events, EVERY_EVENT);
        StreamExecutionEnvironment env = source.getExecutionEnvironment();
        WindowStatsWorkflow.Outputs out = WindowStatsWorkflow.build(source,
                WindowSpec.tumbling(Duration.ofMillis(WINDOW)).withFlush(Duration.ofMillis(50), 3), true);
        CloseableIterator<CallEdgeStats> calls = out.callEdges().collectAsync();
        CloseableIterator<WindowStats> stats = out.windowStats().collectAsync();
        CloseableIterator<DeadLetter> dead = out.deadLetters().collectAsync();
        env.execute("call edges test");

        List<CallEdgeStats> results = new ArrayList<>();
        calls.forEachRemaining(results::add);
        assertThat(results).hasSize(reference.size());
        for (CallEdgeStats e : results) {
            List<double[]> ref = reference.get(e.caller + "|" + e.callee + "|" + e.windowStart);
            assertThat(ref).as(e.seriesId + " " + e.windowStart).isNotNull();
            assertThat(e.windowEnd - e.windowStart).isEqualTo(WINDOW);
            assertThat(e.calls).isEqualTo(ref.size());
            assertThat(e.matched).isEqualTo(ref.size());
            assertThat(e.errors).isEqualTo(ref.stream().filter(r -> r[1] > 0).count());
            double[] gaps = ref.stream().mapToDouble(r -> r[0]).sorted().toArray();
            for (double[] q : new double[][] {{0.5, e.gapP50Ms}, {0.99, e.gapP99Ms}}) {
                double exact = gaps[(int) Math.floor(q[0] * (gaps.length - 1))];
                assertThat(q[1]).as(e.seriesId + " gap q" + q[0]).isCloseTo(exact, within(0.011 * exact));
            }
            if (e.caller.equals("web") && e.callee.equals("orders")) assertThat(e.gapP50Ms).isGreaterThan(30);
            else assertThat(e.gapP50Ms).isLessThan(3);
        }

        // Client spans are the callers' view of calls, not requests: only the server spans are counted.
        List<WindowStats> windows = new ArrayList<>();
        stats.forEachRemaining(windows::add);
        assertThat(windows.stream().filter(w -> w.scope.equals(WindowStats.SCOPE_SERVICE)).mapToLong(w -> w.count)
                .sum()).isEqualTo(servers);
        assertThat(windows).noneMatch(w -> w.service.equals("web"));

        List<DeadLetter> dl = new ArrayList<>();
        dead.forEachRemaining(dl::add);
        assertThat(dl).singleElement().satisfies(d -> {
            assertThat(d.reason).isEqualTo("late");
            assertThat(d.detail).contains("client span");
        });
    }
}

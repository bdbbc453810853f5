package io.hawkeye.jobs.correlate;

import io.hawkeye.alerts.Alert;
import io.hawkeye.correlate.GraphHistory;
import io.hawkeye.correlate.Incident;
import io.hawkeye.correlate.IncidentBook;
import io.hawkeye.correlate.IncidentHead;
import io.hawkeye.correlate.IncidentState;
import io.hawkeye.correlate.IncidentStore;
import io.hawkeye.correlate.Member;
import io.hawkeye.correlate.StateMap;
import io.hawkeye.jobs.StateTtl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.FlinkRuntimeException;
import org.apache.flink.util.OutputTag;

/**
 * The incident operator: groups alerts into incidents over the dependency graph (broadcast {@link TopologyEdge}s
 * plus the static edges of the configuration) by the rules of {@link IncidentBook} — which open incident an alert
 * joins, merges, ranking, annotations, resolution — kept in Flink keyed state, with event-time timers for the
 * book's publication and resolution times. One global instance (keyed by a constant) by default; with
 * {@link CorrelationConfig#partitionLabel()} one instance per label value (an alert joins only incidents of its
 * own value) — docs/correlation.md, "Scale".
 *
 * <p><b>Event-time alignment.</b> An alert is buffered (keyed state, at most {@code maxPending} per key) until the
 * operator's watermark — the minimum of the alert input's and the graph input's — passes its timestamp (at least
 * its {@code starts_at}) plus {@code alignDelayMs}: the graph edges learned from the spans up to then are in the
 * broadcast state first, whatever the relative speed of the two inputs. A <em>late</em> alert (its time already
 * behind the watermark when it arrives) is correlated at once against the current graph, which already holds
 * everything up to its time (metric {@code correlateLateAlerts}); alerts beyond the buffer bound likewise (metric
 * {@code correlateAlignmentOverflow}). Buffered alerts are released in event-time order. Each alert is correlated
 * against the graph as of its start ({@link GraphHistory}).
 *
 * <p>Outputs: incidents (main output) as the book publishes them — merged ones at once, changed ones once per tick
 * (the end of each {@code graphIntervalMs} window of event time), resolved ones after the quiet period; alerts on
 * the side output {@link #ANNOTATED}, at once with their {@code incident_id} and {@code caused_by}, and again
 * whenever a publication changes those.
 *
 * <p>State (names as in earlier versions): {@code open-incidents}, {@code incident-heads},
 * {@code incident-members}, {@code incidents-by-service} (the book's {@link IncidentStore}, with a processing-time
 * TTL as safety net), {@code pending-alerts} and {@code pending-count} (the alignment buffer),
 * {@code incident-timers} (event time → incidents the book asked to be called for then) and the broadcast
 * {@link #GRAPH}.
 */
public class IncidentCorrelator extends KeyedBroadcastProcessFunction<Integer, Alert, TopologyEdge, Incident> {
    private static final long serialVersionUID = 1L;

    public static final MapStateDescriptor<String, TopologyEdge> GRAPH = new MapStateDescriptor<>(
            "correlate-graph", Types.STRING, TypeInformation.of(TopologyEdge.class));
    public static final OutputTag<Alert> ANNOTATED = new OutputTag<>("annotated-alerts",
            TypeInformation.of(Alert.class));

    /** Release order of buffered alerts with the same time: by start, firing before resolved, then by id. */
    static final Comparator<Alert> ORDER = Comparator.comparingLong((Alert a) -> a.startsAt)
            .thenComparing(a -> Alert.RESOLVED.equals(a.status))
            .thenComparing(a -> a.alertId, Comparator.nullsFirst(Comparator.naturalOrder()));

    private final CorrelationConfig config;
    private transient MapState<String, IncidentState> open;
    private transient MapState<Long, List<Alert>> pending;
    private transient ValueState<Integer> pendingCount;
    private transient MapState<Long, List<String>> due;
    private transient IncidentBook book;
    private transient GraphHistory graphs;
    private transient long lastPrune;
    private transient Counter lateAlerts;
    private transient Counter overflowAlerts;

    public IncidentCorrelator(CorrelationConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext ctx) {
        // Safety net for incidents whose alerts never resolve (lost resolutions): processing time. No incremental
        // cleanup: on the heap backend it visits a key's whole map on every access, and with one key (unpartitioned)
        // that is every member of every incident per alert; RocksDB drops expired entries in compaction.
        StateTtlConfig ttl = StateTtl.builder(StateTtl.atLeastRestoreHorizon(Duration.ofMillis(config.stateTtlMs())))
                .disableCleanupInBackground().cleanupInRocksdbCompactFilter(1000).build();
        MapStateDescriptor<String, IncidentState> d = new MapStateDescriptor<>("open-incidents", Types.STRING,
                TypeInformation.of(IncidentState.class));
        d.enableTimeToLive(ttl);
        open = getRuntimeContext().getMapState(d);
        MapStateDescriptor<String, IncidentHead> hd = new MapStateDescriptor<>("incident-heads", Types.STRING,
                TypeInformation.of(IncidentHead.class));
        hd.enableTimeToLive(ttl);
        MapStateDescriptor<String, Member> m = new MapStateDescriptor<>("incident-members", Types.STRING,
                TypeInformation.of(Member.class));
        m.enableTimeToLive(ttl);
        MapStateDescriptor<String, List<String>> s = new MapStateDescriptor<>("incidents-by-service", Types.STRING,
                Types.LIST(Types.STRING));
        s.enableTimeToLive(ttl);
        IncidentStore store = new IncidentStore(stateMap(open), stateMap(getRuntimeContext().getMapState(hd)),
                stateMap(getRuntimeContext().getMapState(m)), stateMap(getRuntimeContext().getMapState(s)));
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending-alerts", Types.LONG,
                Types.LIST(TypeInformation.of(Alert.class))));
        pendingCount = getRuntimeContext().getState(new ValueStateDescriptor<>("pending-count", Types.INT));
        due = getRuntimeContext().getMapState(new MapStateDescriptor<>("incident-timers", Types.LONG,
                Types.LIST(Types.STRING)));
        book = new IncidentBook(config.rules(), store);
        graphs = new GraphHistory(config.staticEdges());
        lateAlerts = getRuntimeContext().getMetricGroup().counter("correlateLateAlerts");
        overflowAlerts = getRuntimeContext().getMetricGroup().counter("correlateAlignmentOverflow");
    }

    /** Keyed map state (of the current key) as the book's store; state access failures fail the task. */
    private static <K, V> StateMap<K, V> stateMap(MapState<K, V> state) {
        return new StateMap<>() {
            @Override
            public V get(K key) {
                try {
                    return state.get(key);
                } catch (Exception e) {
                    throw new FlinkRuntimeException("reading correlation state", e);
                }
            }

            @Override
            public void put(K key, V value) {
                try {
                    state.put(key, value);
                } catch (Exception e) {
                    throw new FlinkRuntimeException("writing correlation state", e);
                }
            }

            @Override
            public void remove(K key) {
                try {
                    state.remove(key);
                } catch (Exception e) {
                    throw new FlinkRuntimeException("writing correlation state", e);
                }
            }
        };
    }

    @Override
    public void processBroadcastElement(TopologyEdge e, Context ctx, Collector<Incident> out) throws Exception {
        BroadcastState<String, TopologyEdge> state = ctx.getBroadcastState(GRAPH);
        String id = e.documentId();
        TopologyEdge prev = state.get(id);
        if (e.active) {
            if (prev == null || !prev.active) graphs.invalidate();
            state.put(id, e);
        } else if (prev != null && prev.active) {
            // Kept, marked expired at its event time: alerts of earlier times still see it (at the end of a
            // bounded input every learned edge expires before the last alerts are released).
            if (e.updatedAt <= 0) e.updatedAt = ctx.timestamp() == null ? 0 : ctx.timestamp() + 1;
            state.put(id, e);
            graphs.invalidate();
        }
        // Forget expired edges no alert can need any more (checked once per window of watermark progress).
        long wm = ctx.currentWatermark();
        long horizon = wm - config.windowMs() - config.maxAgeMs();
        if (wm > Long.MIN_VALUE / 2 && wm < Long.MAX_VALUE / 2 && wm - lastPrune >= config.graphIntervalMs()) {
            lastPrune = wm;
            List<String> gone = new ArrayList<>();
            for (Map.Entry<String, TopologyEdge> en : state.entries()) {
                if (!en.getValue().active && en.getValue().updatedAt < horizon) gone.add(en.getKey());
            }
            for (String k : gone) state.remove(k);
            if (!gone.isEmpty()) graphs.invalidate();
        }
    }

    /** The graph as of event time {@code t} ({@link GraphHistory}: reloaded from the broadcast state on change). */
    private IncidentBook.Graph graph(ReadOnlyContext ctx) {
        return t -> {
            if (graphs.isStale()) {
                List<GraphHistory.LearnedEdge> edges = new ArrayList<>();
                try {
                    ReadOnlyBroadcastState<String, TopologyEdge> learned = ctx.getBroadcastState(GRAPH);
                    for (Map.Entry<String, TopologyEdge> en : learned.immutableEntries()) {
                        TopologyEdge e = en.getValue();
                        edges.add(new GraphHistory.LearnedEdge(e.caller, e.callee, e.active, e.updatedAt));
                    }
                } catch (Exception ex) {
                    throw new FlinkRuntimeException("reading the dependency graph", ex);
                }
                graphs.load(edges);
            }
            return graphs.at(t);
        };
    }

    /** When a buffered alert is released: its timestamp (at least its start) plus the alignment delay. */
    long releaseTime(Alert a, Long timestamp) {
        long t = timestamp == null ? Math.max(a.startsAt, Math.max(a.endsAt, a.windowEnd)) : timestamp;
        return Math.max(t, a.startsAt) + config.alignDelayMs();
    }

    @Override
    public void processElement(Alert alert, ReadOnlyContext ctx, Collector<Incident> out) throws Exception {
        if (alert.service == null) alert.service = "(none)";
        long release = releaseTime(alert, ctx.timestamp());
        if (release <= ctx.timerService().currentWatermark()) {
            lateAlerts.inc();
            correlate(alert, ctx, out);
            return;
        }
        Integer n = pendingCount.value();
        int count = n == null ? 0 : n;
        if (count >= config.maxPending()) {
            overflowAlerts.inc();
            correlate(alert, ctx, out);
            return;
        }
        List<Alert> at = pending.get(release);
        if (at == null) at = new ArrayList<>();
        at.add(alert);
        pending.put(release, at);
        pendingCount.update(count + 1);
        ctx.timerService().registerEventTimeTimer(release);
    }

    @Override
    public void onTimer(long ts, OnTimerContext ctx, Collector<Incident> out) throws Exception {
        List<Alert> batch = pending.get(ts);
        if (batch != null) {
            pending.remove(ts);
            Integer n = pendingCount.value();
            int left = (n == null ? 0 : n) - batch.size();
            if (left > 0) pendingCount.update(left);
            else pendingCount.clear();
            batch.sort(ORDER);
            for (Alert a : batch) correlate(a, ctx, out);
        }
        List<String> ids = due.get(ts);
        if (ids == null) return;
        due.remove(ts);
        IncidentBook.Graph g = graph(ctx);
        for (String id : ids) {
            Optional<IncidentBook.Publication> p = book.due(id, ts, g);
            if (p.isEmpty()) continue;   // merged or resolved meanwhile, or rescheduled
            for (Alert a : p.get().annotated()) ctx.output(ANNOTATED, a);
            out.collect(p.get().incident());
        }
    }

    /** Correlates one alert record (released, late or overflowing). */
    protected void correlate(Alert alert, ReadOnlyContext ctx, Collector<Incident> out) throws Exception {
        // Released and late alerts: the watermark is past their time; overflowing ones: at least their start.
        IncidentBook.Correlation c = book.correlate(alert, ctx.timerService().currentWatermark(), graph(ctx));
        for (Incident merged : c.merged()) out.collect(merged);
        ctx.output(ANNOTATED, c.annotated());
        if (c.flushAt() != 0) wakeUp(c.flushAt(), c.incidentId(), ctx);
        if (c.resolveAt() != 0) wakeUp(c.resolveAt(), c.incidentId(), ctx);
    }

    /** An event-time timer at {@code ts} that calls the book for {@code incidentId}. */
    private void wakeUp(long ts, String incidentId, ReadOnlyContext ctx) throws Exception {
        ctx.timerService().registerEventTimeTimer(ts);
        List<String> l = due.get(ts);
        if (l == null) l = new ArrayList<>();
        if (l.contains(incidentId)) return;
        l.add(incidentId);
        due.put(ts, l);
    }

    /** Open incidents, member alert occurrences and buffered alerts of the current key (for benchmarks). */
    public long[] stateCounts() throws Exception {
        long o = 0, m = 0, p = 0;
        for (IncidentState s : open.values()) {
            o++;
            m += s.occurrences.size();
        }
        Integer n = pendingCount.value();
        if (n != null) p = n;
        return new long[] {o, m, p};
    }
}

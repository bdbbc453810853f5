package io.hawkeye.jobs.correlate;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The dependency graph, one global instance (keyed by a constant, parallelism 1): per-window edge counts in,
 * snapshots of every edge out at the end of each window that had calls (event time), static edges of the
 * topology file included. A learned edge without calls for {@code edgeExpiryMs} is removed and published once
 * more with {@code active = false}; static edges never expire. State: one map entry per edge plus a flag.
 */
public class DependencyGraphFunction extends KeyedProcessFunction<Integer, EdgeStats, TopologyEdge> {
    private static final long serialVersionUID = 1L;
    private final CorrelationConfig config;
    private transient MapState<String, TopologyEdge> edges;
    private transient ValueState<Boolean> staticLoaded;

    public DependencyGraphFunction(CorrelationConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext ctx) {
        edges = getRuntimeContext().getMapState(new MapStateDescriptor<>("edges", Types.STRING,
                TypeInformation.of(TopologyEdge.class)));
        staticLoaded = getRuntimeContext().getState(new ValueStateDescriptor<>("static-loaded", Types.BOOLEAN));
    }

    @Override
    public void processElement(EdgeStats s, Context ctx, Collector<TopologyEdge> out) throws Exception {
        loadStatic();
        String key = s.key();
        TopologyEdge e = edges.get(key);
        if (e == null) e = TopologyEdge.of(s.caller, s.callee, false);
        if (s.windowEnd < e.lastSeen || s.calls <= 0) return; // an older window than the one shown: keep newest
        double seconds = Math.max(1, s.windowEnd - s.windowStart) / 1000.0;
        e.callsPerS = s.calls / seconds;
        e.errorRate = (double) s.errors / s.calls;
        e.meanLatencyMs = s.latencySumMs / s.calls;
        e.lastSeen = s.windowEnd;
        edges.put(key, e);
        ctx.timerService().registerEventTimeTimer(s.windowEnd - 1);                       // snapshot
        if (!e.staticEdge) ctx.timerService().registerEventTimeTimer(s.windowEnd + config.edgeExpiryMs()); // expiry
    }

    private void loadStatic() throws Exception {
        if (Boolean.TRUE.equals(staticLoaded.value())) return;
        for (String se : config.staticEdges()) {
            java.util.List<String> ends = io.hawkeye.telemetry.SeriesKeys.split(se);
            TopologyEdge e = edges.get(se);
            if (e == null) e = TopologyEdge.of(ends.get(0), ends.get(1), true);
            e.staticEdge = true;
            edges.put(se, e);
        }
        if (!config.staticEdges().isEmpty()) staticLoaded.update(true);
    }

    @Override
    public void onTimer(long ts, OnTimerContext ctx, Collector<TopologyEdge> out) throws Exception {
        Map<String, TopologyEdge> snapshot = new TreeMap<>();
        List<String> expired = new ArrayList<>();
        for (Iterator<Map.Entry<String, TopologyEdge>> it = edges.iterator(); it.hasNext();) {
            Map.Entry<String, TopologyEdge> en = it.next();
            TopologyEdge e = en.getValue();
            if (!e.staticEdge && ts >= e.lastSeen + config.edgeExpiryMs()) {
                expired.add(en.getKey());
                e.active = false;
            }
            snapshot.put(en.getKey(), e);
        }
        for (String k : expired) edges.remove(k);
        if (edges.isEmpty()) {
            edges.clear();
            staticLoaded.clear();
        }
        for (TopologyEdge e : snapshot.values()) {
            TopologyEdge c = e.copy();
            c.updatedAt = ts + 1;
            out.collect(c);
        }
    }
}

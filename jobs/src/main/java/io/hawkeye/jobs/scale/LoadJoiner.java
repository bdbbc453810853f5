package io.hawkeye.jobs.scale;

import io.hawkeye.stats.MetricStats;
import io.hawkeye.stats.WindowStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Joins, per service and window, the service-scope {@link WindowStats} (rps, p99) with the {@link MetricStats}
 * {@value #REPLICAS} (last value) and {@value #CPU} (mean) into one {@link ServiceLoad}.
 *
 * <p>Both inputs come from window operators that emit a window's results, stamped {@code windowEnd − 1}, when the
 * watermark passes that instant, before forwarding the watermark. An event-time timer at {@code windowEnd − 1}
 * here fires only when both inputs' watermarks have passed it, so by then everything of that window has arrived
 * and the window is emitted and its state dropped; windows come out in event-time order. Revisions (late
 * updates, {@code revision > 0}) and inputs for a window already emitted are counted and ignored. A TTL backs
 * up the timers.
 */
public class LoadJoiner extends KeyedCoProcessFunction<String, WindowStats, MetricStats, ServiceLoad> {
    private static final long serialVersionUID = 1L;
    public static final String REPLICAS = "replicas";
    public static final String CPU = "cpu_utilization";

    private transient MapState<Long, ServiceLoad> pending;
    private transient Counter ignored;

    public static MapStateDescriptor<Long, ServiceLoad> descriptor() {
        MapStateDescriptor<Long, ServiceLoad> d = new MapStateDescriptor<>("pending-loads", Types.LONG,
                TypeInformation.of(ServiceLoad.class));
        d.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofHours(1))
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired).build());
        return d;
    }

    /** Whether the scaler uses this window-statistics record. */
    public static boolean relevant(WindowStats w) {
        return WindowStats.SCOPE_SERVICE.equals(w.scope) && w.revision == 0 && w.service != null;
    }

    /** Whether the scaler uses this metric-statistics record. */
    public static boolean relevant(MetricStats m) {
        return (REPLICAS.equals(m.name) || CPU.equals(m.name)) && m.revision == 0 && m.service != null;
    }

    @Override
    public void open(OpenContext openContext) {
        pending = getRuntimeContext().getMapState(descriptor());
        ignored = getRuntimeContext().getMetricGroup().counter("ignoredLateOrRevisedInputs");
    }

    private ServiceLoad entry(String service, long start, long end, Context ctx) throws Exception {
        if (end - 1 <= ctx.timerService().currentWatermark()) {
            ignored.inc();
            return null; // the window was emitted already
        }
        ServiceLoad l = pending.get(start);
        if (l == null) {
            l = new ServiceLoad();
            l.service = service;
            l.windowStart = start;
            l.windowEnd = end;
            ctx.timerService().registerEventTimeTimer(end - 1);
        }
        return l;
    }

    @Override
    public void processElement1(WindowStats w, Context ctx, Collector<ServiceLoad> out) throws Exception {
        if (!relevant(w)) {
            ignored.inc();
            return;
        }
        ServiceLoad l = entry(w.service, w.windowStart, w.windowEnd, ctx);
        if (l == null) return;
        l.hasRequests = true;
        l.rps = w.rps;
        l.p99Ms = w.p99Ms;
        pending.put(w.windowStart, l);
    }

    @Override
    public void processElement2(MetricStats m, Context ctx, Collector<ServiceLoad> out) throws Exception {
        if (!relevant(m)) {
            ignored.inc();
            return;
        }
        ServiceLoad l = entry(m.service, m.windowStart, m.windowEnd, ctx);
        if (l == null) return;
        if (REPLICAS.equals(m.name)) l.replicas = m.last;
        else l.cpuUtilisation = m.mean;
        pending.put(m.windowStart, l);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ServiceLoad> out) throws Exception {
        List<ServiceLoad> due = new ArrayList<>();
        for (Iterator<Map.Entry<Long, ServiceLoad>> it = pending.iterator(); it.hasNext(); ) {
            ServiceLoad l = it.next().getValue();
            if (l.windowEnd - 1 <= timestamp) due.add(l);
        }
        due.sort((a, b) -> Long.compare(a.windowStart, b.windowStart));
        for (ServiceLoad l : due) {
            pending.remove(l.windowStart);
            out.collect(l);
        }
    }
}

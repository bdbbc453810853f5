package io.hawkeye.jobs.scale;

import io.hawkeye.jobs.join.PendingWindows;
import io.hawkeye.stats.MetricStats;
import io.hawkeye.stats.WindowStats;
import io.hawkeye.telemetry.Signals;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Joins, per service and window, the service-scope {@link WindowStats} (rps, p99) with the {@link MetricStats}
 * {@value Signals#REPLICAS} (last value) and {@value Signals#CPU_UTILIZATION} (mean) into one {@link ServiceLoad}.
 *
 * <p>The windows wait in {@link PendingWindows} until both inputs' watermarks have passed their end, then they
 * are emitted and their state dropped; windows come out in event-time order. Revisions (late updates,
 * {@code revision > 0}) and inputs for a window already emitted are counted and ignored. A TTL backs up the
 * timers.
 */
public class LoadJoiner extends KeyedCoProcessFunction<String, WindowStats, MetricStats, ServiceLoad> {
    private static final long serialVersionUID = 1L;

    private transient PendingWindows<ServiceLoad> pending;
    private transient Counter ignored;

    public static MapStateDescriptor<Long, ServiceLoad> descriptor() {
        return PendingWindows.descriptor("pending-loads", ServiceLoad.class);
    }

    /** Whether the scaler uses this window-statistics record. */
    public static boolean relevant(WindowStats w) {
        return WindowStats.SCOPE_SERVICE.equals(w.scope) && w.revision == 0 && w.service != null;
    }

    /** Whether the scaler uses this metric-statistics record. */
    public static boolean relevant(MetricStats m) {
        return (Signals.REPLICAS.equals(m.name) || Signals.CPU_UTILIZATION.equals(m.name)) && m.revision == 0 && m.service != null;
    }

    @Override
    public void open(OpenContext openContext) {
        ignored = getRuntimeContext().getMetricGroup().counter("ignoredLateOrRevisedInputs");
        pending = new PendingWindows<>(getRuntimeContext().getMapState(descriptor()), l -> l.windowEnd, ignored);
    }

    /** Adds an input to the window {@code [start, end)} of {@code service} (see {@link PendingWindows#add}). */
    private void add(String service, long start, long end, Context ctx, Consumer<ServiceLoad> update)
            throws Exception {
        pending.add(start, end, ctx.timerService(), (s, e) -> {
            ServiceLoad l = new ServiceLoad();
            l.service = service;
            l.windowStart = s;
            l.windowEnd = e;
            return l;
        }, update);
    }

    @Override
    public void processElement1(WindowStats w, Context ctx, Collector<ServiceLoad> out) throws Exception {
        if (!relevant(w)) {
            ignored.inc();
            return;
        }
        add(w.service, w.windowStart, w.windowEnd, ctx, l -> {
            l.hasRequests = true;
            l.rps = w.rps;
            l.p99Ms = w.p99Ms;
        });
    }

    @Override
    public void processElement2(MetricStats m, Context ctx, Collector<ServiceLoad> out) throws Exception {
        if (!relevant(m)) {
            ignored.inc();
            return;
        }
        add(m.service, m.windowStart, m.windowEnd, ctx, l -> {
            if (Signals.REPLICAS.equals(m.name)) l.replicas = m.last;
            else l.cpuUtilisation = m.mean;
        });
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ServiceLoad> out) throws Exception {
        for (ServiceLoad l : pending.removeDue(timestamp)) out.collect(l);
    }
}

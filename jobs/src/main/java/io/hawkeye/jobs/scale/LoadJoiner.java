package io.hawkeye.jobs.scale;

import io.hawkeye.jobs.join.PendingWindows;
import io.hawkeye.jobs.join.ServiceWindowJoin;
import io.hawkeye.stats.MetricStats;
import io.hawkeye.stats.WindowStats;
import io.hawkeye.telemetry.Signals;
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
public class LoadJoiner extends ServiceWindowJoin<ServiceLoad, ServiceLoad> {
    private static final long serialVersionUID = 1L;

    public LoadJoiner() {
        super("pending-loads", ServiceLoad.class, "ignoredLateOrRevisedInputs", ServiceWindowJoin::serviceWindow,
                LoadJoiner::relevant);
    }

    /** Whether the scaler uses this metric-statistics record. */
    public static boolean relevant(MetricStats m) {
        return (Signals.REPLICAS.equals(m.name) || Signals.CPU_UTILIZATION.equals(m.name)) && m.revision == 0 && m.service != null;
    }

    @Override
    protected ServiceLoad newWindow(String service, long start, long end) {
        return ServiceLoad.empty(service, start, end);
    }

    @Override
    protected long windowEnd(ServiceLoad l) {
        return l.windowEnd;
    }

    @Override
    protected void merge(ServiceLoad l, WindowStats w) {
        l.hasRequests = true;
        l.rps = w.rps;
        l.p99Ms = w.p99Ms;
    }

    @Override
    protected void merge(ServiceLoad l, MetricStats m) {
        if (Signals.REPLICAS.equals(m.name)) l.replicas = m.last;
        else l.cpuUtilisation = m.mean;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ServiceLoad> out) throws Exception {
        for (ServiceLoad l : pending.removeDue(timestamp)) out.collect(l);
    }
}

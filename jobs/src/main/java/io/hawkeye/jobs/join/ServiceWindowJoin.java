package io.hawkeye.jobs.join;

import io.hawkeye.stats.MetricStats;
import io.hawkeye.stats.WindowStats;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The event-time window join of a service's window statistics with its metric statistics, keyed by service: each
 * input that passes the operator's filter for its kind is merged into the window {@code W} of its
 * {@code [windowStart, windowEnd)}, which waits in {@link PendingWindows} until both inputs' watermarks have
 * passed its end. A subclass takes the complete windows from {@link #pending} in its {@code onTimer}
 * ({@link PendingWindows#removeDue}). Inputs its filters reject, and inputs for a window already complete, are
 * counted on {@link #ignored}.
 *
 * @param <W>   the window being assembled, a Flink POJO
 * @param <OUT> the operator's output
 */
public abstract class ServiceWindowJoin<W, OUT> extends KeyedCoProcessFunction<String, WindowStats, MetricStats, OUT> {
    private static final long serialVersionUID = 1L;

    private final String stateName;
    private final Class<W> windowType;
    private final String ignoredCounter;
    private final FilterFunction<WindowStats> windowFilter;
    private final FilterFunction<MetricStats> metricFilter;

    protected transient PendingWindows<W> pending;
    protected transient Counter ignored;

    /**
     * @param stateName      the name of the pending windows' state (savepoint contract: never change it)
     * @param windowType     the window's class
     * @param ignoredCounter the name of the metric counting ignored inputs
     * @param windowFilter   the window statistics the join takes
     * @param metricFilter   the metric statistics the join takes
     */
    protected ServiceWindowJoin(String stateName, Class<W> windowType, String ignoredCounter,
            FilterFunction<WindowStats> windowFilter, FilterFunction<MetricStats> metricFilter) {
        this.stateName = stateName;
        this.windowType = windowType;
        this.ignoredCounter = ignoredCounter;
        this.windowFilter = windowFilter;
        this.metricFilter = metricFilter;
    }

    /** The window statistics the joins take: a service's (scope service), as first emitted (no late revision). */
    public static boolean serviceWindow(WindowStats w) {
        return WindowStats.SCOPE_SERVICE.equals(w.scope) && w.revision == 0 && w.service != null;
    }

    /** The empty window {@code [start, end)} of {@code service}. */
    protected abstract W newWindow(String service, long start, long end);

    /** The exclusive end of a window. */
    protected abstract long windowEnd(W window);

    /** Merges window statistics into their window. */
    protected abstract void merge(W window, WindowStats s);

    /** Merges metric statistics into their window. */
    protected abstract void merge(W window, MetricStats m);

    @Override
    public void open(OpenContext openContext) throws Exception {
        ignored = getRuntimeContext().getMetricGroup().counter(ignoredCounter);
        pending = new PendingWindows<>(getRuntimeContext().getMapState(
                PendingWindows.descriptor(stateName, windowType)), this::windowEnd, ignored);
    }

    @Override
    public void processElement1(WindowStats s, Context ctx, Collector<OUT> out) throws Exception {
        add(windowFilter.filter(s), s.windowStart, s.windowEnd, ctx, w -> merge(w, s));
    }

    @Override
    public void processElement2(MetricStats m, Context ctx, Collector<OUT> out) throws Exception {
        add(metricFilter.filter(m), m.windowStart, m.windowEnd, ctx, w -> merge(w, m));
    }

    /** An accepted input goes to its window ({@link PendingWindows#add}); one not accepted is counted as ignored. */
    private void add(boolean accepted, long start, long end, Context ctx, Consumer<W> merge) throws Exception {
        if (!accepted) {
            ignored.inc();
            return;
        }
        String service = ctx.getCurrentKey();
        pending.add(start, end, ctx.timerService(), (s, e) -> newWindow(service, s, e), merge);
    }
}

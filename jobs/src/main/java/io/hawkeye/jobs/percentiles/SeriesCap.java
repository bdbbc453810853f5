package io.hawkeye.jobs.percentiles;

import java.io.Serializable;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A cardinality cap per service, keyed by service, on the pre-aggregated partials: a service may have at most
 * {@code max} distinct series names (endpoints, or metric names) at a time; the partials of any further name are
 * renamed {@value #OTHER} — their statistics merge into that one series, nothing is dropped — and counted
 * ({@code seriesOverflow}). One service emitting a million endpoint names (a path with an id in it, an attack) then
 * costs {@code max} + 1 series of window, detector and Elasticsearch state, not a million.
 *
 * <p>A name is admitted on first sight while there is room, and forgotten when it has had no window for
 * {@code idleMs} of event time (a sweep timer per service, every {@code idleMs / 4}), so names that come and go
 * over days do not fill the cap for good. Admission is decided on the partials, after the per-subtask
 * pre-aggregation, so the cap costs one shuffle of partials (a few per series and window), not of raw events; and
 * one operator sees every partial of a service, so the decision is the same for all of its partials.
 */
public class SeriesCap extends KeyedProcessFunction<String, PartialAggregate, PartialAggregate> {
    private static final long serialVersionUID = 1L;
    /** The name of the series that takes the overflow. */
    public static final String OTHER = "_other";

    /** The cap and how long an unused name keeps its place. */
    public record Config(int max, long idleMs) implements Serializable {
        public Config {
            if (max < 1) throw new IllegalArgumentException("a series cap must be at least 1, got " + max);
            if (idleMs <= 0) throw new IllegalArgumentException("the idle time of a capped name must be positive");
        }
    }

    private final Config config;
    private transient MapState<String, Long> admitted;
    private transient ValueState<Integer> size;
    private transient ValueState<Long> sweep;
    private transient Counter overflow;

    public SeriesCap(Config config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext openContext) {
        admitted = getRuntimeContext().getMapState(new MapStateDescriptor<>("admitted-names", Types.STRING,
                Types.LONG));
        size = getRuntimeContext().getState(new ValueStateDescriptor<>("admitted-count", Types.INT));
        sweep = getRuntimeContext().getState(new ValueStateDescriptor<>("sweep-at", Types.LONG));
        overflow = getRuntimeContext().getMetricGroup().counter("seriesOverflow");
    }

    @Override
    public void processElement(PartialAggregate p, Context ctx, Collector<PartialAggregate> out) throws Exception {
        if (p.name != null && !OTHER.equals(p.name)) {
            Long last = admitted.get(p.name);
            if (last != null) {
                if (p.windowEnd > last) admitted.put(p.name, p.windowEnd);
            } else {
                int n = size.value() == null ? 0 : size.value();
                if (n < config.max()) {
                    admitted.put(p.name, p.windowEnd);
                    size.update(n + 1);
                } else {
                    overflow.inc();
                    p.name = OTHER;
                }
            }
        }
        if (sweep.value() == null) {
            long at = p.windowEnd + config.idleMs();
            sweep.update(at);
            ctx.timerService().registerEventTimeTimer(at);
        }
        out.collect(p);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<PartialAggregate> out) throws Exception {
        int n = 0;
        var it = admitted.iterator();
        while (it.hasNext()) {
            if (it.next().getValue() <= timestamp - config.idleMs()) {
                it.remove();
            } else {
                n++;
            }
        }
        if (n == 0) {
            admitted.clear();
            size.clear();
            sweep.clear();
            return;
        }
        size.update(n);
        long next = timestamp + Math.max(1, config.idleMs() / 4);
        sweep.update(next);
        ctx.timerService().registerEventTimeTimer(next);
    }
}

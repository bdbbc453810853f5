package io.hawkeye.jobs.percentiles;

import io.hawkeye.jobs.SideOutputs;
import io.hawkeye.jobs.StateTtl;
import io.hawkeye.json.RecordJson;
import io.hawkeye.telemetry.DeadLetter;
import io.hawkeye.telemetry.DeadLetterReason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The global half of the local-global aggregation: merges the {@link PartialAggregate}s of a series per window
 * in keyed state (RocksDB in production) and emits the window's result when the watermark passes its end. Late
 * partials within the allowed lateness update the window and re-emit it with the next {@code revision}; the
 * window's state is dropped once the watermark passes end + allowed lateness, so a series that stops reporting
 * leaves nothing behind. A state TTL ({@link #ttl}) backs this up.
 *
 * <p>The key is chosen by the caller: (service, endpoint) for endpoint statistics, service for the rollup, which
 * merges the same endpoint partials and so never re-reads raw events.
 */
public class WindowAggregator<OUT> extends KeyedProcessFunction<String, PartialAggregate, OUT> {
    private static final long serialVersionUID = 1L;

    private final WindowSpec spec;
    private final ResultFactory<OUT> results;
    private final boolean serviceScope;

    private transient MapState<Long, WindowState> windows;
    private transient Counter droppedPartials;

    public WindowAggregator(WindowSpec spec, ResultFactory<OUT> results, boolean serviceScope) {
        this.spec = spec;
        this.results = results;
        this.serviceScope = serviceScope;
    }

    public static MapStateDescriptor<Long, WindowState> descriptor(WindowSpec spec) {
        MapStateDescriptor<Long, WindowState> d = new MapStateDescriptor<>("windows", Types.LONG,
                TypeInformation.of(WindowState.class));
        d.enableTimeToLive(StateTtl.of(ttl(spec)));
        return d;
    }

    /**
     * Safety net only: timers remove every window at end + lateness. The TTL (processing time, which keeps running
     * while the job is down) is generous so that it never removes a window that a timer would still fire: ten window
     * spans plus the lateness, at least {@link StateTtl#RESTORE_HORIZON} (a restore from an older checkpoint).
     */
    static Duration ttl(WindowSpec spec) {
        return StateTtl.atLeastRestoreHorizon(Duration.ofMillis(10 * spec.sizeMillis() + spec.allowedLatenessMillis()));
    }

    @Override
    public void open(OpenContext openContext) {
        windows = getRuntimeContext().getMapState(descriptor(spec));
        droppedPartials = getRuntimeContext().getMetricGroup().counter("droppedLatePartials");
    }

    /**
     * The dead letter of a partial that arrived after its window closed: no single source position (it merges many
     * events), so the payload is the partial itself — series, window, count, errors and its sketch — for
     * reconciliation.
     */
    static DeadLetter latePartial(PartialAggregate p, long watermark) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("service", p.service);
        payload.put("name", p.name);
        payload.put("window_start", Instant.ofEpochMilli(p.windowStart).toString());
        payload.put("window_end", Instant.ofEpochMilli(p.windowEnd).toString());
        payload.put("count", p.stats.count);
        payload.put("errors", p.stats.errors);
        payload.put("sketch", p.stats.sketch);
        String detail = "partial of " + p.stats.count + " events for window " + Instant.ofEpochMilli(p.windowStart)
                + " arrived after the window closed (watermark " + Instant.ofEpochMilli(watermark) + ")";
        return DeadLetter.of(DeadLetterReason.LATE, detail, null, -1, -1, System.currentTimeMillis(),
                RecordJson.write(payload));
    }

    @Override
    public void processElement(PartialAggregate p, Context ctx, Collector<OUT> out) throws Exception {
        long wm = ctx.timerService().currentWatermark();
        if (spec.cleanupTime(p.windowStart) <= wm) {
            // The combiner judges lateness against its own source partitions' watermark; ours is the minimum over
            // all combiners that are not idle, so a combiner whose partitions were idle while the others moved on
            // can send a partial for a window already closed here. Its events are not lost silently: the partial
            // goes to the dead letters (once: the rollup of the same span partials only counts it).
            droppedPartials.inc();
            if (!serviceScope) ctx.output(SideOutputs.DEAD_LETTERS, latePartial(p, wm));
            return;
        }
        WindowState w = windows.get(p.windowStart);
        if (w == null) {
            w = new WindowState();
            w.service = p.service;
            w.name = serviceScope ? null : p.name;
            w.stats = p.stats;
        } else {
            w.stats.merge(p.stats);
        }
        if (p.unit != null) w.unit = p.unit;
        long fireAt = spec.maxTimestamp(p.windowStart);
        if (w.revision >= 0 || fireAt <= wm) {
            // Late but allowed: the window has fired (or would have); emit the update now.
            w.revision++;
            emit(p.windowStart, w, out);
            ctx.timerService().registerEventTimeTimer(spec.cleanupTime(p.windowStart));
        } else {
            ctx.timerService().registerEventTimeTimer(fireAt);
        }
        windows.put(p.windowStart, w);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<OUT> out) throws Exception {
        List<Long> done = new ArrayList<>();
        // Updates are written after the iteration, like the removals: writing through the iterator's entries is
        // not reliably persisted by every state backend (RocksDB lost the fired revision that way).
        Map<Long, WindowState> fired = new java.util.HashMap<>();
        for (Iterator<Map.Entry<Long, WindowState>> it = windows.iterator(); it.hasNext(); ) {
            Map.Entry<Long, WindowState> en = it.next();
            long start = en.getKey();
            WindowState w = en.getValue();
            if (w.revision < 0 && spec.maxTimestamp(start) <= timestamp) {
                w.revision = 0;
                emit(start, w, out);
                if (spec.allowedLatenessMillis() == 0) {
                    done.add(start);
                } else {
                    fired.put(start, w);
                    ctx.timerService().registerEventTimeTimer(spec.cleanupTime(start));
                }
            } else if (w.revision >= 0 && spec.cleanupTime(start) <= timestamp) {
                done.add(start);
            }
        }
        windows.putAll(fired);
        for (Long start : done) windows.remove(start);
    }

    private void emit(long start, WindowState w, Collector<OUT> out) {
        out.collect(results.create(w.service, w.name, w.unit, start, start + spec.sizeMillis(), w.stats,
                w.revision));
    }
}

package io.hawkeye.jobs.percentiles;

import io.hawkeye.jobs.SideOutputs;
import io.hawkeye.stats.StatsAccumulator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The local half of a local-global aggregation: before the shuffle, each parallel instance folds its events into
 * one in-memory {@link StatsAccumulator} (a DDSketch plus exact counters) per (service, name, window) and ships
 * them as {@link PartialAggregate}s. The keyed {@link WindowAggregator} then merges partials instead of touching
 * RocksDB for every event, which is what makes the pipeline fast (the same idea as Flink SQL's local-global
 * aggregation). Merging is exact, so the result equals a single pass over the events.
 *
 * <p>The buffer is flushed
 * <ul>
 *   <li>before a watermark is forwarded, for every window that the watermark completes, so that all partials of
 *       a window reach the aggregator before the watermark that fires it;
 *   <li>on a processing-time timer ({@link WindowSpec#flushIntervalMillis()}) and when it holds more than
 *       {@link WindowSpec#maxBufferedSeries()} entries, to bound memory and latency;
 *   <li>before every checkpoint barrier and at end of input, so the operator needs no state of its own: a restore
 *       never loses or double-counts a buffered event.
 * </ul>
 *
 * <p>Lateness is judged against this operator's own watermark (the watermark of the source partitions it reads):
 * an event whose every window ended more than the allowed lateness before that watermark goes to the dead-letter
 * side output with reason {@code late} and is counted in the metric {@code lateEvents}.
 *
 * <p>At most {@code maxSeriesPerService} names per service get a series of their own ({@link SeriesCap}); the
 * events of further names are counted under {@code _other} (metric {@code foldedEvents}; the first fold of a
 * service is logged).
 */
public class LocalSketchCombiner<T> extends AbstractStreamOperator<PartialAggregate>
        implements OneInputStreamOperator<T, PartialAggregate>, BoundedOneInput {
    private static final long serialVersionUID = 1L;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LocalSketchCombiner.class);

    private final WindowSpec spec;
    private final ObservationAdapter<T> adapter;
    private final int maxSeriesPerService;

    private transient Map<BufferKey, Buffered> buffer;
    private transient long currentWatermark;
    private transient Counter lateEvents;
    private transient Counter partialsEmitted;
    private transient Counter foldedEvents;
    private transient SeriesCap cap;

    public LocalSketchCombiner(WindowSpec spec, ObservationAdapter<T> adapter) {
        this(spec, adapter, Integer.MAX_VALUE);
    }

    public LocalSketchCombiner(WindowSpec spec, ObservationAdapter<T> adapter, int maxSeriesPerService) {
        this.spec = spec;
        this.adapter = adapter;
        this.maxSeriesPerService = maxSeriesPerService;
    }

    @Override
    public void open() throws Exception {
        super.open();
        buffer = new HashMap<>();
        currentWatermark = Long.MIN_VALUE;
        lateEvents = getMetricGroup().counter("lateEvents");
        partialsEmitted = getMetricGroup().counter("partialsEmitted");
        foldedEvents = getMetricGroup().counter("foldedEvents");
        cap = new SeriesCap(maxSeriesPerService, spec.seriesIdleMillis());
        scheduleFlush();
    }

    private void scheduleFlush() {
        long now = getProcessingTimeService().getCurrentProcessingTime();
        getProcessingTimeService().registerTimer(now + spec.flushIntervalMillis(), time -> {
            flushAll();
            scheduleFlush();
        });
    }

    @Override
    public void processElement(StreamRecord<T> record) {
        T e = record.getValue();
        long ts = adapter.timestamp(e);
        double value = adapter.value(e);
        boolean error = adapter.error(e);
        String service = adapter.service(e);
        String name = adapter.name(e);
        if (maxSeriesPerService != Integer.MAX_VALUE) {
            String admitted = cap.admit(service, name, spec.lastWindowStart(ts));
            if (admitted != name) {
                foldedEvents.inc();
                if (cap.folded(service) == 1) {
                    LOG.warn("service {} has more than {} {} names: the events of {} and further new names are "
                            + "counted under {}", service, maxSeriesPerService, adapter.unit(e) == null
                                    ? "endpoint or metric" : "metric", name, SeriesCap.OTHER);
                }
                name = admitted;
            }
        }
        boolean accepted = false;
        // All windows containing ts, newest first: [start, start + size) with start in (ts - size, ts].
        for (long start = spec.lastWindowStart(ts); start > ts - spec.sizeMillis(); start -= spec.slideMillis()) {
            if (spec.cleanupTime(start) <= currentWatermark) continue; // this window is closed for good
            BufferKey key = new BufferKey(service, name, start);
            Buffered b = buffer.get(key);
            if (b == null) {
                b = new Buffered(new StatsAccumulator(spec.relativeAccuracy()));
                buffer.put(key, b);
            }
            b.acc.add(value, ts, error);
            String unit = adapter.unit(e);
            if (unit != null) b.unit = unit;
            accepted = true;
        }
        if (!accepted) {
            lateEvents.inc();
            long now = getProcessingTimeService().getCurrentProcessingTime();
            String detail = "event time " + Instant.ofEpochMilli(ts) + " is behind the watermark "
                    + Instant.ofEpochMilli(currentWatermark) + " by more than the window size plus the allowed "
                    + "lateness of " + spec.allowedLatenessMillis() + " ms";
            output.collect(SideOutputs.DEAD_LETTERS,
                    new StreamRecord<>(adapter.late(e, detail, now), record.getTimestamp()));
        }
        if (buffer.size() > spec.maxBufferedSeries()) flushAll();
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        long wm = mark.getTimestamp();
        if (!buffer.isEmpty()) {
            List<Map.Entry<BufferKey, Buffered>> due = new ArrayList<>();
            for (Iterator<Map.Entry<BufferKey, Buffered>> it = buffer.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<BufferKey, Buffered> en = it.next();
                if (spec.maxTimestamp(en.getKey().windowStart) <= wm) {
                    due.add(en);
                    it.remove();
                }
            }
            for (Map.Entry<BufferKey, Buffered> en : due) emit(en.getKey(), en.getValue());
        }
        currentWatermark = Math.max(currentWatermark, wm);
        super.processWatermark(mark);
    }

    /**
     * Idle means "no data from here": partials still buffered must go out first, or the windows downstream could
     * close without them (the downstream operator ignores an idle input's watermark and moves on).
     */
    @Override
    public void processWatermarkStatus(WatermarkStatus status) throws Exception {
        if (status.isIdle()) flushAll();
        super.processWatermarkStatus(status);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flushAll();
    }

    /**
     * The input has ended (end of a bounded input, or stop-with-savepoint --drain; Flink does not call this on a
     * plain stop-with-savepoint, whose open windows must stay open in the savepoint). The end of input is the end
     * of event time for this subtask. Flink's source emits its final watermark through outputs that drop watermarks
     * while the stream is marked idle, so a source whose partitions were idle (or held back) when its input ended
     * would never close the downstream windows: their data would be lost without a trace. Announce it from here,
     * active first, after the last partials.
     */
    @Override
    public void endInput() throws Exception {
        flushAll();
        if (currentWatermark < Long.MAX_VALUE) {
            output.emitWatermarkStatus(WatermarkStatus.ACTIVE);
            output.emitWatermark(Watermark.MAX_WATERMARK);
            currentWatermark = Long.MAX_VALUE;
        }
    }

    @Override
    public void finish() throws Exception {
        flushAll();
        super.finish();
    }

    private void flushAll() {
        if (buffer.isEmpty()) return;
        for (Map.Entry<BufferKey, Buffered> en : buffer.entrySet()) emit(en.getKey(), en.getValue());
        buffer.clear();
    }

    private void emit(BufferKey k, Buffered b) {
        PartialAggregate p = new PartialAggregate(k.service, k.name, b.unit, k.windowStart,
                k.windowStart + spec.sizeMillis(), b.acc.snapshot());
        partialsEmitted.inc();
        output.collect(new StreamRecord<>(p, spec.maxTimestamp(k.windowStart)));
    }

    /** Number of buffered (series, window) entries; for tests. */
    int bufferedEntries() {
        return buffer.size();
    }

    private record BufferKey(String service, String name, long windowStart) {}

    private static final class Buffered {
        final StatsAccumulator acc;
        String unit;

        Buffered(StatsAccumulator acc) {
            this.acc = acc;
        }
    }
}

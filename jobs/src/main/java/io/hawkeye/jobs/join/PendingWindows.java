package io.hawkeye.jobs.join;

import io.hawkeye.jobs.StateTtl;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;

/**
 * The keyed state of an event-time window join: per key, the windows being assembled from the inputs, by window
 * start, until the watermark completes them. Used by {@link ServiceWindowJoin}, the join of window-operator outputs
 * per service.
 *
 * <p>Every input comes from a window operator that emits a window's results stamped {@code windowEnd − 1} when
 * the watermark passes that instant, before forwarding the watermark. {@link #add} registers an event-time
 * timer at {@code windowEnd − 1} for each new window; in a two-input operator the timer fires only once both
 * inputs' watermarks have passed it, so by then everything of that window has arrived and {@link #removeDue}
 * hands it out, in event-time order. An input for a window whose end the watermark has passed already (a late
 * revision, or a window already handed out) is counted on {@code ignored} and not taken. A processing-time TTL of
 * {@link StateTtl#RESTORE_HORIZON} backs up the timers (no shorter: processing time runs on while a job is down).
 *
 * @param <W> the window being assembled, a Flink POJO
 */
public final class PendingWindows<W> {

    /** Creates the empty window {@code [start, end)}. */
    @FunctionalInterface
    public interface Factory<W> {
        W create(long start, long end);
    }

    private final MapState<Long, W> pending;
    private final ToLongFunction<W> windowEnd;
    private final Counter ignored;

    /**
     * @param pending   the state of {@link #descriptor}
     * @param windowEnd the exclusive end of a window
     * @param ignored   counts the inputs not taken because their window is complete already
     */
    public PendingWindows(MapState<Long, W> pending, ToLongFunction<W> windowEnd, Counter ignored) {
        this.pending = pending;
        this.windowEnd = windowEnd;
        this.ignored = ignored;
    }

    /** Window start → window being assembled, with the processing-time TTL of {@link StateTtl#RESTORE_HORIZON}. */
    public static <W> MapStateDescriptor<Long, W> descriptor(String name, Class<W> type) {
        MapStateDescriptor<Long, W> d = new MapStateDescriptor<>(name, Types.LONG, TypeInformation.of(type));
        d.enableTimeToLive(StateTtl.of(StateTtl.RESTORE_HORIZON));
        return d;
    }

    /**
     * Adds an input to the window {@code [start, end)}: {@code update} changes the window (new from {@code create},
     * its timer registered, if there is none yet), which is then written back. When the watermark has passed the
     * window, nothing is changed and the input is counted as ignored.
     */
    public void add(long start, long end, TimerService timers, Factory<W> create, Consumer<W> update)
            throws Exception {
        if (end - 1 <= timers.currentWatermark()) {
            ignored.inc();
            return;
        }
        W w = pending.get(start);
        if (w == null) {
            w = create.create(start, end);
            timers.registerEventTimeTimer(end - 1);
        }
        update.accept(w);
        pending.put(start, w);
    }

    /** Removes and returns the windows complete at event time {@code timestamp}, earliest first. */
    public List<W> removeDue(long timestamp) throws Exception {
        List<Map.Entry<Long, W>> due = new ArrayList<>();
        for (Iterator<Map.Entry<Long, W>> it = pending.iterator(); it.hasNext(); ) {
            Map.Entry<Long, W> e = it.next();
            if (windowEnd.applyAsLong(e.getValue()) - 1 <= timestamp) due.add(Map.entry(e.getKey(), e.getValue()));
        }
        due.sort(Map.Entry.comparingByKey());
        List<W> out = new ArrayList<>(due.size());
        for (Map.Entry<Long, W> e : due) {
            pending.remove(e.getKey());
            out.add(e.getValue());
        }
        return out;
    }
}

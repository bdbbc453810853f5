package io.hawkeye.jobs.percentiles;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Bounds the number of series names (endpoints, or metric names) per service that one pre-aggregator passes on:
 * the first {@code maxSeries} names it sees of a service keep their own series, every further name is counted under
 * {@link #OTHER} — nothing is dropped (counts, errors and sketches merge exactly), only the name is lost. One
 * service that sends a million distinct endpoint names (ids in raw paths) then cannot grow the window, detection
 * and Elasticsearch state of the whole job.
 *
 * <p>Per pre-aggregator subtask, in memory: no keyed hop is added before the window operators (an extra keyed
 * operator between the pre-aggregators and the windows made windows late after idle periods, and was reverted).
 * So the bound is per subtask: with parallelism p a service has at most p × {@code maxSeries} names downstream,
 * usually about {@code maxSeries} (the busy names reach every subtask first). The admitted names are not
 * checkpointed: after a restart a subtask admits the first names it sees again. A name without data for
 * {@code idleMillis} of event time gives its place up (checked at most once per window of a service at its cap,
 * so the work is bounded by the cap, not by the number of names sent). Not thread-safe.
 */
final class SeriesCap {
    /** The series that counts a service's names beyond its cap. */
    static final String OTHER = "_other";

    private final int maxSeries;
    private final long idleMillis;
    private final Map<String, Names> services = new HashMap<>();

    SeriesCap(int maxSeries, long idleMillis) {
        if (maxSeries < 1) throw new IllegalArgumentException("maxSeries must be >= 1, got " + maxSeries);
        this.maxSeries = maxSeries;
        this.idleMillis = idleMillis;
    }

    /** The series name to count an event of {@code service}/{@code name} in window {@code windowStart} under. */
    String admit(String service, String name, long windowStart) {
        Names n = services.computeIfAbsent(service, k -> new Names());
        Long seen = n.lastWindow.get(name);
        if (seen != null) {
            if (windowStart > seen) n.lastWindow.put(name, windowStart);
            return name;
        }
        if (OTHER.equals(name)) return name;
        if (n.lastWindow.size() >= maxSeries && n.lastScan < windowStart) {
            n.lastScan = windowStart;
            for (Iterator<Map.Entry<String, Long>> it = n.lastWindow.entrySet().iterator(); it.hasNext(); ) {
                if (it.next().getValue() < windowStart - idleMillis) it.remove();
            }
        }
        if (n.lastWindow.size() < maxSeries) {
            n.lastWindow.put(name, windowStart);
            return name;
        }
        n.folded++;
        return OTHER;
    }

    /** Names of {@code service} counted under {@link #OTHER} so far (events, not distinct names). */
    long folded(String service) {
        Names n = services.get(service);
        return n == null ? 0 : n.folded;
    }

    private static final class Names {
        final Map<String, Long> lastWindow = new HashMap<>();
        long lastScan = Long.MIN_VALUE;
        long folded;
    }
}

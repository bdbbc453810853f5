package io.hawkeye.correlate;

import io.hawkeye.rca.ServiceGraph;
import java.util.Collection;
import java.util.List;

/**
 * The dependency graph as of an event time: the static edges, the active learned edges, and the learned edges that
 * expired after that time — an alert is correlated against the edges that existed when it started, even when its
 * correlation waits until after their expiry (at the end of a bounded input every learned edge expires before the
 * last alerts are released). Cached: rebuilt only when the learned edges are reloaded or the time crosses an expiry.
 * Not thread-safe.
 */
public final class GraphHistory {
    /** A learned edge as last published by the graph learner: expired at {@code updatedAt} when not active. */
    public record LearnedEdge(String caller, String callee, boolean active, long updatedAt) {}

    private final List<String> staticEdges;
    private List<LearnedEdge> learned = List.of();
    /** Sorted expiry times of the expired learned edges. */
    private long[] expiries = new long[0];
    private boolean stale = true;
    private ServiceGraph graph;
    private int graphExcluded;

    /** @param staticEdges {@code caller|callee} edges that never expire */
    public GraphHistory(List<String> staticEdges) {
        this.staticEdges = List.copyOf(staticEdges);
    }

    /** The learned edges changed: {@link #load} them before the next {@link #at}. */
    public void invalidate() {
        stale = true;
    }

    /** Whether the learned edges must be {@link #load}ed before the next {@link #at}. */
    public boolean isStale() {
        return stale;
    }

    /** Takes the current learned edges (all of them, active and expired). */
    public void load(Collection<LearnedEdge> edges) {
        learned = List.copyOf(edges);
        expiries = learned.stream().filter(e -> !e.active()).mapToLong(LearnedEdge::updatedAt).sorted().toArray();
        graph = null;
        stale = false;
    }

    /** The graph as of event time {@code t}. */
    public ServiceGraph at(long t) {
        if (stale) throw new IllegalStateException("the learned edges changed: load them first");
        int excluded = upperBound(expiries, t);   // expired at or before t
        if (graph != null && excluded == graphExcluded) return graph;
        ServiceGraph g = new ServiceGraph();
        for (String se : staticEdges) {
            java.util.List<String> ends = io.hawkeye.telemetry.SeriesKeys.split(se);
            g.addEdge(ends.get(0), ends.get(1));
        }
        for (LearnedEdge e : learned) {
            if (e.active() || e.updatedAt() > t) g.addEdge(e.caller(), e.callee());
        }
        graph = g;
        graphExcluded = excluded;
        return g;
    }

    /** Number of elements of sorted {@code a} that are at most {@code t}. */
    private static int upperBound(long[] a, long t) {
        int lo = 0, hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= t) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}

package io.hawkeye.rca;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A service dependency graph: services and directed call edges caller → callee. Self-calls are ignored.
 * Iteration order is sorted by name everywhere, so that everything computed from a graph is deterministic.
 * Mutable while being built; not thread-safe.
 */
public final class ServiceGraph {
    private final Map<String, TreeSet<String>> callees = new TreeMap<>();
    private final Map<String, TreeSet<String>> callers = new TreeMap<>();

    /** Adds a service without edges (no-op if known). */
    public ServiceGraph addService(String service) {
        callees.computeIfAbsent(service, k -> new TreeSet<>());
        callers.computeIfAbsent(service, k -> new TreeSet<>());
        return this;
    }

    /** Adds the edge {@code caller → callee} and both services. */
    public ServiceGraph addEdge(String caller, String callee) {
        addService(caller);
        addService(callee);
        if (!caller.equals(callee)) {
            callees.get(caller).add(callee);
            callers.get(callee).add(caller);
        }
        return this;
    }

    public static ServiceGraph ofEdges(String... callerCalleePairs) {
        ServiceGraph g = new ServiceGraph();
        for (int i = 0; i + 1 < callerCalleePairs.length; i += 2) {
            g.addEdge(callerCalleePairs[i], callerCalleePairs[i + 1]);
        }
        return g;
    }

    public boolean contains(String service) {
        return callees.containsKey(service);
    }

    /** All services, sorted. */
    public Set<String> services() {
        return Collections.unmodifiableSet(callees.keySet());
    }

    public Set<String> callees(String service) {
        TreeSet<String> s = callees.get(service);
        return s == null ? Set.of() : Collections.unmodifiableSet(s);
    }

    public Set<String> callers(String service) {
        TreeSet<String> s = callers.get(service);
        return s == null ? Set.of() : Collections.unmodifiableSet(s);
    }

    public int edgeCount() {
        int n = 0;
        for (TreeSet<String> s : callees.values()) n += s.size();
        return n;
    }

    /** Edges as [caller, callee] pairs, sorted. */
    public List<String[]> edges() {
        List<String[]> out = new ArrayList<>();
        callees.forEach((u, vs) -> vs.forEach(v -> out.add(new String[] {u, v})));
        return out;
    }

    /** Transitive callers of {@code service} (excluding itself) with their hop distance, nearest first. */
    public Map<String, Integer> transitiveCallers(String service) {
        return bfs(List.of(service), Integer.MAX_VALUE, true, false);
    }

    /**
     * Hop distance from any of {@code from} to every service reachable within {@code maxHops} when edges are
     * followed in both directions (the sources themselves are at distance 0).
     */
    public Map<String, Integer> undirectedNeighbourhood(Collection<String> from, int maxHops) {
        return bfs(from, maxHops, true, true);
    }

    /** Transitive callees of any of {@code from} within {@code maxHops}, with the hop distance (sources at 0). */
    public Map<String, Integer> calleesWithin(Collection<String> from, int maxHops) {
        return bfs(from, maxHops, false, true);
    }

    /**
     * Services on a call path with any of {@code from} within {@code maxHops}: their transitive callers and
     * transitive callees (edges followed in one direction only, so two callers of a shared callee are not
     * related through it), with the hop distance; the sources themselves at distance 0.
     */
    public Map<String, Integer> callPathNeighbourhood(Collection<String> from, int maxHops) {
        Map<String, Integer> out = new LinkedHashMap<>(bfs(from, maxHops, true, false));
        bfs(from, maxHops, false, true).forEach((s, d) -> out.merge(s, d, Math::min));
        return out;
    }

    private Map<String, Integer> bfs(Collection<String> from, int maxHops, boolean up, boolean down) {
        Map<String, Integer> dist = new LinkedHashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        for (String s : from) {
            if (contains(s) && dist.putIfAbsent(s, 0) == null) queue.add(s);
        }
        while (!queue.isEmpty()) {
            String s = queue.poll();
            int d = dist.get(s);
            if (d >= maxHops) continue;
            List<String> next = new ArrayList<>();
            if (up) next.addAll(callers(s));
            if (down) next.addAll(callees(s));
            for (String n : next) {
                if (!dist.containsKey(n)) {
                    dist.put(n, d + 1);
                    queue.add(n);
                }
            }
        }
        if (!down) {
            for (String s : from) dist.remove(s);
        }
        return dist;
    }
}

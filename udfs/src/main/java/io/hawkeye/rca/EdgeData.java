package io.hawkeye.rca;

import java.util.Comparator;
import java.util.Set;

/**
 * Per-call-edge observations for one period: per (caller, callee), per signal, a time series (epoch ms → value).
 * The signals of docs/rca.md ("Edge signals"): {@code calls}, {@code client_latency_p50/p99} (the caller's view
 * of a call), {@code server_latency_p50/p99} (the callee's span of the same call) and {@code gap_p50/p99}
 * (client − server per call: time spent outside the callee). Other names are kept and ignored by the ranker.
 */
public final class EdgeData extends KeyedSeries<EdgeData.Edge> {
    /** An empty period: the ranker then works from the per-service signals alone. */
    public static EdgeData none() {
        return new EdgeData();
    }

    /** A call edge caller → callee. */
    public record Edge(String caller, String callee) implements Comparable<Edge> {
        private static final Comparator<Edge> ORDER =
                Comparator.comparing(Edge::caller).thenComparing(Edge::callee);

        @Override
        public int compareTo(Edge o) {
            return ORDER.compare(this, o);
        }

        @Override
        public String toString() {
            return caller + " → " + callee;
        }
    }

    /** Records one value; NaN/infinite values are treated as missing and skipped. */
    public EdgeData add(long tsMillis, String caller, String callee, String signal, double value) {
        put(tsMillis, new Edge(caller, callee), signal, value);
        return this;
    }

    public Set<Edge> edges() {
        return keys();
    }
}

package io.hawkeye.rca;

import io.hawkeye.rca.EdgeData.Edge;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Per-service evidence from a normal and an abnormal period, with the changes that the call graph explains taken
 * out (docs/rca.md, "Evidence"). Four steps:
 * <ol>
 *   <li><b>Effect</b> per (service, signal): in transformed units ({@link #transform}: latencies and rates on a log
 *       scale, bounded ratios as they are), the {@value #QUANTILE} quantile of the abnormal values minus the
 *       normal median — and minus the median of the last {@value #RECENT} normal values: a change must hold
 *       against both, so a level that had already moved by the end of the normal period (a slow drift, an earlier
 *       step) is not this incident's. Signed; latency and errors count only upwards.
 *   <li><b>Scale</b>: {@code max(own robust spread, pooled spread, floor)}, the pooled spread being the median of
 *       the same signal's spreads over all services. A series that happened to be constant in a short normal
 *       period borrows the noise level its peers show instead of producing an infinite z.
 *   <li><b>Explain-away</b>: latency and errors propagate from callee to caller, load from caller to callee. A
 *       caller's latency effect minus the largest latency effect of its calls (the caller's own client-side view
 *       of them — an edge's {@code client_latency_*} or a {@code client_*} signal — else its callees' server-side
 *       latency) is its unexplained latency; errors likewise; a callee's traffic change minus the largest same-
 *       direction change of its callers' is its unexplained traffic. Resources (CPU, memory, …) are a service's
 *       own. Client-side signals are never a service's own evidence, only explanation of its callers' latency.
 *   <li><b>Edges</b>: a rise of {@code gap_*} (client − server time of the same calls) on a call edge is time
 *       spent outside the callee — network, proxy, connection pool — and counts as the callee's evidence (the
 *       side that the edge fronts). An edge without normal data is compared with the pooled normal gap of all
 *       edges (traces often cover the normal period thinly).
 * </ol>
 * z = effect ÷ scale; strength = {@code log(1 + max(0, |z| − 3))}: nothing within the classical 3-sigma noise
 * allowance counts, and one enormous z does not dwarf everything else. A service's strength is the maximum over
 * its signals; its unexplained strength the same over the unexplained effects. Onset: a one-sided CUSUM on the
 * per-timestamp maximum z over the abnormal period.
 */
public final class AnomalyScorer {
    public static final double QUANTILE = 0.9;
    public static final double NOISE_Z = 3.0;
    public static final double Z_CAP = 100.0;
    public static final double CUSUM_H = 5.0;
    /** Fewer normal-period values than this and a signal is not scored. */
    public static final int MIN_NORMAL_POINTS = 3;
    /** The end of the normal period: the median of its last values (three: the least that outvotes one outlier). */
    public static final int RECENT = 3;
    /** Offset of the log transform, as a share of the signal's typical normal level (see {@link #transform}). */
    public static final double LOG_OFFSET_SHARE = 0.05;

    private AnomalyScorer() {}


    /**
     * A resource change (CPU, memory, anything of kind OTHER) explains an incident only through what it does to the
     * service's requests: it counts in full when the service's own latency or errors (the part its callees do not
     * explain), the time outside it on its edges, or its callers' view of calls into it moved clearly beyond the
     * noise allowance (z ≥ 6, twice the allowance), not at all within it (z ≤ 3), linearly in between, and in full
     * when the service has no such signal at all (nothing to check against).
     */
    private static void gateResources(String s, List<Effect> evidence, Map<Edge, Map<String, Effect>> edgeEffects) {
        double impact = 0;
        boolean measurable = false;
        for (Effect e : evidence) {
            if (e.kind == SignalKind.LATENCY || e.kind == SignalKind.ERRORS) {
                measurable = true;
                impact = Math.max(impact, e.unexplainedZ());
            }
        }
        for (Map.Entry<Edge, Map<String, Effect>> edge : edgeEffects.entrySet()) {
            if (!edge.getKey().callee().equals(s)) continue;
            for (Effect e : edge.getValue().values()) {
                if (e.signal.startsWith("client_latency")) {
                    measurable = true;
                    impact = Math.max(impact, e.z());
                }
            }
        }
        if (!measurable) return;
        double gate = Math.max(0, Math.min(1, (impact - NOISE_Z) / NOISE_Z));
        for (Effect e : evidence) {
            if (e.kind == SignalKind.OTHER) {
                e.gate = gate;
                e.impactZ = impact;
            }
        }
    }

    /** Scores every service of {@code services} from per-service signals only. */
    public static Map<String, ServiceAnomaly> score(Collection<String> services, SignalData normal,
            SignalData abnormal) {
        return score(new ServiceGraph(), services, normal, abnormal, EdgeData.none(), EdgeData.none());
    }

    /**
     * Scores every service of {@code services} (and of the graph); services without usable data get
     * {@link ServiceAnomaly#noData}.
     */
    public static Map<String, ServiceAnomaly> score(ServiceGraph graph, Collection<String> services,
            SignalData normal, SignalData abnormal, EdgeData normalEdges, EdgeData abnormalEdges) {
        TreeSet<String> all = new TreeSet<>(services);
        all.addAll(graph.services());

        // 1. Effects per (service, signal), with one transform per signal name.
        Map<String, Transform> transforms = new HashMap<>();
        Map<String, Map<String, Effect>> effects = new TreeMap<>();
        Map<String, List<Double>> spreads = new HashMap<>();
        for (String s : all) {
            TreeSet<String> signals = new TreeSet<>(normal.signals(s).keySet());
            signals.addAll(abnormal.signals(s).keySet());
            for (String signal : signals) {
                NavigableMap<Long, Double> n = normal.series(s, signal), a = abnormal.series(s, signal);
                if (n.size() < MIN_NORMAL_POINTS || a.isEmpty()) continue;
                Transform t = transforms.computeIfAbsent(signal, k -> Transform.of(k, normal));
                Effect e = Effect.of(signal, t, n, a, null);
                effects.computeIfAbsent(s, k -> new TreeMap<>()).put(signal, e);
                spreads.computeIfAbsent(signal, k -> new ArrayList<>()).add(e.spread);
            }
        }
        // 2. Scales: own spread, pooled over services, never zero.
        for (Map<String, Effect> bySignal : effects.values()) {
            for (Effect e : bySignal.values()) {
                e.scale(pooled(spreads.get(e.signal)));
            }
        }
        // 4 (before 3: explanation uses them). Edge effects: client latency per edge, gap into each callee.
        Map<Edge, Map<String, Effect>> edgeEffects = edgeEffects(normalEdges, abnormalEdges);

        // 3. Explain-away, then per-service summary.
        Map<String, ServiceAnomaly> out = new LinkedHashMap<>();
        for (String s : all) {
            Map<String, Effect> own = effects.getOrDefault(s, Map.of());
            List<Effect> evidence = new ArrayList<>();
            for (Effect e : own.values()) {
                if (e.clientSide) continue;
                Explanation x = switch (e.kind) {
                    case LATENCY -> explainedLatency(graph, s, effects, edgeEffects);
                    case ERRORS -> explainedBy(graph.callees(s), effects, SignalKind.ERRORS, 1);
                    case TRAFFIC -> explainedBy(graph.callers(s), effects, SignalKind.TRAFFIC,
                            Math.signum(e.effect));
                    case OTHER -> Explanation.NONE;
                };
                e.explained = x.amount();
                e.explainedBy = x.by();
                evidence.add(e);
            }
            evidence.addAll(gapEvidence(s, edgeEffects));
            gateResources(s, evidence, edgeEffects);
            out.put(s, evidence.isEmpty() ? ServiceAnomaly.noData(s) : summarise(s, evidence));
        }
        return out;
    }

    /**
     * Time outside the callee, attributed to the side that all the evidence shares. Per gap signal: the median
     * edge (by z; the lower one of an even count) over the calls INTO {@code s} — every caller of a slow-to-reach
     * service sees the gap — and over the calls {@code s} MAKES, when it makes calls to at least two services —
     * a caller whose every call takes longer outside its callees is itself slow to send or to read (CPU
     * starvation, a saturated client pool, its own network). One slow edge between two healthy ends moves
     * neither median much; with one edge in, the callee (the side the edge fronts) gets it.
     */
    private static List<Effect> gapEvidence(String s, Map<Edge, Map<String, Effect>> edgeEffects) {
        Map<String, List<Effect>> in = new TreeMap<>(), outgoing = new TreeMap<>();
        for (Map.Entry<Edge, Map<String, Effect>> edge : edgeEffects.entrySet()) {
            boolean into = edge.getKey().callee().equals(s), from = edge.getKey().caller().equals(s);
            if (!into && !from) continue;
            for (Effect e : edge.getValue().values()) {
                if (!e.signal.startsWith("gap")) continue;
                (into ? in : outgoing).computeIfAbsent(e.signal, k -> new ArrayList<>()).add(e);
            }
        }
        List<Effect> out = new ArrayList<>();
        for (List<Effect> l : in.values()) out.add(median(l, false));
        for (List<Effect> l : outgoing.values()) {
            if (l.size() >= 2) out.add(median(l, true));
        }
        return out;
    }

    private static Effect median(List<Effect> edges, boolean outgoing) {
        edges.sort(java.util.Comparator.comparingDouble(Effect::z));
        // A copy: the same edge can be the median into its callee and of its caller's calls, with other roles.
        Effect m = new Effect(edges.get((edges.size() - 1) / 2));
        m.sharedBy = edges.size();
        m.outgoing = outgoing;
        return m;
    }

    /** How much of an effect (transformed units) a neighbour explains, and which one (null: none). */
    private record Explanation(double amount, String by) {
        static final Explanation NONE = new Explanation(0, null);
    }

    private static ServiceAnomaly summarise(String s, List<Effect> evidence) {
        double best = 0, bestUp = 0, bestUnexplained = 0, bestZ = Double.NaN, bestU = -1;
        Effect top = null, topUnexplained = null;
        TreeMap<Long, Double> series = new TreeMap<>(), abnormalSeries = new TreeMap<>();
        for (Effect e : evidence) {
            double strength = strength(Math.abs(e.z()));
            double unexplained = strength(Math.abs(e.unexplainedZ()));
            if (strength > best || top == null) {
                best = Math.max(best, strength);
                top = e;
                bestZ = e.z();
            }
            if (unexplained > bestU) {
                bestU = unexplained;
                topUnexplained = e;
            }
            bestUnexplained = Math.max(bestUnexplained, unexplained);
            if (e.kind.propagatesUpstream) bestUp = Math.max(bestUp, strength);
            e.addZSeries(series, abnormalSeries);
        }
        Effect shown = bestUnexplained > 0 ? topUnexplained : top;
        long onset = best > 0 ? onset(abnormalSeries) : ServiceAnomaly.NO_ONSET;
        return new ServiceAnomaly(s, best, bestUp, shown.label(), shown == top ? bestZ : shown.z(), onset, series,
                true, bestUnexplained, shown.describe(), 0);
    }

    private static Explanation explainedLatency(ServiceGraph graph, String s, Map<String, Map<String, Effect>> effects,
            Map<Edge, Map<String, Effect>> edgeEffects) {
        double best = 0;
        String by = null;
        // The service's own view of its outgoing calls (a client_* latency signal).
        for (Effect e : effects.getOrDefault(s, Map.of()).values()) {
            if (e.clientSide && e.kind == SignalKind.LATENCY && e.effect > best) {
                best = e.effect;
                by = "its calls (" + e.signal + ")";
            }
        }
        for (String c : graph.callees(s)) {
            Map<String, Effect> edge = edgeEffects.get(new Edge(s, c));
            boolean edgeSeen = false;
            if (edge != null) {
                for (Effect e : edge.values()) {
                    if (e.signal.startsWith("client_latency")) {
                        edgeSeen = true;
                        if (e.effect > best) {
                            best = e.effect;
                            by = "calls to " + c;
                        }
                    }
                }
            }
            if (edgeSeen) continue;
            for (Effect e : effects.getOrDefault(c, Map.of()).values()) {
                if (e.kind == SignalKind.LATENCY && !e.clientSide && e.effect > best) {
                    best = e.effect;
                    by = c;
                }
            }
        }
        return new Explanation(best, by);
    }

    /** The largest effect of {@code kind} among {@code others}, in the direction {@code sign} (0 = none). */
    private static Explanation explainedBy(Collection<String> others, Map<String, Map<String, Effect>> effects,
            SignalKind kind, double sign) {
        double best = 0;
        String by = null;
        if (sign != 0) {
            for (String o : others) {
                for (Effect e : effects.getOrDefault(o, Map.of()).values()) {
                    if (e.kind == kind && !e.clientSide && e.effect * sign > best) {
                        best = e.effect * sign;
                        by = o;
                    }
                }
            }
        }
        return new Explanation(best, by);
    }

    /** Client latency and gap effects per edge; gaps without normal data measured against the pooled edges. */
    private static Map<Edge, Map<String, Effect>> edgeEffects(EdgeData normal, EdgeData abnormal) {
        Map<Edge, Map<String, Effect>> out = new TreeMap<>();
        if (abnormal.isEmpty()) return out;
        Map<String, List<Double>> pooledValues = new HashMap<>();
        Map<String, List<Double>> pooledSpreads = new HashMap<>();
        Map<String, Transform> transforms = new HashMap<>();
        for (Edge e : normal.edges()) {
            for (Map.Entry<String, NavigableMap<Long, Double>> s : normal.signals(e).entrySet()) {
                if (!edgeSignal(s.getKey())) continue;
                Transform t = transforms.computeIfAbsent(s.getKey(), k -> Transform.ofEdges(k, normal));
                List<Double> values = pooledValues.computeIfAbsent(s.getKey(), k -> new ArrayList<>());
                for (double v : s.getValue().values()) values.add(t.apply(v));
                if (s.getValue().size() >= MIN_NORMAL_POINTS) {
                    pooledSpreads.computeIfAbsent(s.getKey(), k -> new ArrayList<>())
                            .add(Effect.spread(t.values(s.getValue())));
                }
            }
        }
        // The population an edge without (enough) normal data of its own is compared with: every edge's normal
        // values, or — without any normal data for the signal — the typical edge of the abnormal period itself (one
        // fault touches few edges): the edges' medians, their spread by MAD (robust while fewer than half are
        // affected), at least the typical spread within one edge.
        Map<String, Double> populationSpread = new HashMap<>();
        pooledValues.forEach((signal, values) -> populationSpread.put(signal, Effect.spread(toArray(values))));
        Map<String, List<Double>> abnormalMedians = new HashMap<>(), abnormalSpreads = new HashMap<>();
        for (Edge e : abnormal.edges()) {
            for (Map.Entry<String, NavigableMap<Long, Double>> s : abnormal.signals(e).entrySet()) {
                if (!edgeSignal(s.getKey()) || s.getValue().isEmpty()
                        || pooledValues.getOrDefault(s.getKey(), List.of()).size() >= MIN_NORMAL_POINTS) {
                    continue;
                }
                Transform t = transforms.computeIfAbsent(s.getKey(), k -> Transform.ofEdges(k, abnormal));
                double[] v = t.values(s.getValue());
                abnormalMedians.computeIfAbsent(s.getKey(), k -> new ArrayList<>()).add(Robust.median(v));
                abnormalSpreads.computeIfAbsent(s.getKey(), k -> new ArrayList<>()).add(Effect.spread(v));
            }
        }
        abnormalMedians.forEach((signal, medians) -> {
            double[] m = toArray(medians);
            double within = pooled(abnormalSpreads.get(signal));
            pooledValues.put(signal, medians);
            pooledSpreads.put(signal, List.of(within));
            populationSpread.put(signal, Math.max(1.4826 * Robust.mad(m, Robust.median(m)), within));
        });
        for (Edge e : abnormal.edges()) {
            for (Map.Entry<String, NavigableMap<Long, Double>> s : abnormal.signals(e).entrySet()) {
                String signal = s.getKey();
                if (!edgeSignal(signal) || s.getValue().isEmpty()) continue;
                Transform t = transforms.computeIfAbsent(signal, k -> Transform.ofEdges(k, normal));
                NavigableMap<Long, Double> n = normal.series(e, signal);
                double[] pool = toArray(pooledValues.getOrDefault(signal, List.of()));
                Effect x;
                if (n.size() >= MIN_NORMAL_POINTS) {
                    x = Effect.of(signal, t, n, s.getValue(), e);
                } else if (pool.length >= MIN_NORMAL_POINTS) {
                    x = Effect.against(signal, t, pool, populationSpread.get(signal), s.getValue(), e);
                } else {
                    continue;
                }
                x.scale(pooled(pooledSpreads.get(signal)));
                out.computeIfAbsent(e, k -> new TreeMap<>()).put(signal, x);
            }
        }
        return out;
    }

    private static boolean edgeSignal(String signal) {
        return signal.startsWith("gap") || signal.startsWith("client_latency");
    }

    private static double pooled(List<Double> spreads) {
        if (spreads == null || spreads.isEmpty()) return 0;
        return Robust.median(toArray(spreads));
    }

    /** {@code log(1 + max(0, z − 3))}. */
    public static double strength(double z) {
        return Math.log1p(Math.max(0, z - NOISE_Z));
    }

    /** CUSUM change point over the abnormal period, or NO_ONSET. */
    static long onset(NavigableMap<Long, Double> z) {
        double s = 0;
        long runStart = ServiceAnomaly.NO_ONSET;
        for (Map.Entry<Long, Double> e : z.entrySet()) {
            double next = Math.max(0, s + e.getValue() - NOISE_Z);
            if (s == 0 && next > 0) runStart = e.getKey();
            s = next;
            if (s > CUSUM_H) return runStart;
        }
        return ServiceAnomaly.NO_ONSET;
    }

    static double[] toArray(Collection<Double> values) {
        double[] v = new double[values.size()];
        int i = 0;
        for (double x : values) v[i++] = x;
        return v;
    }

    /**
     * The scale on which a signal's changes are measured. Latencies, rates and counts (and any other non-negative
     * signal that is not a bounded ratio) vary multiplicatively: {@code log(x + c)}, with {@code c} =
     * {@value #LOG_OFFSET_SHARE} × the median normal value over all services (a change near zero is then
     * measured additively, in units of 5 % of a typical level, and the unit of the signal does not matter).
     * Bounded ratios (every value in [0, 1]: utilisations, error rates) and signed signals stay linear.
     */
    record Transform(boolean log, double offset) {
        static Transform of(String signal, SignalData normal) {
            List<Double> medians = new ArrayList<>();
            boolean ratio = true, nonNegative = true;
            for (String s : normal.services()) {
                NavigableMap<Long, Double> n = normal.series(s, signal);
                if (n.isEmpty()) continue;
                for (double v : n.values()) {
                    if (v < 0) nonNegative = false;
                    if (v > 1) ratio = false;
                }
                medians.add(Robust.median(toArray(n.values())));
            }
            return choose(signal, medians, ratio, nonNegative);
        }

        static Transform ofEdges(String signal, EdgeData normal) {
            List<Double> medians = new ArrayList<>();
            for (Edge e : normal.edges()) {
                NavigableMap<Long, Double> n = normal.series(e, signal);
                if (!n.isEmpty()) medians.add(Robust.median(toArray(n.values())));
            }
            // Gaps can be slightly negative (clock skew, asynchronous sends): clamp at zero, still a time.
            return choose(signal, medians, false, true);
        }

        private static Transform choose(String signal, List<Double> medians, boolean ratio, boolean nonNegative) {
            SignalKind kind = SignalKind.of(signal);
            boolean log = nonNegative && (kind == SignalKind.LATENCY || kind == SignalKind.TRAFFIC || !ratio)
                    && kind != SignalKind.ERRORS;
            if (!log) return new Transform(false, 0);
            double typical = medians.isEmpty() ? 0 : Robust.median(toArray(medians));
            double c = LOG_OFFSET_SHARE * typical;
            if (!(c > 0)) c = 1e-3; // a signal that is typically 0: any positive offset keeps log finite
            return new Transform(true, c);
        }

        double apply(double v) {
            return log ? Math.log(Math.max(0, v) + offset) : v;
        }

        double[] values(NavigableMap<Long, Double> series) {
            double[] v = new double[series.size()];
            int i = 0;
            for (double x : series.values()) v[i++] = apply(x);
            return v;
        }

        /** A change of {@code d} transformed units at the level {@code level} (transformed), in raw units. */
        double raw(double level, double d) {
            return log ? Math.exp(level + d) - Math.exp(level) : d;
        }
    }

    /** One signal's change between the periods, in transformed units. Mutable while the scorer fills it. */
    static final class Effect {
        final String signal;
        final SignalKind kind;
        final boolean clientSide;
        final Edge edge;
        final Transform transform;
        final double baseline;
        /** Signed effect (0 when the change does not hold against both the normal median and its end). */
        final double effect;
        final double spread;
        final NavigableMap<Long, Double> normalT, abnormalT;
        double scale;
        double explained;
        String explainedBy;
        /** For a resource: the share that counts (see gateResources), and the impact z behind it. */
        double gate = 1;
        double impactZ = Double.NaN;
        /** For edge evidence: over how many edges it is the median, and whether they are the service's calls. */
        int sharedBy;
        boolean outgoing;

        /** A copy, for a second role of the same edge effect. */
        private Effect(Effect o) {
            this.signal = o.signal;
            this.kind = o.kind;
            this.clientSide = o.clientSide;
            this.edge = o.edge;
            this.transform = o.transform;
            this.baseline = o.baseline;
            this.effect = o.effect;
            this.spread = o.spread;
            this.normalT = o.normalT;
            this.abnormalT = o.abnormalT;
            this.scale = o.scale;
            this.explained = o.explained;
            this.explainedBy = o.explainedBy;
        }

        private Effect(String signal, Transform t, double[] normalValues, NavigableMap<Long, Double> normal,
                NavigableMap<Long, Double> abnormal, Edge edge, double givenSpread) {
            this.signal = signal;
            this.kind = SignalKind.of(signal);
            this.clientSide = SignalKind.clientSide(signal);
            this.edge = edge;
            this.transform = t;
            this.normalT = transformed(normal, t);
            this.abnormalT = transformed(abnormal, t);
            double[] a = toArray(abnormalT.values());
            this.baseline = Robust.median(normalValues);
            double recent = baseline;
            if (normal.size() > RECENT) {
                double[] last = toArray(new ArrayList<>(normalT.values()).subList(normalT.size() - RECENT,
                        normalT.size()));
                recent = Robust.median(last);
            }
            double hi = Robust.quantile(a, QUANTILE), lo = Robust.quantile(a, 1 - QUANTILE);
            double up = Math.min(hi - baseline, hi - recent);
            double down = Math.max(lo - baseline, lo - recent);
            boolean twoSided = kind.twoSided;
            double e = Math.max(0, up);
            if (twoSided && -Math.min(0, down) > e) e = Math.min(0, down);
            this.effect = e;
            this.spread = Double.isNaN(givenSpread) ? spread(normalValues) : givenSpread;
        }

        static Effect of(String signal, Transform t, NavigableMap<Long, Double> normal,
                NavigableMap<Long, Double> abnormal, Edge edge) {
            return new Effect(signal, t, t.values(normal), normal, abnormal, edge, Double.NaN);
        }

        /**
         * Against a population of edges (an edge without normal data of its own): the population's median is the
         * baseline and its spread the edge's own — the edge's usual level is unknown within that spread.
         */
        static Effect against(String signal, Transform t, double[] population, double populationSpread,
                NavigableMap<Long, Double> abnormal, Edge edge) {
            return new Effect(signal, t, population, new TreeMap<>(), abnormal, edge, populationSpread);
        }

        static double spread(double[] v) {
            double m = Robust.median(v);
            return Math.max(1.4826 * Robust.mad(v, m),
                    (Robust.quantile(v, 0.75) - Robust.quantile(v, 0.25)) / 1.349);
        }

        void scale(double pooledSpread) {
            double floor = 0;
            for (double v : normalT.values()) floor = Math.max(floor, Math.abs(v));
            floor = Math.max(1e-12, 1e-3 * floor);
            this.scale = Math.max(Math.max(spread, pooledSpread), floor);
        }

        double z() {
            return Math.max(-Z_CAP, Math.min(Z_CAP, effect / scale));
        }

        /** The part of the effect its neighbours do not explain (same sign as the effect, or 0). */
        double unexplainedZ() {
            double u = gate * Math.signum(effect) * Math.max(0, Math.abs(effect) - explained);
            return Math.max(-Z_CAP, Math.min(Z_CAP, u / scale));
        }

        String label() {
            if (edge == null) return signal;
            return outgoing ? signal + " of its calls" : signal + " into it";
        }

        /** E.g. {@code latency_p99 +310 ms (z=+12.0), 40 % explained by postgres}. */
        String describe() {
            double rawChange = transform.raw(baseline, effect);
            StringBuilder sb = new StringBuilder(label()).append(' ')
                    .append(String.format(Locale.ROOT, "%+.3g (z=%+.1f", rawChange, z()));
            if (explained > 0 && effect != 0) {
                double share = Math.min(1, explained / Math.abs(effect));
                sb.append(String.format(Locale.ROOT, ", %.0f %% explained", 100 * share));
                if (explainedBy != null) sb.append(" by ").append(explainedBy);
            }
            if (gate < 1) {
                sb.append(String.format(Locale.ROOT, ", counted %.0f %%: its requests moved only z=%+.1f", 100 * gate,
                        impactZ));
            }
            if (edge != null && signal.startsWith("gap")) {
                sb.append(outgoing ? ", median of its calls to " + sharedBy + " services, e.g. " + edge.callee()
                        : ", median of " + sharedBy + " callers, e.g. " + edge.caller())
                        .append(outgoing ? ": slow on the caller's side (CPU, client pool, its network)"
                                : ": time outside the callee (network, proxy, connection pool)");
            }
            return sb.append(')').toString();
        }

        void addZSeries(TreeMap<Long, Double> both, TreeMap<Long, Double> abnormalOnly) {
            for (Map.Entry<Long, Double> e : abnormalT.entrySet()) {
                double z = directional((e.getValue() - baseline) / scale);
                abnormalOnly.merge(e.getKey(), z, Math::max);
                both.merge(e.getKey(), z, Math::max);
            }
            for (Map.Entry<Long, Double> e : normalT.entrySet()) {
                both.merge(e.getKey(), directional((e.getValue() - baseline) / scale), Math::max);
            }
        }

        private double directional(double z) {
            return Math.min(Z_CAP, kind.twoSided ? Math.abs(z) : Math.max(0, z));
        }

        private static NavigableMap<Long, Double> transformed(NavigableMap<Long, Double> s, Transform t) {
            TreeMap<Long, Double> out = new TreeMap<>();
            s.forEach((k, v) -> out.put(k, t.apply(v)));
            return out;
        }
    }
}

package io.hawkeye.jobs.correlate;

import io.hawkeye.alerts.Alert;
import io.hawkeye.rca.AlertEvidence;
import io.hawkeye.rca.RankedCause;
import io.hawkeye.rca.RootCauseRanker;
import io.hawkeye.rca.ServiceGraph;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Groups alerts into incidents over the dependency graph (broadcast {@link TopologyEdge}s plus the static edges
 * of the configuration). One global instance (keyed by a constant) by default; with
 * {@link CorrelationConfig#partitionLabel()} one instance per label value (an alert joins only incidents of its
 * own value) — docs/correlation.md, "Scale".
 *
 * <p>Rules (event time = the alert's {@code starts_at}):
 * <ul>
 *   <li>an update of a member alert occurrence ({@code alert_id|starts_at}) updates its incident;
 *   <li>a new alert joins each open incident whose alerts started no earlier than {@code window} after it and
 *       whose latest alert started no more than {@code window} before it, and whose services are within
 *       {@code maxHops} of the alert's service on the undirected graph (or include the service itself — so
 *       alerts on a service the graph does not know join only incidents of that same service);
 *   <li>no such incident: a new one, id = hash of the alert's {@code alert_id|starts_at}; several: they merge
 *       into the oldest (its id is kept), the others are emitted once more as resolved with {@code merged_into};
 *   <li>when all members have resolved, the incident resolves {@code quietPeriod} after the last {@code ends_at}
 *       (event-time timer) unless a new alert joins first; it is emitted and removed from state.
 * </ul>
 * Every change emits the incident (main output) and, as a side output {@link #ANNOTATED}, the incoming alert
 * and every member whose {@code incident_id}/{@code caused_by} changed. Root causes come from
 * {@link RootCauseRanker} over {@link AlertEvidence#fromAlerts} on the subgraph within {@code maxHops} of the
 * incident's services.
 */
public class IncidentCorrelator extends KeyedBroadcastProcessFunction<Integer, Alert, TopologyEdge, Incident> {
    private static final long serialVersionUID = 1L;

    public static final MapStateDescriptor<String, TopologyEdge> GRAPH = new MapStateDescriptor<>(
            "correlate-graph", Types.STRING, TypeInformation.of(TopologyEdge.class));
    public static final OutputTag<Alert> ANNOTATED = new OutputTag<>("annotated-alerts",
            TypeInformation.of(Alert.class));

    private final CorrelationConfig config;
    private transient MapState<String, IncidentState> open;
    private transient RootCauseRanker ranker;

    public IncidentCorrelator(CorrelationConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext ctx) {
        MapStateDescriptor<String, IncidentState> d = new MapStateDescriptor<>("open-incidents", Types.STRING,
                TypeInformation.of(IncidentState.class));
        // Safety net for incidents whose alerts never resolve (lost resolutions): processing time.
        d.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofMillis(config.stateTtlMs()))
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired).build());
        open = getRuntimeContext().getMapState(d);
        ranker = new RootCauseRanker();
    }

    @Override
    public void processBroadcastElement(TopologyEdge e, Context ctx, Collector<Incident> out) throws Exception {
        if (e.active) ctx.getBroadcastState(GRAPH).put(e.documentId(), e);
        else ctx.getBroadcastState(GRAPH).remove(e.documentId());
    }

    /** Static edges plus the learned edges seen so far. */
    ServiceGraph graph(ReadOnlyBroadcastState<String, TopologyEdge> learned) throws Exception {
        ServiceGraph g = new ServiceGraph();
        for (String se : config.staticEdges()) {
            int bar = se.indexOf('|');
            g.addEdge(se.substring(0, bar), se.substring(bar + 1));
        }
        for (Map.Entry<String, TopologyEdge> e : learned.immutableEntries()) {
            g.addEdge(e.getValue().caller, e.getValue().callee);
        }
        return g;
    }

    @Override
    public void processElement(Alert alert, ReadOnlyContext ctx, Collector<Incident> out) throws Exception {
        if (alert.service == null) alert.service = "(none)";
        ServiceGraph graph = graph(ctx.getBroadcastState(GRAPH));
        String occurrence = alert.documentId();

        IncidentState target = null;
        List<IncidentState> joinable = new ArrayList<>();
        for (IncidentState s : open.values()) {
            if (s.members.stream().anyMatch(m -> m.documentId().equals(occurrence))) {
                target = s;
                break;
            }
            if (joins(s, alert, graph)) joinable.add(s);
        }
        if (target == null) {
            joinable.sort(Comparator.comparingLong((IncidentState s) -> s.incident.openedAt)
                    .thenComparing(s -> s.incident.incidentId));
            if (joinable.isEmpty()) {
                target = new IncidentState();
                target.incident = new Incident();
                // Partitioned: the same alert occurrence id can exist in two partitions (same service names in
                // two clusters), so the partition value is part of the incident id.
                String partition = config.partitionOf(alert);
                target.incident.incidentId = Incident.incidentId(
                        partition == null ? alert.alertId : partition + "/" + alert.alertId, alert.startsAt);
                target.incident.status = Incident.OPEN;
                target.incident.openedAt = alert.startsAt;
            } else {
                target = joinable.get(0);
                for (IncidentState other : joinable.subList(1, joinable.size())) {
                    target.members.addAll(other.members);
                    target.incident.openedAt = Math.min(target.incident.openedAt, other.incident.openedAt);
                    target.incident.updatedAt = Math.max(target.incident.updatedAt, other.incident.updatedAt);
                    Incident merged = other.incident;
                    merged.status = Incident.RESOLVED;
                    merged.mergedInto = target.incident.incidentId;
                    merged.updatedAt = Math.max(merged.updatedAt, eventTime(alert));
                    merged.resolvedAt = merged.updatedAt;
                    open.remove(merged.incidentId);
                    out.collect(merged);
                }
            }
        }
        target.members.removeIf(m -> m.documentId().equals(occurrence));
        Alert member = copy(alert);
        target.members.add(member);
        target.incident.updatedAt = Math.max(target.incident.updatedAt, eventTime(alert));
        recompute(target, graph);
        annotate(target, member, ctx);
        scheduleResolution(target, ctx);
        open.put(target.incident.incidentId, target);
        out.collect(target.incident.copy());
    }

    private boolean joins(IncidentState s, Alert a, ServiceGraph graph) {
        Incident i = s.incident;
        if (a.startsAt < i.openedAt - config.windowMs() || a.startsAt > i.lastAlertAt + config.windowMs()) {
            return false;
        }
        if (config.partitionLabel() != null && !s.members.isEmpty()
                && !config.partitionOf(s.members.get(0)).equals(config.partitionOf(a))) {
            return false; // another partition value that hashed to the same key
        }
        if (i.services.contains(a.service)) return true;
        return graph.contains(a.service)
                && graph.undirectedNeighbourhood(i.services, config.maxHops()).containsKey(a.service);
    }

    private static long eventTime(Alert a) {
        return Math.max(a.startsAt, Math.max(a.endsAt, a.windowEnd));
    }

    private void recompute(IncidentState s, ServiceGraph graph) {
        Incident i = s.incident;
        Set<String> services = new TreeSet<>();
        Set<String> ids = new TreeSet<>();
        Map<String, Integer> counts = new TreeMap<>();
        int firing = 0;
        long last = 0, first = Long.MAX_VALUE;
        for (Alert m : s.members) {
            services.add(m.service);
            ids.add(m.alertId);
            counts.merge(m.service, 1, Integer::sum);
            if (!Alert.RESOLVED.equals(m.status)) firing++;
            last = Math.max(last, m.startsAt);
            first = Math.min(first, m.startsAt);
        }
        i.services = new ArrayList<>(services);
        i.alertIds = new ArrayList<>(ids);
        i.alertCount = s.members.size();
        i.firingCount = firing;
        i.lastAlertAt = last;
        i.openedAt = Math.min(i.openedAt, first);

        // Rank on the neighbourhood of the incident: bounded work per alert however large the graph.
        Set<String> near = new HashSet<>(graph.undirectedNeighbourhood(services, config.maxHops()).keySet());
        ServiceGraph sub = new ServiceGraph();
        for (String svc : services) sub.addService(svc);
        for (String u : near) {
            for (String v : graph.callees(u)) if (near.contains(v)) sub.addEdge(u, v);
        }
        List<RankedCause> ranked = ranker.rank(sub, AlertEvidence.fromAlerts(s.members), null);
        i.rootCauses = new ArrayList<>();
        for (RankedCause c : ranked) {
            if (i.rootCauses.size() >= config.maxRootCauses() || !(c.score() > 0)) break;
            i.rootCauses.add(new Incident.Cause(c.service(), round(c.score()), c.explanation()));
        }
        i.topCause = i.rootCauses.isEmpty() ? null : i.rootCauses.get(0).service;
        i.blastRadius = new ArrayList<>();
        if (i.topCause != null) {
            graph.transitiveCallers(i.topCause).forEach((svc, hops) -> {
                Integer n = counts.get(svc);
                if (n != null) i.blastRadius.add(new Incident.Blast(svc, hops, n));
            });
        }
    }

    private static double round(double x) {
        return Math.round(x * 1e4) / 1e4;
    }

    private void annotate(IncidentState s, Alert incoming, ReadOnlyContext ctx) {
        String top = s.incident.topCause;
        for (Alert m : s.members) {
            String causedBy = config.suppressSymptoms() && top != null && !top.equals(m.service) ? top : null;
            boolean changed = !Objects.equals(m.incidentId, s.incident.incidentId)
                    || !Objects.equals(m.causedBy, causedBy);
            m.incidentId = s.incident.incidentId;
            m.causedBy = causedBy;
            if (changed || m == incoming) ctx.output(ANNOTATED, copy(m));
        }
    }

    private void scheduleResolution(IncidentState s, ReadOnlyContext ctx) {
        if (s.incident.firingCount > 0) {
            s.resolveAt = 0;
            return;
        }
        long lastEnd = 0;
        for (Alert m : s.members) lastEnd = Math.max(lastEnd, eventTime(m));
        s.resolveAt = lastEnd + config.quietPeriodMs();
        ctx.timerService().registerEventTimeTimer(s.resolveAt);
    }

    @Override
    public void onTimer(long ts, OnTimerContext ctx, Collector<Incident> out) throws Exception {
        List<IncidentState> done = new ArrayList<>();
        for (Iterator<IncidentState> it = open.values().iterator(); it.hasNext();) {
            IncidentState s = it.next();
            if (s.resolveAt > 0 && s.resolveAt <= ts && s.incident.firingCount == 0) done.add(s);
        }
        for (IncidentState s : done) {
            s.incident.status = Incident.RESOLVED;
            s.incident.resolvedAt = s.resolveAt;
            s.incident.updatedAt = Math.max(s.incident.updatedAt, s.resolveAt);
            open.remove(s.incident.incidentId);
            out.collect(s.incident);
        }
        if (open.isEmpty()) open.clear();
    }

    static Alert copy(Alert a) {
        return Alert.fromJson(a.toJson());
    }
}

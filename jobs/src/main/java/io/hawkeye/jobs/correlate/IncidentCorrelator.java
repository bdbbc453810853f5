package io.hawkeye.jobs.correlate;

import io.hawkeye.alerts.Alert;
import io.hawkeye.correlate.Incident;
import io.hawkeye.correlate.IncidentHead;
import io.hawkeye.correlate.IncidentState;
import io.hawkeye.correlate.Member;
import io.hawkeye.rca.AlertEvidence;
import io.hawkeye.rca.RankedCause;
import io.hawkeye.rca.RootCauseRanker;
import io.hawkeye.rca.ServiceGraph;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Groups alerts into incidents over the dependency graph (broadcast {@link TopologyEdge}s plus the static edges
 * of the configuration). One global instance (keyed by a constant) by default; with
 * {@link CorrelationConfig#partitionLabel()} one instance per label value (an alert joins only incidents of its
 * own value) — docs/correlation.md, "Scale".
 *
 * <p><b>Event-time alignment.</b> An alert is buffered (keyed state, at most {@code maxPending} per key) until the
 * operator's watermark — the minimum of the alert input's and the graph input's — passes its timestamp (at least
 * its {@code starts_at}) plus {@code alignDelayMs}: the graph edges learned from the spans up to then are in the
 * broadcast state first, whatever the relative speed of the two inputs. A <em>late</em> alert (its time already
 * behind the watermark when it arrives) is correlated at once against the current graph, which already holds
 * everything up to its time (metric {@code correlateLateAlerts}); alerts beyond the buffer bound likewise (metric
 * {@code correlateAlignmentOverflow}). Buffered alerts are released in event-time order.
 *
 * <p>Rules (event time = the alert's {@code starts_at}):
 * <ul>
 *   <li>an update of a member alert occurrence ({@code alert_id|starts_at}) updates its incident (found through
 *       the occurrence's {@link Member} entry);
 *   <li>a new alert joins each open incident that has a service on a call path with the alert's service within
 *       {@code maxHops} (a transitive caller or callee; not a sibling through a shared callee, unless that callee
 *       alerts too), or the service itself — so alerts on a service the graph does not know join only incidents
 *       of that same service; whose alerts started no earlier than {@code window} after it and whose latest alert
 *       started no more than {@code window} before it; and which is still open to new members: opened at most
 *       {@code maxAgeMs} before the alert started, fewer than {@code maxAlerts} member occurrences and fewer than
 *       {@code maxServices} services (or the service already in it);
 *   <li>no such incident: a new one, id = hash of the alert's {@code alert_id|starts_at}; several: they merge
 *       into the oldest (its id is kept) as long as the merged incident stays within the bounds, the others are
 *       emitted once more as resolved with {@code merged_into};
 *   <li>when all members have resolved, the incident resolves {@code quietPeriod} after the last {@code ends_at}
 *       (event-time timer) unless a new alert joins first; it is emitted and removed from state.
 * </ul>
 * The incoming alert is emitted at once on the side output {@link #ANNOTATED} with its {@code incident_id} and
 * the incident's current top cause as {@code caused_by}. Changes of an incident are published at most once per
 * tick (the end of each {@code graphIntervalMs} window of event time, an event-time timer): it is re-ranked, the
 * incident emitted (main output), and every member whose {@code incident_id}/{@code caused_by} changed re-emitted
 * on {@link #ANNOTATED}. Root causes come from {@link RootCauseRanker} over {@link AlertEvidence#fromAlerts} of
 * the members' peak scores and onsets ({@link Member#evidence()}) on the subgraph of the incident's services and
 * their callees within {@code maxHops}. Work per alert: a call-path neighbourhood of its service and an index lookup per
 * neighbour, independent of the incident sizes; per tick one ranking per changed incident.
 */
public class IncidentCorrelator extends KeyedBroadcastProcessFunction<Integer, Alert, TopologyEdge, Incident> {
    private static final long serialVersionUID = 1L;

    public static final MapStateDescriptor<String, TopologyEdge> GRAPH = new MapStateDescriptor<>(
            "correlate-graph", Types.STRING, TypeInformation.of(TopologyEdge.class));
    public static final OutputTag<Alert> ANNOTATED = new OutputTag<>("annotated-alerts",
            TypeInformation.of(Alert.class));

    /** Release order of buffered alerts with the same time: by start, firing before resolved, then by id. */
    static final Comparator<Alert> ORDER = Comparator.comparingLong((Alert a) -> a.startsAt)
            .thenComparing(a -> Alert.RESOLVED.equals(a.status))
            .thenComparing(a -> a.alertId, Comparator.nullsFirst(Comparator.naturalOrder()));

    private final CorrelationConfig config;
    private transient MapState<String, IncidentState> open;
    private transient MapState<String, IncidentHead> heads;
    private transient MapState<String, Member> members;
    private transient MapState<String, List<String>> byService;
    private transient MapState<Long, List<Alert>> pending;
    private transient ValueState<Integer> pendingCount;
    private transient MapState<Long, List<String>> due;
    private transient RootCauseRanker ranker;
    private transient ServiceGraph graph;
    private transient boolean graphStale;
    private transient long[] expiries;
    private transient int graphExcluded;
    private transient long lastPrune;
    private transient Counter lateAlerts;
    private transient Counter overflowAlerts;

    public IncidentCorrelator(CorrelationConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext ctx) {
        // Safety net for incidents whose alerts never resolve (lost resolutions): processing time. No incremental
        // cleanup: on the heap backend it visits a key's whole map on every access, and with one key (unpartitioned)
        // that is every member of every incident per alert; RocksDB drops expired entries in compaction.
        StateTtlConfig ttl = StateTtlConfig.newBuilder(Duration.ofMillis(config.stateTtlMs()))
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .disableCleanupInBackground().cleanupInRocksdbCompactFilter(1000).build();
        MapStateDescriptor<String, IncidentState> d = new MapStateDescriptor<>("open-incidents", Types.STRING,
                TypeInformation.of(IncidentState.class));
        d.enableTimeToLive(ttl);
        open = getRuntimeContext().getMapState(d);
        MapStateDescriptor<String, IncidentHead> hd = new MapStateDescriptor<>("incident-heads", Types.STRING,
                TypeInformation.of(IncidentHead.class));
        hd.enableTimeToLive(ttl);
        heads = getRuntimeContext().getMapState(hd);
        MapStateDescriptor<String, Member> m = new MapStateDescriptor<>("incident-members", Types.STRING,
                TypeInformation.of(Member.class));
        m.enableTimeToLive(ttl);
        members = getRuntimeContext().getMapState(m);
        MapStateDescriptor<String, List<String>> s = new MapStateDescriptor<>("incidents-by-service", Types.STRING,
                Types.LIST(Types.STRING));
        s.enableTimeToLive(ttl);
        byService = getRuntimeContext().getMapState(s);
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending-alerts", Types.LONG,
                Types.LIST(TypeInformation.of(Alert.class))));
        pendingCount = getRuntimeContext().getState(new ValueStateDescriptor<>("pending-count", Types.INT));
        due = getRuntimeContext().getMapState(new MapStateDescriptor<>("incident-timers", Types.LONG,
                Types.LIST(Types.STRING)));
        ranker = new RootCauseRanker();
        graphStale = true;
        lateAlerts = getRuntimeContext().getMetricGroup().counter("correlateLateAlerts");
        overflowAlerts = getRuntimeContext().getMetricGroup().counter("correlateAlignmentOverflow");
    }

    @Override
    public void processBroadcastElement(TopologyEdge e, Context ctx, Collector<Incident> out) throws Exception {
        BroadcastState<String, TopologyEdge> state = ctx.getBroadcastState(GRAPH);
        String id = e.documentId();
        TopologyEdge prev = state.get(id);
        if (e.active) {
            if (prev == null || !prev.active) graphStale = true;
            state.put(id, e);
        } else if (prev != null && prev.active) {
            // Kept, marked expired at its event time: alerts of earlier times still see it (at the end of a
            // bounded input every learned edge expires before the last alerts are released).
            if (e.updatedAt <= 0) e.updatedAt = ctx.timestamp() == null ? 0 : ctx.timestamp() + 1;
            state.put(id, e);
            graphStale = true;
        }
        // Forget expired edges no alert can need any more (checked once per window of watermark progress).
        long wm = ctx.currentWatermark();
        long horizon = wm - config.windowMs() - config.maxAgeMs();
        if (wm > Long.MIN_VALUE / 2 && wm < Long.MAX_VALUE / 2 && wm - lastPrune >= config.graphIntervalMs()) {
            lastPrune = wm;
            List<String> gone = new ArrayList<>();
            for (Map.Entry<String, TopologyEdge> en : state.entries()) {
                if (!en.getValue().active && en.getValue().updatedAt < horizon) gone.add(en.getKey());
            }
            for (String k : gone) state.remove(k);
        }
    }

    /**
     * The graph as of event time {@code t}: static edges, active learned edges, and learned edges that expired
     * after {@code t}. Cached; rebuilt when the set of edges changed or {@code t} crosses an expiry.
     */
    ServiceGraph graph(ReadOnlyBroadcastState<String, TopologyEdge> learned, long t) throws Exception {
        if (graphStale || expiries == null) {
            List<Long> ex = new ArrayList<>();
            for (Map.Entry<String, TopologyEdge> e : learned.immutableEntries()) {
                if (!e.getValue().active) ex.add(e.getValue().updatedAt);
            }
            expiries = ex.stream().mapToLong(Long::longValue).sorted().toArray();
            graph = null;
            graphStale = false;
        }
        int excluded = upperBound(expiries, t);   // expired at or before t
        if (graph != null && excluded == graphExcluded) return graph;
        ServiceGraph g = new ServiceGraph();
        for (String se : config.staticEdges()) {
            int bar = se.indexOf('|');
            g.addEdge(se.substring(0, bar), se.substring(bar + 1));
        }
        for (Map.Entry<String, TopologyEdge> e : learned.immutableEntries()) {
            TopologyEdge edge = e.getValue();
            if (edge.active || edge.updatedAt > t) g.addEdge(edge.caller, edge.callee);
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

    /** When a buffered alert is released: its timestamp (at least its start) plus the alignment delay. */
    long releaseTime(Alert a, Long timestamp) {
        long t = timestamp == null ? eventTime(a) : timestamp;
        return Math.max(t, a.startsAt) + config.alignDelayMs();
    }

    @Override
    public void processElement(Alert alert, ReadOnlyContext ctx, Collector<Incident> out) throws Exception {
        if (alert.service == null) alert.service = "(none)";
        long release = releaseTime(alert, ctx.timestamp());
        if (release <= ctx.timerService().currentWatermark()) {
            lateAlerts.inc();
            correlate(alert, ctx, out);
            return;
        }
        Integer n = pendingCount.value();
        int count = n == null ? 0 : n;
        if (count >= config.maxPending()) {
            overflowAlerts.inc();
            correlate(alert, ctx, out);
            return;
        }
        List<Alert> at = pending.get(release);
        if (at == null) at = new ArrayList<>();
        at.add(alert);
        pending.put(release, at);
        pendingCount.update(count + 1);
        ctx.timerService().registerEventTimeTimer(release);
    }

    @Override
    public void onTimer(long ts, OnTimerContext ctx, Collector<Incident> out) throws Exception {
        List<Alert> batch = pending.get(ts);
        if (batch != null) {
            pending.remove(ts);
            Integer n = pendingCount.value();
            int left = (n == null ? 0 : n) - batch.size();
            if (left > 0) pendingCount.update(left);
            else pendingCount.clear();
            batch.sort(ORDER);
            for (Alert a : batch) correlate(a, ctx, out);
        }
        List<String> ids = due.get(ts);
        if (ids == null) return;
        due.remove(ts);
        for (String id : ids) {
            IncidentState s = open.get(id);
            if (s == null) continue;   // merged or resolved meanwhile
            if (s.resolveAt == ts && s.incident.firingCount == 0) resolve(s, ctx, out);
            else if (s.flushAt == ts) flush(s, ctx, out);
        }
    }

    /** Correlates one alert record (released, late or overflowing). */
    protected void correlate(Alert alert, ReadOnlyContext ctx, Collector<Incident> out) throws Exception {
        ServiceGraph g = graph(ctx.getBroadcastState(GRAPH), alert.startsAt);
        String occurrence = alert.documentId();
        Member m = members.get(occurrence);
        IncidentState target = m == null ? null : open.get(m.incidentId);
        if (target == null) {
            m = new Member();
            target = join(alert, g, ctx, out);
            target.occurrences.add(occurrence);
            target.rerank = true;
        }
        Incident i = target.incident;
        boolean wasFiring = m.alert != null && !Alert.RESOLVED.equals(m.alert.status);
        boolean firing = !Alert.RESOLVED.equals(alert.status);
        i.firingCount += (firing ? 1 : 0) - (wasFiring ? 1 : 0);
        i.alertCount = target.occurrences.size();
        if (insertSorted(i.services, alert.service)) index(alert.service, i.incidentId);
        insertSorted(i.alertIds, alert.alertId);
        i.openedAt = Math.min(i.openedAt, alert.startsAt);
        i.lastAlertAt = Math.max(i.lastAlertAt, alert.startsAt);
        i.updatedAt = Math.max(i.updatedAt, eventTime(alert));

        m.incidentId = i.incidentId;
        double peak = m.peakScore;
        m.update(alert);
        if (Double.compare(peak, m.peakScore) != 0) target.rerank = true;
        alert.incidentId = i.incidentId;
        alert.causedBy = causedBy(i.topCause, alert.service);
        members.put(occurrence, m);
        ctx.output(ANNOTATED, alert);

        // Released and late alerts: the watermark is past their time; overflowing ones: at least their start.
        long now = Math.max(ctx.timerService().currentWatermark(), alert.startsAt);
        scheduleFlush(target, now, ctx);
        scheduleResolution(target, ctx);
        save(target);
    }

    /** The incident a new alert occurrence goes to: joined, merged or new (without the alert yet). */
    private IncidentState join(Alert a, ServiceGraph g, ReadOnlyContext ctx, Collector<Incident> out)
            throws Exception {
        Set<String> near = g.contains(a.service)
                ? g.callPathNeighbourhood(List.of(a.service), config.maxHops()).keySet() : Set.of(a.service);
        Set<String> ids = new TreeSet<>();
        for (String svc : near) {
            List<String> l = byService.get(svc);
            if (l != null) ids.addAll(l);
        }
        List<String> same = byService.get(a.service);   // incidents that have the alert's service already
        List<IncidentState> joinable = new ArrayList<>();
        for (String id : ids) {
            IncidentHead h = heads.get(id);
            if (h == null || !joins(h, a, same != null && same.contains(id))) continue;
            IncidentState s = open.get(id);
            if (s != null) joinable.add(s);
        }
        String partition = config.partitionOf(a);
        if (joinable.isEmpty()) {
            IncidentState s = new IncidentState();
            s.partition = partition;
            s.incident = new Incident();
            // Partitioned: the same alert occurrence id can exist in two partitions (same service names in two
            // clusters), so the partition value is part of the incident id.
            s.incident.incidentId = Incident.incidentId(
                    partition == null ? a.alertId : partition + "/" + a.alertId, a.startsAt);
            s.incident.status = Incident.OPEN;
            s.incident.openedAt = a.startsAt;
            return s;
        }
        joinable.sort(Comparator.comparingLong((IncidentState s) -> s.incident.openedAt)
                .thenComparing(s -> s.incident.incidentId));
        IncidentState target = joinable.get(0);
        for (IncidentState other : joinable.subList(1, joinable.size())) {
            Set<String> services = new TreeSet<>(target.incident.services);
            services.addAll(other.incident.services);
            if (services.size() > config.maxServices()
                    || target.occurrences.size() + other.occurrences.size() >= config.maxAlerts()) {
                continue;   // would exceed the bounds: stays a separate incident
            }
            merge(target, other, a, out);
        }
        return target;
    }

    private void merge(IncidentState target, IncidentState other, Alert linking, Collector<Incident> out)
            throws Exception {
        Incident t = target.incident;
        for (String occ : other.occurrences) {
            Member m = members.get(occ);
            if (m != null) {
                m.incidentId = t.incidentId;
                members.put(occ, m);
            }
            target.occurrences.add(occ);
        }
        for (String svc : other.incident.services) {
            unindex(svc, other.incident.incidentId);
            if (insertSorted(t.services, svc)) index(svc, t.incidentId);
        }
        for (String id : other.incident.alertIds) insertSorted(t.alertIds, id);
        t.firingCount += other.incident.firingCount;
        t.alertCount = target.occurrences.size();
        t.openedAt = Math.min(t.openedAt, other.incident.openedAt);
        t.updatedAt = Math.max(t.updatedAt, other.incident.updatedAt);
        t.lastAlertAt = Math.max(t.lastAlertAt, other.incident.lastAlertAt);
        target.rerank = true;
        Incident merged = other.incident;
        merged.status = Incident.RESOLVED;
        merged.mergedInto = t.incidentId;
        merged.updatedAt = Math.max(merged.updatedAt, eventTime(linking));
        merged.resolvedAt = merged.updatedAt;
        drop(merged.incidentId);
        out.collect(merged);
    }

    private boolean joins(IncidentHead i, Alert a, boolean known) {
        if (a.startsAt < i.openedAt - config.windowMs() || a.startsAt > i.lastAlertAt + config.windowMs()) {
            return false;
        }
        if (a.startsAt > i.openedAt + config.maxAgeMs()) return false;          // closed to new members: age
        if (i.alerts >= config.maxAlerts()) return false;                      // ... size
        if (!known && i.services >= config.maxServices()) return false;
        // Another partition value that hashed to the same key.
        return config.partitionLabel() == null || Objects.equals(i.partition, config.partitionOf(a));
    }

    private void save(IncidentState s) throws Exception {
        open.put(s.incident.incidentId, s);
        heads.put(s.incident.incidentId, IncidentHead.of(s));
    }

    private void drop(String incidentId) throws Exception {
        open.remove(incidentId);
        heads.remove(incidentId);
    }

    private static long eventTime(Alert a) {
        return Math.max(a.startsAt, Math.max(a.endsAt, a.windowEnd));
    }

    /** Adds {@code v} to the sorted list unless present; true when added. */
    private static boolean insertSorted(List<String> sorted, String v) {
        int at = Collections.binarySearch(sorted, v);
        if (at >= 0) return false;
        sorted.add(-at - 1, v);
        return true;
    }

    private void index(String service, String incidentId) throws Exception {
        List<String> l = byService.get(service);
        if (l == null) l = new ArrayList<>();
        if (!l.contains(incidentId)) {
            l.add(incidentId);
            byService.put(service, l);
        }
    }

    private void unindex(String service, String incidentId) throws Exception {
        List<String> l = byService.get(service);
        if (l == null || !l.remove(incidentId)) return;
        if (l.isEmpty()) byService.remove(service);
        else byService.put(service, l);
    }

    private String causedBy(String top, String service) {
        return config.suppressSymptoms() && top != null && !top.equals(service) ? top : null;
    }

    /** Publishes the incident's changes at the end of the current tick (once, however many alerts changed it). */
    private void scheduleFlush(IncidentState s, long now, ReadOnlyContext ctx) throws Exception {
        if (s.flushAt != 0) return;
        long tick = config.graphIntervalMs();
        s.flushAt = now >= Long.MAX_VALUE - tick ? now : Math.floorDiv(now, tick) * tick + tick - 1;
        ctx.timerService().registerEventTimeTimer(s.flushAt);
        addDue(s.flushAt, s.incident.incidentId);
    }

    private void scheduleResolution(IncidentState s, ReadOnlyContext ctx) throws Exception {
        if (s.incident.firingCount > 0) {
            s.resolveAt = 0;
            return;
        }
        long lastEnd = 0;
        for (String occ : s.occurrences) {
            Member m = members.get(occ);
            if (m != null) lastEnd = Math.max(lastEnd, eventTime(m.alert));
        }
        long at = lastEnd + config.quietPeriodMs();
        if (at == s.resolveAt) return;
        s.resolveAt = at;
        ctx.timerService().registerEventTimeTimer(at);
        addDue(at, s.incident.incidentId);
    }

    private void addDue(long ts, String incidentId) throws Exception {
        List<String> l = due.get(ts);
        if (l == null) l = new ArrayList<>();
        if (l.contains(incidentId)) return;
        l.add(incidentId);
        due.put(ts, l);
    }

    private List<Member> loadMembers(IncidentState s) throws Exception {
        List<Member> out = new ArrayList<>(s.occurrences.size());
        for (String occ : s.occurrences) {
            Member m = members.get(occ);
            if (m != null) out.add(m);
        }
        return out;
    }

    /** Re-ranks the incident, emits it and the members whose annotation changed. */
    private void flush(IncidentState s, ReadOnlyContext ctx, Collector<Incident> out) throws Exception {
        s.flushAt = 0;
        publish(s, ctx, out);
        save(s);
    }

    private void publish(IncidentState s, ReadOnlyContext ctx, Collector<Incident> out) throws Exception {
        List<Member> ms = loadMembers(s);
        recompute(s, ms, graph(ctx.getBroadcastState(GRAPH), s.incident.lastAlertAt));
        Incident i = s.incident;
        for (Member m : ms) {
            String causedBy = causedBy(i.topCause, m.alert.service);
            if (Objects.equals(m.alert.incidentId, i.incidentId) && Objects.equals(m.alert.causedBy, causedBy)) {
                continue;
            }
            m.alert.incidentId = i.incidentId;
            m.alert.causedBy = causedBy;
            members.put(m.alert.documentId(), m);
            ctx.output(ANNOTATED, m.alert);
        }
        out.collect(i.copy());
    }

    private void resolve(IncidentState s, ReadOnlyContext ctx, Collector<Incident> out) throws Exception {
        Incident i = s.incident;
        i.status = Incident.RESOLVED;
        i.resolvedAt = s.resolveAt;
        i.updatedAt = Math.max(i.updatedAt, s.resolveAt);
        publish(s, ctx, out);   // re-ranked only if its inputs changed since the last publication
        for (String occ : s.occurrences) members.remove(occ);
        for (String svc : i.services) unindex(svc, i.incidentId);
        drop(i.incidentId);
    }

    /**
     * Whether {@code a} was active at the same time as some alert on another service, or no other service alerts
     * (a lone service is its own evidence). Alerts still firing have no end yet.
     */
    static boolean overlapsOtherService(Alert a, List<Member> ms) {
        boolean others = false;
        for (Member mb : ms) {
            Alert o = mb.alert;
            if (o.service.equals(a.service)) continue;
            others = true;
            if (a.startsAt <= end(o) && o.startsAt <= end(a)) return true;
        }
        return !others;
    }

    private static long end(Alert a) {
        return Alert.RESOLVED.equals(a.status) && a.endsAt > 0 ? a.endsAt : Long.MAX_VALUE;
    }

    /** Aggregates from the members (correcting the incremental counts) and the ranking. */
    private void recompute(IncidentState s, List<Member> ms, ServiceGraph graph) {
        Incident i = s.incident;
        Set<String> services = new TreeSet<>();
        Set<String> ids = new TreeSet<>();
        Map<String, Integer> counts = new TreeMap<>();
        List<Alert> evidence = new ArrayList<>(ms.size());
        int firing = 0;
        long last = 0, first = Long.MAX_VALUE;
        for (Member mb : ms) {
            Alert m = mb.alert;
            services.add(m.service);
            ids.add(m.alertId);
            counts.merge(m.service, 1, Integer::sum);
            if (!Alert.RESOLVED.equals(m.status)) firing++;
            last = Math.max(last, m.startsAt);
            first = Math.min(first, m.startsAt);
        }
        // A cause is anomalous while its symptoms are: an alert that shares no time with any alert on another
        // service cannot explain them (e.g. a blip that opened the incident and resolved just before an unrelated
        // fault began). It stays a member but is not evidence for the ranking.
        for (Member mb : ms) {
            if (!overlapsOtherService(mb.alert, ms)) continue;
            evidence.add(mb.evidence());
        }
        i.services = new ArrayList<>(services);
        i.alertIds = new ArrayList<>(ids);
        i.alertCount = ms.size();
        i.firingCount = firing;
        i.lastAlertAt = last;
        i.openedAt = Math.min(i.openedAt, first);

        // The ranking's inputs (members' services, peak scores, onsets) are unchanged — e.g. only resolutions
        // arrived: keep the ranking. A resolved incident keeps the ranking of its last change (the learned
        // graph may have lost its edges since: at the end of a bounded input every learned edge expires).
        if (!s.rerank && i.topCause != null) {
            updateBlastCounts(i, counts);
            return;
        }
        s.rerank = false;
        // Rank on the incident's services and their callees within max-hops (a cause is downstream of its
        // symptoms; a callee without alerts can be it): bounded work however large the graph. Not the undirected
        // neighbourhood: through a shared datastore that is most of a large fleet.
        Set<String> near = graph.calleesWithin(services, config.maxHops()).keySet();
        ServiceGraph sub = new ServiceGraph();
        for (String svc : services) sub.addService(svc);
        for (String u : near) {
            for (String v : graph.callees(u)) if (near.contains(v)) sub.addEdge(u, v);
        }
        List<RankedCause> ranked = ranker.rank(sub, AlertEvidence.fromAlerts(evidence), null);
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

    private static void updateBlastCounts(Incident i, Map<String, Integer> counts) {
        for (Incident.Blast b : i.blastRadius) b.alertCount = counts.getOrDefault(b.service, b.alertCount);
    }

    private static double round(double x) {
        return Math.round(x * 1e4) / 1e4;
    }

    /** Open incidents, member alert occurrences and buffered alerts of the current key (for benchmarks). */
    public long[] stateCounts() throws Exception {
        long o = 0, m = 0, p = 0;
        for (IncidentState s : open.values()) {
            o++;
            m += s.occurrences.size();
        }
        Integer n = pendingCount.value();
        if (n != null) p = n;
        return new long[] {o, m, p};
    }
}

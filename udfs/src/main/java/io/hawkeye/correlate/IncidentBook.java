package io.hawkeye.correlate;

import io.hawkeye.alerts.Alert;
import io.hawkeye.rca.AlertEvidence;
import io.hawkeye.rca.RankedCause;
import io.hawkeye.rca.RootCauseRanker;
import io.hawkeye.rca.ServiceGraph;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The incident rules: which open incident an alert joins, when incidents merge, membership, root-cause ranking,
 * blast radius, {@code caused_by} annotations and resolution after the quiet period. Pure Java over an
 * {@link IncidentStore}, so the same rules run in the Flink operator (keyed map state; event-time timers call
 * {@link #due}) and offline or in tests (hash maps, a loop over time).
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
 *       {@code maxServices} services (or the service already in it); when partitioned, of the alert's partition
 *       value only;
 *   <li>no such incident: a new one, id = hash of the alert's {@code alert_id|starts_at} (with the partition value
 *       when partitioned); several: they merge into the oldest (its id is kept) as long as the merged incident
 *       stays within the bounds, the others are published once more as resolved with {@code merged_into};
 *   <li>when all members have resolved, the incident resolves {@code quietPeriod} after the last {@code ends_at}
 *       unless a new alert joins first; it is published and removed from the store.
 * </ul>
 * The correlated alert is returned at once annotated with its {@code incident_id} and the incident's current top
 * cause as {@code caused_by}. Changes of an incident are published at most once per tick (the end of each
 * {@code tickMs} window of event time): {@link Correlation#flushAt} asks for a call of {@link #due} then, which
 * re-ranks the incident and returns it with every member whose {@code incident_id}/{@code caused_by} changed.
 * Root causes come from {@link RootCauseRanker} over {@link AlertEvidence#fromAlerts} of the members' peak scores
 * and onsets ({@link Member#evidence()}) on the subgraph of the incident's services and their callees within
 * {@code maxHops}. Work per alert: a call-path neighbourhood of its service and a store lookup per neighbour,
 * independent of the incident sizes; per tick one ranking per changed incident. Not thread-safe.
 */
public final class IncidentBook {
    /** The dependency graph as of an event time (e.g. {@link GraphHistory#at}). */
    @FunctionalInterface
    public interface Graph {
        ServiceGraph at(long eventTime);
    }

    /** What a correlated alert record did to its incident. */
    public enum Outcome {
        /** An update of a member occurrence. */
        UPDATED,
        /** A new occurrence joined an open incident (possibly merging others into it). */
        JOINED,
        /** A new occurrence opened an incident. */
        OPENED
    }

    /**
     * The decisions for one alert record.
     *
     * @param outcome    joined, opened or updated
     * @param incidentId the incident of the alert
     * @param annotated  the alert record with its {@code incident_id} and {@code caused_by}
     * @param merged     incidents merged into {@code incidentId}, resolved with {@code merged_into}: to publish
     *                   (before the annotated alert) — they are gone from the store
     * @param flushAt    a new event time at which {@link #due} must be called for {@code incidentId} (publication
     *                   of the changes); 0 when one is pending already
     * @param resolveAt  a new event time at which {@link #due} must be called for {@code incidentId} (resolution,
     *                   unless an alert fires again by then); 0 when none or unchanged
     */
    public record Correlation(Outcome outcome, String incidentId, Alert annotated, List<Incident> merged,
            long flushAt, long resolveAt) {}

    /**
     * A publication of an incident.
     *
     * @param annotated member alerts whose {@code incident_id} or {@code caused_by} changed, re-annotated (to
     *                  publish before the incident)
     * @param incident  the incident (a copy)
     * @param resolved  the incident resolved and is gone from the store
     */
    public record Publication(List<Alert> annotated, Incident incident, boolean resolved) {}

    private final IncidentRules rules;
    private final IncidentStore store;
    private final RootCauseRanker ranker = new RootCauseRanker();

    public IncidentBook(IncidentRules rules, IncidentStore store) {
        this.rules = rules;
        this.store = store;
    }

    public IncidentRules rules() {
        return rules;
    }

    /**
     * Correlates one alert record at event time {@code now} (at least its start: the time up to which the caller
     * has seen the inputs), against the graph as of the alert's start. {@code alert.service} must not be null.
     */
    public Correlation correlate(Alert alert, long now, Graph graphs) {
        String occurrence = alert.documentId();
        Member m = store.members().get(occurrence);
        IncidentState target = m == null ? null : store.open().get(m.incidentId);
        Outcome outcome = Outcome.UPDATED;
        List<Incident> merged = new ArrayList<>(0);
        if (target == null) {
            m = new Member();
            target = join(alert, graphs.at(alert.startsAt), merged);
            outcome = target.occurrences.isEmpty() ? Outcome.OPENED : Outcome.JOINED;
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
        store.members().put(occurrence, m);

        long flushAt = scheduleFlush(target, Math.max(now, alert.startsAt));
        long resolveAt = scheduleResolution(target);
        save(target);
        return new Correlation(outcome, i.incidentId, alert, merged, flushAt, resolveAt);
    }

    /**
     * Event time {@code time} has come for incident {@code incidentId} (a {@link Correlation#flushAt} or
     * {@link Correlation#resolveAt} asked for): it resolves if that is its resolution time and no member fires,
     * else its pending changes are published if that is its publication time. Empty when the incident is gone
     * (merged or resolved meanwhile) or the time is no longer one of its own.
     */
    public Optional<Publication> due(String incidentId, long time, Graph graphs) {
        IncidentState s = store.open().get(incidentId);
        if (s == null) return Optional.empty();
        if (s.resolveAt == time && s.incident.firingCount == 0) return Optional.of(resolve(s, graphs));
        if (s.flushAt == time) {
            s.flushAt = 0;
            Publication p = publish(s, graphs, false);
            save(s);
            return Optional.of(p);
        }
        return Optional.empty();
    }

    /** The incident a new alert occurrence goes to: joined, merged or new (without the alert yet). */
    private IncidentState join(Alert a, ServiceGraph g, List<Incident> merged) {
        Set<String> near = g.contains(a.service)
                ? g.callPathNeighbourhood(List.of(a.service), rules.maxHops()).keySet() : Set.of(a.service);
        Set<String> ids = new TreeSet<>();
        for (String svc : near) {
            List<String> l = store.byService().get(svc);
            if (l != null) ids.addAll(l);
        }
        List<String> same = store.byService().get(a.service);   // incidents that have the alert's service already
        List<IncidentState> joinable = new ArrayList<>();
        for (String id : ids) {
            IncidentHead h = store.heads().get(id);
            if (h == null || !joins(h, a, same != null && same.contains(id))) continue;
            IncidentState s = store.open().get(id);
            if (s != null) joinable.add(s);
        }
        String partition = rules.partitionOf(a);
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
            if (services.size() > rules.maxServices()
                    || target.occurrences.size() + other.occurrences.size() >= rules.maxAlerts()) {
                continue;   // would exceed the bounds: stays a separate incident
            }
            merged.add(merge(target, other, a));
        }
        return target;
    }

    /** Merges {@code other} into {@code target}; returns {@code other}, resolved and removed from the store. */
    private Incident merge(IncidentState target, IncidentState other, Alert linking) {
        Incident t = target.incident;
        for (String occ : other.occurrences) {
            Member m = store.members().get(occ);
            if (m != null) {
                m.incidentId = t.incidentId;
                store.members().put(occ, m);
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
        return merged;
    }

    private boolean joins(IncidentHead i, Alert a, boolean known) {
        if (a.startsAt < i.openedAt - rules.windowMs() || a.startsAt > i.lastAlertAt + rules.windowMs()) {
            return false;
        }
        if (a.startsAt > i.openedAt + rules.maxAgeMs()) return false;          // closed to new members: age
        if (i.alerts >= rules.maxAlerts()) return false;                      // ... size
        if (!known && i.services >= rules.maxServices()) return false;
        // Another partition value that hashed to the same key.
        return rules.partitionLabel() == null || Objects.equals(i.partition, rules.partitionOf(a));
    }

    private void save(IncidentState s) {
        store.open().put(s.incident.incidentId, s);
        store.heads().put(s.incident.incidentId, IncidentHead.of(s));
    }

    private void drop(String incidentId) {
        store.open().remove(incidentId);
        store.heads().remove(incidentId);
    }

    /** The event time of an alert record: the latest of its start, end and window end. */
    static long eventTime(Alert a) {
        return Math.max(a.startsAt, Math.max(a.endsAt, a.windowEnd));
    }

    /** Adds {@code v} to the sorted list unless present; true when added. */
    private static boolean insertSorted(List<String> sorted, String v) {
        int at = Collections.binarySearch(sorted, v);
        if (at >= 0) return false;
        sorted.add(-at - 1, v);
        return true;
    }

    private void index(String service, String incidentId) {
        List<String> l = store.byService().get(service);
        if (l == null) l = new ArrayList<>();
        if (!l.contains(incidentId)) {
            l.add(incidentId);
            store.byService().put(service, l);
        }
    }

    private void unindex(String service, String incidentId) {
        List<String> l = store.byService().get(service);
        if (l == null || !l.remove(incidentId)) return;
        if (l.isEmpty()) store.byService().remove(service);
        else store.byService().put(service, l);
    }

    private String causedBy(String top, String service) {
        return rules.suppressSymptoms() && top != null && !top.equals(service) ? top : null;
    }

    /** The incident's changes are published at the end of the current tick (once, however many alerts changed
     * it): that time if newly set, else 0. */
    private long scheduleFlush(IncidentState s, long now) {
        if (s.flushAt != 0) return 0;
        long tick = rules.tickMs();
        s.flushAt = now >= Long.MAX_VALUE - tick ? now : Math.floorDiv(now, tick) * tick + tick - 1;
        return s.flushAt;
    }

    /** The resolution time if newly set, else 0 (some member fires, or unchanged). */
    private long scheduleResolution(IncidentState s) {
        if (s.incident.firingCount > 0) {
            s.resolveAt = 0;
            return 0;
        }
        long lastEnd = 0;
        for (String occ : s.occurrences) {
            Member m = store.members().get(occ);
            if (m != null) lastEnd = Math.max(lastEnd, eventTime(m.alert));
        }
        long at = lastEnd + rules.quietPeriodMs();
        if (at == s.resolveAt) return 0;
        s.resolveAt = at;
        return at;
    }

    private List<Member> loadMembers(IncidentState s) {
        List<Member> out = new ArrayList<>(s.occurrences.size());
        for (String occ : s.occurrences) {
            Member m = store.members().get(occ);
            if (m != null) out.add(m);
        }
        return out;
    }

    /** Re-ranks the incident; the members whose annotation changed, re-annotated, and a copy of the incident. */
    private Publication publish(IncidentState s, Graph graphs, boolean resolved) {
        List<Member> ms = loadMembers(s);
        recompute(s, ms, graphs.at(s.incident.lastAlertAt));
        Incident i = s.incident;
        List<Alert> annotated = new ArrayList<>();
        for (Member m : ms) {
            String causedBy = causedBy(i.topCause, m.alert.service);
            if (Objects.equals(m.alert.incidentId, i.incidentId) && Objects.equals(m.alert.causedBy, causedBy)) {
                continue;
            }
            m.alert.incidentId = i.incidentId;
            m.alert.causedBy = causedBy;
            store.members().put(m.alert.documentId(), m);
            annotated.add(m.alert);
        }
        return new Publication(annotated, i.copy(), resolved);
    }

    private Publication resolve(IncidentState s, Graph graphs) {
        Incident i = s.incident;
        i.status = Incident.RESOLVED;
        i.resolvedAt = s.resolveAt;
        i.updatedAt = Math.max(i.updatedAt, s.resolveAt);
        Publication p = publish(s, graphs, true);   // re-ranked only if its inputs changed since the last publication
        for (String occ : s.occurrences) store.members().remove(occ);
        for (String svc : i.services) unindex(svc, i.incidentId);
        drop(i.incidentId);
        return p;
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
        Set<String> near = graph.calleesWithin(services, rules.maxHops()).keySet();
        ServiceGraph sub = new ServiceGraph();
        for (String svc : services) sub.addService(svc);
        for (String u : near) {
            for (String v : graph.callees(u)) if (near.contains(v)) sub.addEdge(u, v);
        }
        List<RankedCause> ranked = ranker.rank(sub, AlertEvidence.fromAlerts(evidence, graph), null);
        i.rootCauses = new ArrayList<>();
        for (RankedCause c : ranked) {
            if (i.rootCauses.size() >= rules.maxRootCauses() || !(c.score() > 0)) break;
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
}

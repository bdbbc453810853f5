package io.hawkeye.correlate;

import static io.hawkeye.correlate.IncidentTestData.EDGES;
import static io.hawkeye.correlate.IncidentTestData.MIN;
import static io.hawkeye.correlate.IncidentTestData.T0;
import static io.hawkeye.correlate.IncidentTestData.alert;
import static io.hawkeye.correlate.IncidentTestData.assertDatabaseFaultIncident;
import static io.hawkeye.correlate.IncidentTestData.assertMergedIntoOlder;
import static io.hawkeye.correlate.IncidentTestData.resolved;
import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.alerts.Alert;
import io.hawkeye.rca.ServiceGraph;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The incident rules without Flink: join within k hops and the time window, separate incidents, merge, unknown
 * services, root cause and symptom annotation, peak scores, evidence, bounds. {@link Run} drives the book as the
 * job's operator does (alerts at their emission time, a watermark, the book's wake-up times in order).
 */
class IncidentBookTest {
    /** The job's defaults: window 10 min, 2 hops, max age 20 min, quiet period 5 min, 1-min ticks. */
    static IncidentRules defaults() {
        return new IncidentRules(10 * MIN, 2, 20 * MIN, 100, 1000, 5 * MIN, MIN, true, 5, null);
    }

    static ServiceGraph graph() {
        ServiceGraph g = new ServiceGraph();
        for (String[] e : EDGES) g.addEdge(e[0], e[1]);
        return g;
    }

    /**
     * An {@link IncidentBook} on hash maps driven like the operator: an alert is correlated once the watermark
     * passes its emission time (at once when it is already behind it: late), and each time the book asked for
     * ({@link IncidentBook.Correlation#flushAt}, {@code resolveAt}) is handed back to {@link IncidentBook#due} when
     * the watermark reaches it — in time order, buffered alerts of a time first.
     */
    static final class Run {
        final IncidentBook book;
        final IncidentBook.Graph graph;
        final List<Incident> incidents = new ArrayList<>();
        final List<Alert> annotatedAlerts = new ArrayList<>();
        final TreeMap<Long, List<Alert>> pending = new TreeMap<>();
        final TreeMap<Long, List<String>> due = new TreeMap<>();
        long watermark = Long.MIN_VALUE;

        Run(IncidentRules rules) {
            book = new IncidentBook(rules, IncidentStore.inMemory());
            ServiceGraph g = graph();
            graph = t -> g;
        }

        Run() {
            this(defaults());
        }

        /** The alert at its emission time, then the watermark to it (never back). */
        void feed(Alert a) {
            long ts = Math.max(a.windowEnd, a.endsAt) - 1;
            long release = Math.max(ts, a.startsAt);
            if (release <= watermark) correlate(a);
            else pending.computeIfAbsent(release, k -> new ArrayList<>()).add(a);
            advance(ts);
        }

        void advance(long t) {
            if (t <= watermark) return;
            watermark = t;
            while (true) {
                Long p = pending.isEmpty() ? null : pending.firstKey();
                Long d = due.isEmpty() ? null : due.firstKey();
                long next = Math.min(p == null ? Long.MAX_VALUE : p, d == null ? Long.MAX_VALUE : d);
                if (p == null && d == null || next > t) return;
                List<Alert> batch = pending.remove(next);
                if (batch != null) {
                    batch.sort(Comparator.comparingLong((Alert a) -> a.startsAt)
                            .thenComparing(a -> Alert.RESOLVED.equals(a.status)).thenComparing(a -> a.alertId));
                    for (Alert a : batch) correlate(a);
                }
                List<String> ids = due.remove(next);
                if (ids == null) continue;
                for (String id : ids) {
                    book.due(id, next, graph).ifPresent(p2 -> {
                        annotatedAlerts.addAll(p2.annotated());
                        incidents.add(p2.incident());
                    });
                }
            }
        }

        IncidentBook.Correlation correlate(Alert a) {
            IncidentBook.Correlation c = book.correlate(a, watermark, graph);
            incidents.addAll(c.merged());
            annotatedAlerts.add(c.annotated());
            if (c.flushAt() != 0) wakeUp(c.flushAt(), c.incidentId());
            if (c.resolveAt() != 0) wakeUp(c.resolveAt(), c.incidentId());
            return c;
        }

        private void wakeUp(long t, String id) {
            List<String> l = due.computeIfAbsent(t, k -> new ArrayList<>());
            if (!l.contains(id)) l.add(id);
        }

        /** The latest version of each incident, by id, in order of first appearance. */
        Map<String, Incident> latest() {
            Map<String, Incident> m = new LinkedHashMap<>();
            for (Incident i : incidents) m.put(i.incidentId, i);
            return m;
        }

        /** The latest annotated record of each service. */
        Map<String, Alert> annotated() {
            Map<String, Alert> m = new LinkedHashMap<>();
            for (Alert a : annotatedAlerts) m.put(a.service, a);
            return m;
        }
    }

    @Test
    void eachAlertIsOpenedJoinedOrAnUpdateWithTheTimesToCallTheBookBack() {
        IncidentBook book = new IncidentBook(defaults(), IncidentStore.inMemory());
        ServiceGraph g = graph();
        Alert db = alert("db", 0, 0.95);
        IncidentBook.Correlation opened = book.correlate(db, T0 + MIN - 1, t -> g);
        assertThat(opened.outcome()).isEqualTo(IncidentBook.Outcome.OPENED);
        assertThat(opened.incidentId()).isEqualTo(Incident.incidentId(db.alertId, db.startsAt));
        assertThat(opened.annotated().incidentId).isEqualTo(opened.incidentId());
        assertThat(opened.flushAt()).isEqualTo(T0 + MIN - 1);   // the end of the tick
        assertThat(opened.resolveAt()).isZero();                // firing

        IncidentBook.Correlation joined = book.correlate(alert("checkout", 0, 0.9), T0 + MIN - 1, t -> g);
        assertThat(joined.outcome()).isEqualTo(IncidentBook.Outcome.JOINED);
        assertThat(joined.incidentId()).isEqualTo(opened.incidentId());
        assertThat(joined.flushAt()).isZero();                  // a publication is pending already
        assertThat(joined.merged()).isEmpty();

        IncidentBook.Publication p = book.due(opened.incidentId(), T0 + MIN - 1, t -> g).orElseThrow();
        assertThat(p.resolved()).isFalse();
        assertThat(p.incident().topCause).isEqualTo("db");
        assertThat(p.annotated()).extracting(a -> a.service + ">" + a.causedBy).containsExactly("checkout>db");
        assertThat(book.due(opened.incidentId(), T0 + MIN - 1, t -> g)).isEmpty();   // nothing pending

        IncidentBook.Correlation gone = book.correlate(resolved(db, 3), T0 + 3 * MIN, t -> g);
        assertThat(gone.outcome()).isEqualTo(IncidentBook.Outcome.UPDATED);
        assertThat(gone.resolveAt()).isZero();                  // checkout still fires
        assertThat(gone.flushAt()).isEqualTo(T0 + 4 * MIN - 1);
        IncidentBook.Correlation last = book.correlate(resolved(alert("checkout", 0, 0.9), 4), T0 + 4 * MIN,
                t -> g);
        assertThat(last.resolveAt()).isEqualTo(T0 + 9 * MIN);   // the last end + the quiet period
        assertThat(last.flushAt()).isZero();
        assertThat(book.due(opened.incidentId(), gone.flushAt(), t -> g).orElseThrow().incident().firingCount)
                .isZero();
        IncidentBook.Publication end = book.due(opened.incidentId(), T0 + 9 * MIN, t -> g).orElseThrow();
        assertThat(end.resolved()).isTrue();
        assertThat(end.incident().status).isEqualTo(Incident.RESOLVED);
        assertThat(end.incident().resolvedAt).isEqualTo(T0 + 9 * MIN);
        assertThat(book.due(opened.incidentId(), T0 + 9 * MIN, t -> g)).isEmpty();   // forgotten
    }

    @Test
    void anInMemoryBookForgetsAResolvedIncidentEntirely() {
        Map<String, IncidentState> open = new java.util.HashMap<>();
        Map<String, IncidentHead> heads = new java.util.HashMap<>();
        Map<String, Member> members = new java.util.HashMap<>();
        Map<String, List<String>> byService = new java.util.HashMap<>();
        IncidentBook book = new IncidentBook(defaults(), new IncidentStore(StateMap.of(open), StateMap.of(heads),
                StateMap.of(members), StateMap.of(byService)));
        ServiceGraph g = graph();
        Alert db = alert("db", 0, 0.95);
        book.correlate(db, T0 + MIN - 1, t -> g);
        book.correlate(alert("checkout", 1, 0.9), T0 + 2 * MIN - 1, t -> g);
        assertThat(List.of(open.size(), heads.size(), members.size(), byService.size())).containsExactly(1, 1, 2, 2);
        book.correlate(resolved(db, 3), T0 + 3 * MIN, t -> g);
        IncidentBook.Correlation c = book.correlate(resolved(alert("checkout", 1, 0.9), 4), T0 + 4 * MIN, t -> g);
        assertThat(book.due(c.incidentId(), c.resolveAt(), t -> g)).hasValueSatisfying(p -> assertThat(p.resolved())
                .isTrue());
        assertThat(List.of(open.size(), heads.size(), members.size(), byService.size())).containsExactly(0, 0, 0, 0);
    }

    @Test
    void databaseFaultIsOneIncidentWithTheDatabaseAsRootCauseAndSymptomsMarked() {
        Run h = new Run();
        Alert db = alert("db", 0, 0.95);
        h.feed(db);
        h.feed(alert("checkout", 1, 0.99));
        h.feed(alert("catalog", 1, 0.97));
        h.feed(alert("frontend", "error_rate", 2, 0.9));
        Map<String, Incident> incidents = h.latest();
        assertThat(h.incidents).hasSize(4);
        assertThat(incidents).hasSize(1);
        assertDatabaseFaultIncident(incidents.values().iterator().next(), db, h.annotated());
    }

    @Test
    void suppressionCanBeSwitchedOff() {
        IncidentRules d = defaults();
        Run h = new Run(new IncidentRules(d.windowMs(), d.maxHops(), d.maxAgeMs(), d.maxServices(), d.maxAlerts(),
                d.quietPeriodMs(), d.tickMs(), false, d.maxRootCauses(), null));
        h.feed(alert("db", 0, 0.95));
        h.feed(alert("checkout", 1, 0.99));
        assertThat(h.annotated().values()).allSatisfy(a -> {
            assertThat(a.causedBy).isNull();
            assertThat(a.incidentId).isNotNull();
        });
    }

    @Test
    void unconnectedServicesTooFarApartOrTooLateFormSeparateIncidents() {
        Run h = new Run();
        h.feed(alert("db", 0, 0.9));
        h.feed(alert("warehouse", 1, 0.9));   // another component
        h.feed(alert("a", 1, 0.9));
        h.feed(alert("d", 2, 0.9));           // 3 hops from a
        h.feed(alert("checkout", 11, 0.9));   // db's latest alert started 11 min before
        Map<String, Incident> incidents = h.latest();
        assertThat(incidents.values()).extracting(i -> String.join(",", i.services) + " " + i.status)
                .containsExactly("db open", "warehouse open", "a open", "d open", "checkout open");
        // A late alert 10 min after db's (the bound is inclusive) and 1 min before checkout's, on a caller of
        // both (frontend → checkout → db), links both; published at the next tick.
        h.feed(alert("frontend", 10, 0.9));
        h.advance(T0 + 13 * MIN - 1);
        incidents = h.latest();
        assertThat(incidents.values()).extracting(i -> String.join(",", i.services) + " " + i.status)
                .containsExactly("checkout,db,frontend open", "warehouse open", "a open", "d open",
                        "checkout resolved");
    }

    @Test
    void aLinkingAlertMergesIncidentsIntoTheOlder() {
        Run h = new Run();
        Alert a = alert("a", 0, 0.9);
        h.feed(a);
        h.feed(alert("e", 1, 0.9));   // 4 hops: separate
        assertThat(h.latest()).hasSize(2);
        h.incidents.clear();
        h.feed(alert("c", 2, 0.9));   // 2 hops from both
        List<Incident> out = h.incidents;
        assertMergedIntoOlder(out, a);
        // The alert of the merged incident is re-annotated with the surviving id.
        assertThat(h.annotated().get("e").incidentId).isEqualTo(Incident.incidentId(a.alertId, a.startsAt));
    }

    @Test
    void alertsOnUnknownServicesGetTheirOwnIncident() {
        Run h = new Run();
        h.feed(alert("db", 0, 0.9));
        h.feed(alert("mystery", 1, 0.9));
        h.feed(alert("mystery", "error_rate", 2, 0.9)); // same unknown service: same incident
        Map<String, Incident> incidents = h.latest();
        assertThat(incidents.values()).extracting(i -> String.join(",", i.services) + "/" + i.alertCount)
                .containsExactly("db/1", "mystery/2");
        assertThat(incidents.values()).extracting(i -> i.topCause).containsExactly("db", "mystery");
    }

    /**
     * The ranking uses each member's peak score: db's alert resolves (a resolution record has no score) and its
     * last firing record had a low score, while its callers still fire — db stays the top cause.
     */
    @Test
    void rankingUsesThePeakScoreSoAResolvedRootCauseStaysOnTop() {
        Run h = new Run();
        Alert db = alert("db", 0, 0.99);
        h.feed(db);
        h.feed(alert("checkout", 1, 0.9));
        h.feed(alert("catalog", 1, 0.9));
        Alert weaker = alert("db", 0, 0.05);      // an update of db's occurrence, barely anomalous
        weaker.windowStart = T0 + 2 * MIN;
        weaker.windowEnd = T0 + 3 * MIN;
        h.feed(weaker);
        h.feed(alert("frontend", "error_rate", 3, 0.95));
        Alert gone = resolved(db, 4);
        gone.score = Double.NaN;
        h.feed(gone);   // at the watermark already: late, published with the next watermark
        h.advance(T0 + 5 * MIN - 1);
        List<Incident> out = h.incidents;
        Incident last = out.get(out.size() - 1);
        assertThat(last.firingCount).isEqualTo(3);
        assertThat(last.topCause).isEqualTo("db");
        assertThat(last.rootCauses.get(0).explanation).contains("1.00");   // 0.99, not 0.05 nor none
        // Onset kept: db started first.
        assertThat(last.openedAt).isEqualTo(T0);
    }

    /**
     * A blip on catalog opens the incident and resolves before frontend and checkout alert: it shares no time with
     * them, so it cannot explain them and is no evidence for the ranking (it stays a member) — checkout, not the
     * earlier and stronger blip, is the top cause.
     */
    @Test
    void anAlertThatSharesNoTimeWithTheOthersIsNoEvidence() {
        Run h = new Run();
        Alert blip = alert("catalog", 0, 1.0);
        h.feed(blip);
        h.feed(resolved(blip, 2));
        h.feed(alert("frontend", 3, 0.9));
        h.feed(alert("checkout", 3, 0.8));
        h.advance(T0 + 5 * MIN);
        Map<String, Incident> incidents = h.latest();
        assertThat(incidents).hasSize(1);
        Incident i = incidents.values().iterator().next();
        assertThat(i.services).containsExactlyInAnyOrder("catalog", "checkout", "frontend");
        assertThat(i.topCause).isEqualTo("checkout");
        assertThat(i.rootCauses).extracting(c -> c.service).doesNotContain("catalog");
    }

    /** Two callers of a shared callee are not on one call path: separate until the callee alerts. */
    @Test
    void siblingsThroughASharedCalleeJoinOnlyWhenTheCalleeAlerts() {
        Run h = new Run();
        h.feed(alert("checkout", 0, 0.9));
        h.feed(alert("catalog", 1, 0.9));   // checkout → db ← catalog: 2 undirected hops, no call path
        assertThat(h.latest()).hasSize(2);
        h.feed(alert("db", 2, 0.95));
        Map<String, Incident> incidents = h.latest();
        assertThat(incidents.values()).extracting(i -> String.join(",", i.services) + " " + i.status
                + (i.mergedInto != null ? " merged" : "")).containsExactlyInAnyOrder(
                        "catalog,checkout,db open", "catalog resolved merged");
    }

    /**
     * Bounded incidents: closed to new alerts after the maximum age (anchored at opened_at, not sliding with each
     * alert) and at the maximum number of services; updates of members still count.
     */
    @Test
    void incidentsAreClosedToNewAlertsPastTheirMaximumAgeOrSize() {
        IncidentRules d = defaults();
        Run h = new Run(new IncidentRules(d.windowMs(), d.maxHops(), 20 * MIN, 3, 1000, d.quietPeriodMs(),
                d.tickMs(), d.suppressSymptoms(), d.maxRootCauses(), null));
        Alert first = alert("a", 0, 0.9);
        h.feed(first);
        h.feed(alert("b", 8, 0.9));    // within the window of the latest alert
        h.feed(alert("c", 16, 0.9));   // 3 services: full
        h.feed(alert("d", 17, 0.9));   // within 2 hops of c and the window, but the incident is full
        h.feed(alert("b", "error_rate", 18, 0.9));   // a service of the full incident: joins
        h.feed(alert("a", "error_rate", 21, 0.9));   // past 20 min since opened_at: a new incident
        Map<String, Incident> incidents = h.latest();
        String id = Incident.incidentId(first.alertId, first.startsAt);
        assertThat(incidents.get(id).services).containsExactly("a", "b", "c");
        assertThat(incidents.get(id).alertCount).isEqualTo(4);
        assertThat(incidents.values()).extracting(i -> String.join(",", i.services) + "/" + i.alertCount)
                .containsExactly("a,b,c/4", "d/1", "a/1");
        // An update of a member occurrence goes to its incident whatever its age.
        h.feed(resolved(first, 22));
        h.advance(T0 + 23 * MIN - 1);
        assertThat(h.latest().get(id).firingCount).isEqualTo(3);
    }

    /** Partitioned: an alert joins only incidents of its own label value; the value is part of the id. */
    @Test
    void partitionedAlertsJoinOnlyIncidentsOfTheirOwnValue() {
        IncidentRules d = defaults();
        Run h = new Run(new IncidentRules(d.windowMs(), d.maxHops(), d.maxAgeMs(), d.maxServices(), d.maxAlerts(),
                d.quietPeriodMs(), d.tickMs(), d.suppressSymptoms(), d.maxRootCauses(), "cluster"));
        Alert eu = alert("db", 0, 0.95);
        eu.labels.put("cluster", "eu");
        Alert us = alert("checkout", 0, 0.9);
        us.labels.put("cluster", "us");
        h.feed(eu);
        h.feed(us);   // late: published at the next tick
        h.advance(T0 + 2 * MIN);
        assertThat(h.latest().values()).extracting(i -> i.services).containsExactly(List.of("db"),
                List.of("checkout"));
        assertThat(h.latest()).containsKey(Incident.incidentId("eu/" + eu.alertId, eu.startsAt));
    }
}

package io.hawkeye.rca;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.alerts.Alert;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertEvidenceTest {
    private static Alert alert(String service, String signal, double score, long startsAt) {
        Alert a = new Alert();
        a.service = service;
        a.signal = signal;
        a.score = score;
        a.startsAt = startsAt;
        a.status = Alert.FIRING;
        return a;
    }

    @Test
    void databaseFaultFromAlertsRanksTheDatabaseFirst() {
        ServiceGraph g = ServiceGraph.ofEdges("frontend", "api", "api", "orders", "api", "users",
                "orders", "postgres", "users", "postgres", "users", "redis");
        List<Alert> alerts = List.of(
                alert("frontend", "latency_p99", 0.97, 3_000),
                alert("api", "latency_p99", 0.99, 2_000),
                alert("orders", "latency_p99", 0.95, 1_000),
                alert("orders", "rps", 0.9, 1_500),
                alert("users", "error_rate", 0.8, 1_000),
                alert("postgres", "latency_p99", 0.85, 0),
                alert("redis", "rps", 0.6, 2_000));  // redis sees less traffic: a downstream effect
        Map<String, ServiceAnomaly> ev = AlertEvidence.fromAlerts(alerts);
        assertThat(ev.get("orders").strength()).isEqualTo(0.95);
        assertThat(ev.get("orders").onsetMillis()).isEqualTo(1_000);
        assertThat(ev.get("redis").upstream()).isZero();
        List<RankedCause> r = new RootCauseRanker().rank(g, ev, "frontend");
        assertThat(r.get(0).service()).isEqualTo("postgres");
        assertThat(r.stream().filter(c -> c.service().equals("redis")).findFirst().orElseThrow().rank())
                .isGreaterThan(1);
    }

    /**
     * A multivariate alert counts as the kind of its most attributed feature: a callee whose multivariate alert is
     * mostly a drop in requests (its caller fails) does not explain the caller's errors; one that is mostly
     * latency does.
     */
    @Test
    void multivariateAlertPropagatesLikeItsMostAttributedFeature() {
        Alert traffic = alert("db", "multivariate", 1.0, 0);
        traffic.attribution.add(new io.hawkeye.alerts.Attribution("log_rps", 0.7));
        traffic.attribution.add(new io.hawkeye.alerts.Attribution("log_p99_ms", 0.3));
        Alert latency = alert("db", "multivariate", 1.0, 0);
        latency.attribution.add(new io.hawkeye.alerts.Attribution("log_p99_ms", 0.8));
        latency.attribution.add(new io.hawkeye.alerts.Attribution("log_rps", 0.2));
        assertThat(AlertEvidence.effectiveSignal(traffic)).isEqualTo("log_rps");
        assertThat(SignalKind.of("log_rps")).isEqualTo(SignalKind.TRAFFIC);
        assertThat(AlertEvidence.fromAlerts(List.of(traffic)).get("db").upstream()).isZero();
        assertThat(AlertEvidence.fromAlerts(List.of(latency)).get("db").upstream()).isEqualTo(1.0);

        ServiceGraph g = ServiceGraph.ofEdges("catalog", "db");
        Alert errors = alert("catalog", "error_rate", 1.0, 0);
        assertThat(new RootCauseRanker().rank(g, AlertEvidence.fromAlerts(List.of(errors, traffic)), null).get(0)
                .service()).isEqualTo("catalog");
        assertThat(new RootCauseRanker().rank(g, AlertEvidence.fromAlerts(List.of(errors, latency)), null).get(0)
                .service()).isEqualTo("db");
    }

    private static Alert gap(String caller, String callee, double score, long startsAt) {
        Alert a = alert(caller, "gap_p99_ms", score, startsAt);
        a.endpoint = callee;
        a.labels.put("scope", AlertEvidence.EDGE_SCOPE);
        return a;
    }

    private static final ServiceGraph SHOP = ServiceGraph.ofEdges("web", "inventory", "orders", "inventory",
            "inventory", "db", "web", "orders", "orders", "payments", "web", "payments");

    /**
     * A network delay in front of inventory: its server time is normal (no alert of its own), both callers see
     * their calls to it take longer (gap alerts on both edges into it) and slow down. The gaps name inventory;
     * without them its callers would.
     */
    @Test
    void gapOnEveryEdgeIntoAServiceNamesThatService() {
        List<Alert> symptoms = List.of(alert("web", "p99_ms", 0.9, 2_000), alert("orders", "p99_ms", 0.95, 1_000));
        List<Alert> withGaps = new java.util.ArrayList<>(symptoms);
        withGaps.add(gap("web", "inventory", 0.93, 1_000));
        withGaps.add(gap("orders", "inventory", 0.97, 1_000));

        Map<String, ServiceAnomaly> ev = AlertEvidence.fromAlerts(withGaps, SHOP);
        assertThat(ev.get("inventory").local()).isEqualTo(0.93);   // the lower median of 0.93 and 0.97
        assertThat(ev.get("inventory").evidence()).contains("2 of 2 callers").contains("the way to it");
        assertThat(ev.get("web").strength()).isEqualTo(0.9);       // an edge's gap is not its caller's anomaly
        List<RankedCause> r = new RootCauseRanker().rank(SHOP, ev, null);
        assertThat(r.get(0).service()).isEqualTo("inventory");
        assertThat(r.get(0).explanation()).contains("time outside it");

        assertThat(new RootCauseRanker().rank(SHOP, AlertEvidence.fromAlerts(symptoms, SHOP), null).get(0).service())
                .isEqualTo("orders");
    }

    /** One slow edge between two healthy ends is nobody's: the median over inventory's two callers is 0. */
    @Test
    void oneSlowEdgeOfSeveralAttributesNothing() {
        Map<String, ServiceAnomaly> ev = AlertEvidence.fromAlerts(
                List.of(alert("web", "p99_ms", 0.9, 0), gap("web", "inventory", 0.95, 0)), SHOP);
        assertThat(ev).doesNotContainKey("inventory");
        assertThat(ev.get("web").local()).isZero();   // web calls 3 services, 1 of them slow
    }

    /**
     * A caller starved of CPU: every call it makes takes longer outside its callees, whose other callers see
     * nothing. The median over its calls names the caller; each callee's median over its callers stays 0.
     */
    @Test
    void gapOnEveryCallOfACallerNamesTheCaller() {
        List<Alert> alerts = List.of(alert("web", "p99_ms", 0.99, 0), gap("web", "inventory", 0.9, 0),
                gap("web", "orders", 0.95, 0), gap("web", "payments", 0.8, 0));
        ServiceGraph g = ServiceGraph.ofEdges("web", "inventory", "web", "orders", "web", "payments",
                "admin", "inventory", "admin", "orders", "admin", "payments");
        Map<String, ServiceAnomaly> ev = AlertEvidence.fromAlerts(alerts, g);
        assertThat(ev.get("web").local()).isEqualTo(0.9);
        assertThat(ev.get("web").evidence()).contains("3 of 3 services");
        assertThat(ev.keySet()).containsExactly("web");
        assertThat(new RootCauseRanker().rank(g, ev, null).get(0).service()).isEqualTo("web");
    }
}

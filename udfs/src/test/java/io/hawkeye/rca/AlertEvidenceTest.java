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
}

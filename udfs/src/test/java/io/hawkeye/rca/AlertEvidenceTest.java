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
}

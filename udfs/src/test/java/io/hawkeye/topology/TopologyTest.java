package io.hawkeye.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.hawkeye.config.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopologyTest {

    private static final String VALID = """
            services:
              web:
                replicas: 2
                service_time: {distribution: lognormal, median_ms: 3, sigma: 0.4}
                endpoints:
                  GET /:
                    calls:
                      - {service: db, endpoint: query, count: 2, probability: 0.5}
              db:
                service_time: {mean_ms: 4}
                endpoints:
                  query: {}
            traffic:
              - {service: web, endpoint: GET /, rps: 10}
            faults:
              - {type: latency, service: db, start: 2h30m, duration: PT10M, extra_ms: 5}
            """;

    @Test
    void parsesAndAppliesDefaults() {
        Topology t = Topology.parse(VALID);
        assertThat(t.services()).containsOnlyKeys("web", "db");
        Topology.Service db = t.service("db");
        assertThat(db.replicas()).isEqualTo(1);
        assertThat(db.serviceTime().distribution()).isEqualTo(Topology.Distribution.EXPONENTIAL);
        assertThat(db.serviceTime().serviceRatePerSecond()).isCloseTo(250, within(1e-9));
        assertThat(db.timeoutMs()).isEqualTo(TopologyLoader.DEFAULT_TIMEOUT_MS);
        assertThat(db.errorPropagation()).isEqualTo(TopologyLoader.DEFAULT_ERROR_PROPAGATION);
        assertThat(t.service("web").serviceTime().meanMs()).isCloseTo(3 * Math.exp(0.08), within(1e-9));
        assertThat(t.service("web").endpoint("GET /").calls().get(0).expectedCalls()).isEqualTo(1.0);
        assertThat(t.metricsInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(t.spanSampleRate()).isEqualTo(1.0);
        assertThat(t.faults().get(0).start()).isEqualTo(Duration.ofMinutes(150));
        assertThat(t.faults().get(0).duration()).isEqualTo(Duration.ofMinutes(10));
        assertThat(t.withTransitiveCallers("db")).containsExactly("db", "web");
    }

    @Test
    void shippedTopologiesLoad() {
        Topology shop = Topology.load(Path.of("..", "deploy", "topologies", "online-shop.yaml"));
        assertThat(shop.services()).hasSizeGreaterThanOrEqualTo(10).containsKeys("postgres", "redis", "payment");
        assertThat(shop.directCallers("postgres")).hasSizeGreaterThanOrEqualTo(4);
        double entryRps = shop.entries().stream().mapToDouble(Topology.Entry::rps).sum();
        assertThat(entryRps).isBetween(200.0, 500.0);
        assertThat(shop.faults()).extracting(Topology.Fault::type).contains(Topology.FaultType.values());
        assertThat(Topology.load(Path.of("..", "deploy", "topologies", "two-tier.yaml")).services()).hasSize(3);
    }

    @Test
    void durations() {
        assertThat(Durations.parse("2h30m")).isEqualTo(Duration.ofMinutes(150));
        assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(Durations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("PT2H")).isEqualTo(Duration.ofHours(2));
        assertThatThrownBy(() -> Durations.parse("45")).hasMessageContaining("needs a unit"); // Flink: ms; was: s
        assertThatThrownBy(() -> Durations.parse("2 hours")).isInstanceOf(IllegalArgumentException.class);
    }

    private static void rejects(String from, String to, String... messageParts) {
        String yaml = VALID.replace(from, to);
        assertThat(yaml).as("replacement must apply").isNotEqualTo(VALID);
        assertThatThrownBy(() -> Topology.parse(yaml))
                .isInstanceOf(TopologyException.class)
                .message()
                .contains(messageParts);
    }

    @Test
    void unknownCalleeNamesThePath() {
        rejects("{service: db, endpoint: query,", "{service: dbx, endpoint: query,",
                "services.web.endpoints.GET /.calls[0].service", "unknown callee service 'dbx'");
        rejects("{service: db, endpoint: query,", "{service: db, endpoint: nope,",
                "calls[0].endpoint", "has no endpoint 'nope'");
    }

    @Test
    void cyclesAreRejected() {
        rejects("  query: {}", "  query:\n            calls: [{service: web, endpoint: GET /}]",
                "cycle in the call graph", "web/GET / -> db/query -> web/GET /");
        rejects("  query: {}", "  query:\n            calls: [{service: db, endpoint: query}]",
                "cycle in the call graph", "db/query -> db/query");
    }

    @Test
    void numbersOutOfRangeAreRejected() {
        rejects("rps: 10", "rps: -5", "traffic[0].rps", ">= 0");
        rejects("replicas: 2", "replicas: 0", "services.web.replicas", ">= 1");
        rejects("probability: 0.5", "probability: 1.5", "services.web.endpoints.GET /.calls[0].probability");
        rejects("{mean_ms: 4}", "{mean_ms: -4}", "services.db.service_time.mean_ms", "> 0");
        rejects("{mean_ms: 4}", "{distribution: gamma, mean_ms: 4}", "services.db.service_time.distribution");
        rejects("rps: 10}", "rps: 10, daily: {amplitude: 1.2}}", "traffic[0].daily.amplitude");
        rejects("replicas: 2", "replicas: two", "services.web.replicas", "integer");
    }

    @Test
    void unknownFieldsAndBadFaultsAreRejected() {
        rejects("replicas: 2", "replica: 2", "services.web.replica", "unknown field");
        rejects("type: latency, service: db", "type: latency, service: cache", "faults[0].service", "'cache'");
        rejects("type: latency", "type: meltdown", "faults[0].type", "meltdown");
        rejects("start: 2h30m", "start: soon", "faults[0].start", "invalid duration");
        rejects("extra_ms: 5", "replicas_lost: 5", "faults[0].replicas_lost", "unknown field");
        rejects("{type: latency, service: db, start: 2h30m, duration: PT10M, extra_ms: 5}",
                "{type: capacity_loss, service: db, start: 1h, duration: 1h, replicas_lost: 3}",
                "faults[0].replicas_lost", "only 1 replicas");
        rejects("{type: latency, service: db, start: 2h30m, duration: PT10M, extra_ms: 5}",
                "{type: traffic_drop, service: db, start: 1h, duration: 1h, factor: 0.5}",
                "faults[0].service", "entry endpoint");
        rejects("traffic:", "trafic:", "trafic", "unknown field");
    }
}

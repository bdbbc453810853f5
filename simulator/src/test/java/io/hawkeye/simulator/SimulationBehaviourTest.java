package io.hawkeye.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawkeye.queueing.MMc;
import io.hawkeye.topology.Topology;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Checks the simulated latencies and rates against the queueing model, faults and seasonality. */
class SimulationBehaviourTest {

    static final Instant MONDAY = Instant.parse("2024-03-04T00:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    /** A parsed span, enough for the assertions here. */
    record Span(long ts, String service, double durationMs, boolean error, boolean root, String spanId,
                String parentId) {}

    static List<Span> spans(Topology t, long seed, Instant start, Duration d) {
        List<Span> out = new ArrayList<>();
        new Simulation(t, seed, start).run(d, (key, json, ts) -> {
            if (json.startsWith("{\"type\":\"span\"")) {
                try {
                    JsonNode n = JSON.readTree(json);
                    out.add(new Span(ts, n.get("service").asText(), n.get("duration_ms").asDouble(),
                            n.get("status").asText().equals("error"), !n.has("parent_id"),
                            n.get("span_id").asText(), n.has("parent_id") ? n.get("parent_id").asText() : null));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        });
        return out;
    }

    static double mean(List<Span> spans, Predicate<Span> filter) {
        return spans.stream().filter(filter).mapToDouble(Span::durationMs).average().orElseThrow();
    }

    static double quantile(List<Span> spans, Predicate<Span> filter, double q) {
        double[] v = spans.stream().filter(filter).mapToDouble(Span::durationMs).sorted().toArray();
        return v[(int) Math.min(v.length - 1, Math.floor(q * v.length))];
    }

    static Predicate<Span> service(String name) {
        return s -> s.service().equals(name);
    }

    static Predicate<Span> between(Instant start, Duration from, Duration to) {
        long a = start.plus(from).toEpochMilli();
        long b = start.plus(to).toEpochMilli();
        return s -> s.ts() >= a && s.ts() < b;
    }

    /** front (c=2, exp 2 ms) calls back twice (c=4, exp 10 ms); no noise, no seasonality. */
    static Topology frontBack(double rps, int backReplicas, double backMeanMs, double backTimeoutMs) {
        return Topology.parse(String.format(Locale.ROOT, """
                services:
                  front:
                    replicas: 2
                    service_time: {distribution: exponential, mean_ms: 2}
                    timeout_ms: 60000
                    endpoints:
                      op:
                        calls: [{service: back, endpoint: op, count: 2}]
                  back:
                    replicas: %d
                    service_time: {distribution: exponential, mean_ms: %s}
                    timeout_ms: %s
                    endpoints:
                      op: {}
                traffic:
                  - {service: front, endpoint: op, rps: %s}
                """, backReplicas, backMeanMs, backTimeoutMs, rps));
    }

    @Test
    void meanLatencyAgreesWithMMc() {
        // back: λ = 2 × 150 = 300/s, μ = 100/s, c = 4 → ρ = 0.75; front: λ = 150, μ = 500, c = 2 → ρ = 0.15.
        List<Span> spans = spans(frontBack(150, 4, 10, 60_000), 3, MONDAY, Duration.ofMinutes(4));
        double backPredicted = MMc.of(300, 100, 4).meanResponseTime() * 1000;
        double frontPredicted = MMc.of(150, 500, 2).meanResponseTime() * 1000 + 2 * backPredicted;
        assertThat(mean(spans, service("back"))).isCloseTo(backPredicted, within(0.10 * backPredicted));
        assertThat(mean(spans, service("front"))).isCloseTo(frontPredicted, within(0.10 * frontPredicted));
        assertThat(spans.stream().filter(service("back")).count())
                .isCloseTo(2 * spans.stream().filter(service("front")).count(), within(10L));
    }

    @Test
    void latencyRisesSharplyTowardsSaturation() {
        // back: c = 4, μ = 100/s → ρ = 2·rps/400.
        double[] rhos = {0.5, 0.8, 0.95};
        double[] means = new double[rhos.length];
        for (int i = 0; i < rhos.length; i++) {
            List<Span> spans = spans(frontBack(rhos[i] * 200, 4, 10, 60_000), 5, MONDAY, Duration.ofSeconds(90));
            means[i] = mean(spans, service("back"));
        }
        assertThat(means[1]).isGreaterThan(means[0] * 1.3);
        assertThat(means[2]).as("means %s", Arrays.toString(means)).isGreaterThan(means[0] * 3);
    }

    @Test
    void overloadBuildsABacklogUntilRequestsTimeOut() {
        // ρ = 1.2 on back: the fluid backlog grows by 80 requests/s until waits exceed the 1 s timeout.
        List<Span> spans = spans(frontBack(240, 4, 10, 1000), 7, MONDAY, Duration.ofSeconds(60));
        Predicate<Span> back = service("back");
        double early = mean(spans, back.and(between(MONDAY, Duration.ZERO, Duration.ofSeconds(2))));
        double late = mean(spans, back.and(between(MONDAY, Duration.ofSeconds(40), Duration.ofSeconds(60))));
        assertThat(early).isLessThan(0.7 * late);
        assertThat(late).isGreaterThan(950);
        List<Span> lateBack = spans.stream()
                .filter(back.and(between(MONDAY, Duration.ofSeconds(40), Duration.ofSeconds(60)))).toList();
        assertThat(lateBack.stream().filter(Span::error).count()).isGreaterThan(lateBack.size() * 8L / 10);
        assertThat(spans.stream().filter(back).mapToDouble(Span::durationMs).max().orElseThrow())
                .isLessThanOrEqualTo(1000.0);
        // front fails through propagation (error_propagation defaults to 0.9)
        assertThat(spans.stream().filter(service("front").and(Span::error)).count()).isPositive();
    }

    /** One 15-minute run of two-tier.yaml, shared by the fault tests (db latency 5–10 min, drop 12–14 min). */
    static List<Span> twoTier;

    @BeforeAll
    static void runTwoTier() {
        twoTier = spans(SimulationTest.twoTier(), 11, MONDAY, Duration.ofMinutes(15));
    }

    @Test
    void databaseLatencyFaultRaisesCallerP99OnlyDuringTheFault() {
        Predicate<Span> before = between(MONDAY, Duration.ofMinutes(1), Duration.ofMinutes(5));
        Predicate<Span> during = between(MONDAY, Duration.ofMinutes(5), Duration.ofMinutes(10));
        Predicate<Span> after = between(MONDAY, Duration.ofMinutes(10), Duration.ofMinutes(12));
        for (String svc : List.of("db", "api", "web")) {
            double p99Before = quantile(twoTier, service(svc).and(before), 0.99);
            double p99During = quantile(twoTier, service(svc).and(during), 0.99);
            double p99After = quantile(twoTier, service(svc).and(after), 0.99);
            assertThat(p99During).as("%s p99 during vs before", svc).isGreaterThan(1.5 * p99Before);
            assertThat(p99After).as("%s p99 after vs before", svc).isCloseTo(p99Before, within(0.25 * p99Before));
        }
    }

    @Test
    void trafficDropReducesEntryRate() {
        Predicate<Span> web = service("web").and(Span::root);
        long before = twoTier.stream().filter(web.and(between(MONDAY, Duration.ofMinutes(10),
                Duration.ofMinutes(12)))).count();
        long during = twoTier.stream().filter(web.and(between(MONDAY, Duration.ofMinutes(12),
                Duration.ofMinutes(14)))).count();
        assertThat((double) during / before).isCloseTo(0.3, within(0.05));
    }

    @Test
    void everyParentOfASpanIsEmitted() {
        Set<String> ids = new HashSet<>();
        twoTier.forEach(s -> ids.add(s.spanId()));
        // plain HashSet lookups: AssertJ's contains() on a Set scans it linearly
        long orphans = twoTier.stream().filter(s -> !s.root() && !ids.contains(s.parentId())).count();
        assertThat(orphans).isZero();
        assertThat(twoTier.stream().filter(s -> !s.root()).count()).isGreaterThan(twoTier.size() / 2L);
    }

    static Topology seasonal() {
        return Topology.parse("""
                services:
                  svc:
                    service_time: {mean_ms: 1}
                    endpoints:
                      op: {}
                traffic:
                  - {service: svc, endpoint: op, rps: 100,
                     daily: {amplitude: 0.5, peak_hour: 12}, weekly: {weekend_factor: 0.6}}
                """);
    }

    static long count(Topology t, Instant start, Duration d) {
        long[] n = {0};
        new Simulation(t, 1, start).run(d, (k, json, ts) -> {
            if (json.startsWith("{\"type\":\"span\"")) {
                n[0]++;
            }
        });
        return n[0];
    }

    @Test
    void dailySeasonalityPeaksAtThePeakHour() {
        // 10 minutes centred on noon and on midnight: expected ratio (1 + 0.5)/(1 − 0.5) = 3.
        long peak = count(seasonal(), Instant.parse("2024-03-04T11:55:00Z"), Duration.ofMinutes(10));
        long trough = count(seasonal(), Instant.parse("2024-03-04T23:55:00Z"), Duration.ofMinutes(10));
        assertThat(peak).isCloseTo(150 * 600, within(150 * 600 / 20L));
        assertThat((double) peak / trough).isCloseTo(3.0, within(0.15));
    }

    @Test
    void weekendsScaleTraffic() {
        long monday = count(seasonal(), Instant.parse("2024-03-04T11:58:00Z"), Duration.ofMinutes(4));
        long saturday = count(seasonal(), Instant.parse("2024-03-09T11:58:00Z"), Duration.ofMinutes(4));
        assertThat((double) saturday / monday).isCloseTo(0.6, within(0.04));
    }

    @Test
    void maxSpansPerSecondCapsOutputWithCompleteTraces() {
        Topology t = SimulationTest.twoTier().withSampling(1.0, 60);
        List<Span> spans = spans(t, 2, MONDAY, Duration.ofSeconds(60));
        assertThat(spans.size() / 60.0).isCloseTo(60, within(8.0));
        Set<String> ids = new HashSet<>();
        spans.forEach(s -> ids.add(s.spanId()));
        assertThat(spans.stream().filter(s -> !s.root() && !ids.contains(s.parentId())).count()).isZero();
    }

    @Test
    void errorBurstPropagatesAndCapacityLossRemovesInstances() {
        Topology t = Topology.parse("""
                defaults: {error_propagation: 1.0}
                services:
                  a:
                    service_time: {mean_ms: 1}
                    endpoints:
                      op:
                        calls: [{service: b, endpoint: op}]
                  b:
                    replicas: 3
                    service_time: {mean_ms: 1}
                    endpoints:
                      op: {}
                traffic:
                  - {service: a, endpoint: op, rps: 20}
                faults:
                  - {type: error_burst, service: b, start: 10s, duration: 10s, error_rate: 1.0}
                  - {type: capacity_loss, service: b, start: 30s, duration: 10s, replicas_lost: 3}
                """);
        List<String> lines = new ArrayList<>();
        new Simulation(t, 9, MONDAY).run(Duration.ofSeconds(50), (k, json, ts) -> lines.add(json));
        long t10 = MONDAY.plusSeconds(10).toEpochMilli();
        long t20 = MONDAY.plusSeconds(20).toEpochMilli();
        long t30 = MONDAY.plusSeconds(30).toEpochMilli();
        long t40 = MONDAY.plusSeconds(40).toEpochMilli();
        List<Span> spans = new ArrayList<>();
        for (String l : lines) {
            if (l.contains("\"type\":\"span\"")) {
                JsonNode n = readTree(l);
                spans.add(new Span(n.get("ts").asLong(), n.get("service").asText(), n.get("duration_ms").asDouble(),
                        n.get("status").asText().equals("error"), !n.has("parent_id"), null, null));
            }
        }
        Predicate<Span> burst = s -> s.ts() >= t10 + 5 && s.ts() < t20 - 5;
        Predicate<Span> down = s -> s.ts() >= t30 && s.ts() < t40;
        assertThat(spans.stream().filter(burst)).isNotEmpty().allMatch(Span::error);
        assertThat(spans.stream().filter(s -> s.ts() < t10 - 20)).noneMatch(Span::error);
        // no replica of b: no b spans, every a span fails fast
        assertThat(spans.stream().filter(down.and(service("b")))).isEmpty();
        assertThat(spans.stream().filter(down.and(service("a")))).isNotEmpty().allMatch(Span::error);
        assertThat(lines).anyMatch(l -> l.contains("\"ts\":" + t30) && l.contains("\"name\":\"replicas\"")
                && l.contains("\"service\":\"b\"") && l.contains("\"value\":0.0000"));
        assertThat(lines).anyMatch(l -> l.contains("\"ts\":" + t20) && l.contains("\"name\":\"replicas\"")
                && l.contains("\"service\":\"b\"") && l.contains("\"value\":3.0000"));
    }

    private static JsonNode readTree(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void stopEndsTheRunAfterTheCurrentStep() {
        Simulation sim = new Simulation(SimulationTest.twoTier(), 1, MONDAY);
        sim.setProgressListener(p -> {
            if (p.simulatedMillis() >= 10_000) {
                sim.stop();
            }
        });
        Simulation.Progress p = sim.run(Duration.ofHours(1), (k, j, ts) -> { });
        assertThat(p.simulatedMillis()).isEqualTo(10_000);
        assertThat(p.spans()).isPositive();
        assertThat(p.events()).isEqualTo(p.spans() + p.metrics());
    }

    /**
     * A network delay in front of db: every call into it takes 40 ms longer for api, db's own spans do not change,
     * and with client spans each call's client span pairs with db's span (its parent) with a gap of the delay.
     */
    @Test
    void networkDelayIsOnTheWayToTheServiceAndClientSpansShowItAsTheGap() throws Exception {
        Topology t = SimulationTest.twoTier().withFaults(List.of(new Topology.Fault(Topology.FaultType.NETWORK_DELAY,
                "db", null, Duration.ofSeconds(60), Duration.ofSeconds(60), 40, 1, 0, 0, 1)));
        long faultStart = MONDAY.toEpochMilli() + 60_000;
        Map<String, JsonNode> byId = new java.util.HashMap<>();
        List<JsonNode> all = new ArrayList<>();
        Simulation sim = new Simulation(t, 3, MONDAY);
        sim.setClientSpans(true);
        sim.run(Duration.ofSeconds(120), (k, json, ts) -> {
            if (!json.startsWith("{\"type\":\"span\"")) return;
            try {
                JsonNode n = JSON.readTree(json);
                byId.put(n.get("span_id").asText(), n);
                all.add(n);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        List<double[]> gaps = new ArrayList<>();   // {client start, gap}
        int clients = 0;
        for (JsonNode n : all) {
            if (!n.has("kind")) continue;
            clients++;
            assertThat(n.get("kind").asText()).isEqualTo("client");
            JsonNode parent = byId.get(n.get("parent_id").asText());
            assertThat(parent.get("service").asText()).isEqualTo(n.get("service").asText());
            assertThat(parent.has("kind")).isFalse();
        }
        for (JsonNode n : all) {
            if (n.has("kind") || !n.has("parent_id")) continue;
            JsonNode client = byId.get(n.get("parent_id").asText());
            assertThat(client.get("kind").asText()).as("every callee span is a client span's child").isEqualTo("client");
            assertThat(client.get("callee").asText()).isEqualTo(n.get("service").asText());
            assertThat(client.get("service").asText()).isEqualTo(n.get("caller").asText());
            if (n.get("service").asText().equals("db")) {
                gaps.add(new double[] {client.get("ts").asLong(),
                        client.get("duration_ms").asDouble() - n.get("duration_ms").asDouble()});
            }
        }
        assertThat(clients).isPositive();
        double before = gaps.stream().filter(g -> g[0] < faultStart - 1000).mapToDouble(g -> g[1]).max().orElseThrow();
        double[] during = gaps.stream().filter(g -> g[0] >= faultStart + 1000 && g[0] < faultStart + 59_000)
                .mapToDouble(g -> g[1]).toArray();
        assertThat(before).isLessThan(0.01);                         // no time outside db without the fault
        assertThat(during).isNotEmpty();
        for (double g : during) assertThat(g).isCloseTo(40, within(0.01));
        // db's own spans are as fast as before; api's are slower by about two calls' delay.
        List<Span> plain = spans(t, 3, MONDAY, Duration.ofSeconds(120));
        Predicate<Span> normal = s -> s.ts() < faultStart - 1000, fault = s -> s.ts() >= faultStart + 1000
                && s.ts() < faultStart + 59_000;
        assertThat(mean(plain, service("db").and(fault))).isCloseTo(mean(plain, service("db").and(normal)),
                within(1.0));
        assertThat(mean(plain, service("api").and(fault)) - mean(plain, service("api").and(normal)))
                .isBetween(70.0, 100.0);
    }
}

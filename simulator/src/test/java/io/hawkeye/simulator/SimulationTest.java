package io.hawkeye.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawkeye.topology.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SimulationTest {

    static final Instant START = Instant.parse("2024-03-04T00:00:00Z"); // a Monday
    static final ObjectMapper JSON = new ObjectMapper();

    static Topology twoTier() {
        return Topology.load(Path.of("..", "deploy", "topologies", "two-tier.yaml"));
    }

    /** Collects records and checks the sink contract: ts never decreases. */
    static final class Collecting implements TelemetrySink {
        final List<String> keys = new ArrayList<>();
        final List<String> lines = new ArrayList<>();
        long lastTs = Long.MIN_VALUE;

        @Override
        public void emit(String key, String json, long tsMillis) {
            assertThat(tsMillis).isGreaterThanOrEqualTo(lastTs);
            lastTs = tsMillis;
            keys.add(key);
            lines.add(json);
        }
    }

    static Collecting run(Topology t, long seed, Instant start, Duration d) {
        Collecting c = new Collecting();
        new Simulation(t, seed, start).run(d, c);
        return c;
    }

    @Test
    void sameSeedIsByteIdenticalDifferentSeedDiffers() {
        Topology t = twoTier();
        Collecting a = run(t, 42, START, Duration.ofSeconds(60));
        Collecting b = run(t, 42, START, Duration.ofSeconds(60));
        Collecting c = run(t, 43, START, Duration.ofSeconds(60));
        assertThat(a.lines).isNotEmpty();
        assertThat(String.join("\n", a.lines)).isEqualTo(String.join("\n", b.lines));
        assertThat(a.keys).isEqualTo(b.keys);
        assertThat(String.join("\n", a.lines)).isNotEqualTo(String.join("\n", c.lines));
    }

    @Test
    void everyRecordMatchesTheContract() throws Exception {
        Topology t = twoTier();
        Collecting out = run(t, 1, START, Duration.ofSeconds(30));
        Set<String> spanIds = new HashSet<>();
        Set<String> metricNames = new HashSet<>();
        int roots = 0;
        for (int i = 0; i < out.lines.size(); i++) {
            JsonNode n = JSON.readTree(out.lines.get(i));
            assertThat(n.get("ts").isIntegralNumber()).isTrue();
            long ts = n.get("ts").asLong();
            assertThat(ts).isBetween(START.toEpochMilli(), START.toEpochMilli() + 40_000);
            assertThat(n.get("service").isTextual()).isTrue();
            assertThat(out.keys.get(i)).isEqualTo(n.get("service").asText());
            assertThat(n.get("instance").isTextual()).isTrue();
            String type = n.get("type").asText();
            if (type.equals("span")) {
                assertThat(n.get("endpoint").isTextual()).isTrue();
                assertThat(n.get("duration_ms").isNumber()).isTrue();
                assertThat(n.get("duration_ms").asDouble()).isGreaterThanOrEqualTo(0);
                assertThat(n.get("status").asText()).isIn("ok", "error");
                assertThat(n.get("trace_id").asText()).matches("[0-9a-f]{32}");
                assertThat(n.get("span_id").asText()).matches("[0-9a-f]{16}");
                assertThat(spanIds.add(n.get("span_id").asText())).isTrue();
                assertThat(n.get("instance").asText()).startsWith(n.get("service").asText() + "-");
                boolean root = !n.has("parent_id");
                assertThat(n.has("caller")).isEqualTo(!root);
                if (root) {
                    roots++;
                    assertThat(n.get("service").asText()).isEqualTo("web");
                } else {
                    assertThat(n.get("parent_id").asText()).matches("[0-9a-f]{16}");
                }
                assertThat(n.size()).isEqualTo(root ? 9 : 11);
            } else {
                assertThat(type).isEqualTo("metric");
                assertThat(n.get("value").isNumber()).isTrue();
                assertThat(n.get("unit").asText()).isIn("ratio", "count");
                metricNames.add(n.get("name").asText());
                assertThat(ts % 10_000).isZero();
                if (n.get("name").asText().equals("cpu_utilization")) {
                    assertThat(n.get("value").asDouble()).isBetween(0.0, 1.0);
                }
                assertThat(n.size()).isEqualTo(7);
            }
        }
        assertThat(metricNames).containsExactlyInAnyOrder("cpu_utilization", "replicas", "queue_depth");
        // ~50 rps × 30 s entry requests
        assertThat(roots).isBetween(900, 2100);
    }
}
